#!/usr/bin/env bash
# Create tools/.venv (idempotent) and install tools/requirements.txt into it.
# Usage: tools/setup-python.sh            (from anywhere)
# Env:   PYTHON=python3.11 to choose the interpreter (default: python3).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
req="$here/requirements.txt"
py="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
    echo "creating $venv" >&2
    "$py" -m venv "$venv"
fi

# Skip the pip round-trip when the requirements have not changed since the last install.
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$req" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "tools/.venv is up to date" >&2
    exit 0
fi

"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
"$venv/bin/python" -c "import numpy, scipy, librosa, soundfile, soxr, threadpoolctl, sklearn, umap, hdbscan; print('librosa', librosa.__version__, 'numpy', numpy.__version__, 'libsndfile', soundfile.__libsndfile_version__)"
echo "$want" > "$stamp"
