#!/usr/bin/env bash
# Side-by-side benchmarks: Soundmap (`soundmap bench <name> --json`) vs the Python references
# (tools/bench_reference.py; tools/bench_torch.py for `model`), joined into one table per bench by
# tools/bench_compare.py.
#
# Usage: tools/bench.sh [BENCH...] [MUSIC_DIR]
#   BENCH: decode spectrogram similar index (default: these four), and, only when named, model (CNN
#          encoders vs PyTorch CPU; several minutes), musicnn (vs TensorFlow), umap (vs umap-learn),
#          hdbscan (vs the hdbscan package), gboost (vs scikit-learn's HistGradientBoostingRegressor)
#   MUSIC_DIR: an existing folder, used by `index` (default: assets/demo, relative to the repo root)
#   e.g. tools/bench.sh index ~/Music      tools/bench.sh decode spectrogram
# Env:
#   SOUNDMAP   Swift binary (default: .build/release/soundmap under the repo root)
#   WORKDIR    folder for the decode test files (default: .build/bench-work under the repo root);
#              `soundmap bench decode` creates missing files there, then the reference reads them
#   SIMILAR_SIZES (default 10000,100000,1000000), SIMILAR_DIM (default 512)
#   OUT        file to keep the raw JSON lines (default: .build/bench-results.jsonl)
#   TORCH_CASES  groups for tools/bench_torch.py --cases (default sgemm,spec2d,samplecnn)
#   SKIP_REFERENCE=1 / SKIP_SOUNDMAP=1 to run one side only
# Requires tools/.venv (tools/setup-python.sh); `model` uses tools/.venv-torch instead
# (tools/setup-python-torch.sh) and runs Soundmap's side alone when it is missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
# Defaults are relative to the repo root; paths given by the caller are relative to the caller's cwd.
SOUNDMAP="${SOUNDMAP:-$root/.build/release/soundmap}"
WORKDIR="${WORKDIR:-$root/.build/bench-work}"
OUT="${OUT:-$root/.build/bench-results.jsonl}"
SIMILAR_SIZES="${SIMILAR_SIZES:-10000,100000,1000000}"
SIMILAR_DIM="${SIMILAR_DIM:-512}"
TORCH_CASES="${TORCH_CASES:-sgemm,spec2d,samplecnn}"
PY="$root/tools/.venv/bin/python"
REF="$root/tools/bench_reference.py"
TORCH_PY="$root/tools/.venv-torch/bin/python"
TORCH_REF="$root/tools/bench_torch.py"

benches=()
music="$root/assets/demo"
while [ $# -gt 0 ]; do
    case "$1" in
        decode|spectrogram|similar|index|model|musicnn|umap|hdbscan|gboost) benches+=("$1") ;;
        -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
        *)
            if [ -d "$1" ]; then
                music="$1"
            else
                echo "bench.sh: '$1' is neither a bench (decode spectrogram similar index model musicnn umap hdbscan gboost) nor a folder" >&2
                exit 2
            fi
            ;;
    esac
    shift
done
[ ${#benches[@]} -gt 0 ] || benches=(decode spectrogram similar index)

needs_venv=0
for b in "${benches[@]}"; do [ "$b" = model ] || [ "$b" = musicnn ] || needs_venv=1; done
if [ "${SKIP_REFERENCE:-0}" != 1 ] && [ "$needs_venv" = 1 ] && [ ! -x "$PY" ]; then
    echo "bench.sh: tools/.venv missing: run tools/setup-python.sh" >&2
    exit 1
fi
if [ "${SKIP_SOUNDMAP:-0}" != 1 ] && ! command -v "$SOUNDMAP" >/dev/null; then
    echo "bench.sh: Soundmap binary '$SOUNDMAP' not found (build with: swift build -c release, or set SOUNDMAP)" >&2
    exit 1
fi

mkdir -p "$(dirname "$OUT")" "$WORKDIR"
: > "$OUT"
failed=0

# run SIDE CMD...: append the JSON lines of CMD's stdout to $OUT (stderr passes through).
run() {
    local side="$1"; shift
    if [ "$side" = soundmap ] && [ "${SKIP_SOUNDMAP:-0}" = 1 ]; then return 0; fi
    if [ "$side" = reference ] && [ "${SKIP_REFERENCE:-0}" = 1 ]; then return 0; fi
    echo ">> $*" >&2
    if ! "$@" | grep --line-buffered '^[[:space:]]*{' >> "$OUT"; then
        echo "bench.sh: failed (or printed no JSON): $*" >&2
        failed=1
    fi
}

for b in "${benches[@]}"; do
    case "$b" in
        decode)
            # Soundmap first: it creates the missing bench-10min.* files in $WORKDIR.
            run soundmap "$SOUNDMAP" bench decode --json --dir "$WORKDIR"
            run reference "$PY" "$REF" decode --dir "$WORKDIR"
            ;;
        spectrogram)
            run soundmap "$SOUNDMAP" bench spectrogram --json
            run reference "$PY" "$REF" spectrogram
            ;;
        similar)
            run soundmap "$SOUNDMAP" bench similar --json --sizes "$SIMILAR_SIZES" --dim "$SIMILAR_DIM"
            run reference "$PY" "$REF" similar --sizes "$SIMILAR_SIZES" --dim "$SIMILAR_DIM"
            ;;
        index)
            if [ ! -d "$music" ]; then
                echo "bench.sh: music folder '$music' not found (pass one as an argument)" >&2
                failed=1
                continue
            fi
            run soundmap "$SOUNDMAP" bench index --json --dir "$music"
            run reference "$PY" "$REF" index --dir "$music"
            ;;
        model)
            # Soundmap's side also prints its sgemm peak of the same run (sgemm,2048 and sgemm,conv).
            run soundmap "$SOUNDMAP" bench model --json
            if [ -x "$TORCH_PY" ]; then
                run reference "$TORCH_PY" "$TORCH_REF" --cases "$TORCH_CASES"
            elif [ "${SKIP_REFERENCE:-0}" != 1 ]; then
                echo "bench.sh: tools/.venv-torch missing (tools/setup-python-torch.sh): no PyTorch side for model" >&2
            fi
            ;;
        musicnn)
            # The network alone on every patch of the same music, Swift vs the original TensorFlow graph.
            run soundmap "$SOUNDMAP" bench musicnn --json --dir "$music"
            if [ -x "$root/tools/.venv-tf/bin/python" ]; then
                run reference "$root/tools/.venv-tf/bin/python" "$root/tools/bench_musicnn_tf.py" --dir "$music"
                # One thread beside Soundmap's one core (each indexing worker has one).
                run reference "$root/tools/.venv-tf/bin/python" "$root/tools/bench_musicnn_tf.py" --dir "$music" \
                    --threads 1 --batches 8
            elif [ "${SKIP_REFERENCE:-0}" != 1 ]; then
                echo "bench.sh: tools/.venv-tf missing (tools/setup-python-tf.sh): no TensorFlow side for musicnn" >&2
            fi
            ;;
        umap)
            # umap-learn's numba compile is paid in warm-up fits and reported on its own lines.
            run reference "$PY" "$here/bench_umap_reference.py" --data-dir "$WORKDIR/umap"
            run soundmap "$SOUNDMAP" bench umap --json --reps 1 --dir "$WORKDIR/umap"
            ;;
        hdbscan)
            # The reference writes its inputs first; Soundmap then clusters the very same points.
            run reference "$PY" "$here/bench_hdbscan_reference.py" --data-dir "$WORKDIR/hdbscan"
            run soundmap "$SOUNDMAP" bench hdbscan --json --dir "$WORKDIR/hdbscan"
            ;;
        gboost)
            run reference "$PY" "$here/bench_gboost_reference.py" --out "$WORKDIR/gboost"
            run soundmap "$SOUNDMAP" bench gboost --json --dir "$WORKDIR/gboost"
            ;;
    esac
done

echo "raw results: $OUT" >&2
if [ -s "$OUT" ]; then
    python3 "$here/bench_compare.py" < "$OUT"
else
    echo "bench.sh: no results" >&2
    failed=1
fi
exit "$failed"
