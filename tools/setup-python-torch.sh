#!/usr/bin/env bash
# Create tools/.venv-torch (idempotent): CPU PyTorch + numpy, for tools/bench_torch.py (the PyTorch
# side of `tools/bench.sh model`). Separate from tools/.venv so that torch never touches the
# pinned reference environment.
# Usage: tools/setup-python-torch.sh            (from anywhere)
# Env:   PYTHON=python3.11 to choose the interpreter (default: python3).
#        TORCH_SPEC / NUMPY_SPEC to override the pins below.
#
# Which torch: the performance anchors used torch 2.2.2, but PyPI only carries the CUDA build of
# 2.2.2 for Linux (~2.8 GB of wheels with its nvidia-* dependencies; it runs on the CPU all the same).
# The default here is the CPU-only wheel torch 2.13.0+cpu (~190 MB), which pip finds through the
# machine's own wheel folder (pip's find-links). When that wheel is not there, the script falls back
# to torch==2.2.2 from PyPI (the CUDA build, with numpy < 2 which it was built against).
# For the anchors' exact version: TORCH_SPEC=torch==2.2.2 NUMPY_SPEC=numpy==1.26.4 tools/setup-python-torch.sh
# (remove tools/.venv-torch first when switching torch versions).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv-torch"
py="${PYTHON:-python3}"
cpu_torch="torch==2.13.0+cpu"
cpu_numpy="numpy==2.4.6"
pypi_torch="torch==2.2.2"
pypi_numpy="numpy==1.26.4"
torch_spec="${TORCH_SPEC:-$cpu_torch}"   # only used for the stamp when TORCH_SPEC is unset
numpy_spec="${NUMPY_SPEC:-}"

if [ ! -x "$venv/bin/python" ]; then
    echo "creating $venv" >&2
    "$py" -m venv "$venv"
fi

pip=("$venv/bin/python" -m pip --disable-pip-version-check)
check() {
    "$venv/bin/python" - <<'PY'
import numpy, torch
print("torch", torch.__version__, "(cuda build)" if torch.version.cuda else "(cpu build)",
      "numpy", numpy.__version__, "cpu capability", torch.backends.cpu.get_cpu_capability(),
      "threads", torch.get_num_threads())
PY
}

# Skip the pip round-trip when nothing changed since the last successful install.
stamp="$venv/.requirements.sha256"
want="$(printf '%s\n' "$torch_spec" "$numpy_spec" "$cpu_numpy" "$pypi_numpy" | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && check >/dev/null 2>&1; then
    echo "tools/.venv-torch is up to date: $(check)" >&2
    exit 0
fi

"${pip[@]}" install --quiet --upgrade pip
if [ -z "${TORCH_SPEC:-}" ]; then
    if ! "${pip[@]}" install --quiet --only-binary=:all: "$cpu_torch" "${numpy_spec:-$cpu_numpy}"; then
        echo "setup-python-torch: $cpu_torch is not available here; falling back to $pypi_torch from PyPI" >&2
        echo "  (the CUDA build with its nvidia-* dependencies, ~2.8 GB; it runs on the CPU)" >&2
        "${pip[@]}" install --quiet --only-binary=:all: "$pypi_torch" "${numpy_spec:-$pypi_numpy}"
    fi
else
    # torch does not depend on numpy: always install one (numpy < 2 for the torch 2.2 builds).
    case "$torch_spec" in *==2.2.*) default_numpy="$pypi_numpy" ;; *) default_numpy="numpy" ;; esac
    "${pip[@]}" install --quiet --only-binary=:all: "$torch_spec" "${numpy_spec:-$default_numpy}"
fi
check
echo "$want" > "$stamp"
