#!/usr/bin/env bash
# Create tools/.venv-tf (idempotent): TensorFlow CPU + librosa + the musicnn package,
# used by tools/convert_musicnn.py and tools/make_musicnn_fixtures.py.
# Usage: tools/setup-python-tf.sh            (from anywhere)
# Env:   PYTHON=python3.11 to choose the interpreter (default: python3; TF 2.15 needs 3.9-3.11).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv-tf"
req="$here/requirements-tf.txt"
py="${PYTHON:-python3}"
musicnn_pin="musicnn==0.1.0"

if [ ! -x "$venv/bin/python" ]; then
    echo "creating $venv" >&2
    "$py" -m venv "$venv"
fi

# Skip the pip round-trip when nothing changed since the last install.
stamp="$venv/.requirements.sha256"
want="$( (cat "$req"; echo "$musicnn_pin") | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "tools/.venv-tf is up to date" >&2
    exit 0
fi

pip=("$venv/bin/python" -m pip --disable-pip-version-check)
"${pip[@]}" install --quiet --upgrade pip
"${pip[@]}" install --quiet -r "$req"
# musicnn's own metadata pins numpy<1.17 and tensorflow>=1.14; its code works with the
# pins above, so install it without dependencies. It ships the MTT/MSD checkpoints.
"${pip[@]}" install --quiet --no-deps "$musicnn_pin"
"$venv/bin/python" - <<'PY'
import os, numpy, librosa, tensorflow as tf, musicnn
d = os.path.dirname(musicnn.__file__)
assert os.path.isfile(os.path.join(d, "MTT_musicnn", ".index")), "musicnn checkpoints missing"
print("tensorflow", tf.__version__, "numpy", numpy.__version__, "librosa", librosa.__version__, "musicnn ok")
PY
echo "$want" > "$stamp"
