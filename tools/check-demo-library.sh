#!/usr/bin/env bash
# check-demo-library.sh — verify the bundled demo music library.
#
# Usage: tools/check-demo-library.sh [DIR]     (default: assets/demo/ in the repo)
#
# For every *.ogg in DIR: decodes it completely with libsndfile
# (sndfile-convert, from the sndfile-programs package) and with sox, checks
# stereo 44.1 kHz, duration within 15–30 s, and that the Vorbis comments
# TITLE, ARTIST, ALBUM and GENRE are present (DATE is optional). Also checks
# that ATTRIBUTION.md mentions every file and that the folder stays within
# the size budget (warning above 10 MB, failure above 12 MB).
# Prints a summary table; exits non-zero if any check fails.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
DIR="${1:-$REPO_ROOT/assets/demo}"

for tool in soxi sox sndfile-convert; do
  command -v "$tool" >/dev/null || { echo "error: '$tool' not found (apt-get install sox sndfile-programs)" >&2; exit 1; }
done

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

tag() {  # tag FILE NAME -> value of the Vorbis comment NAME (case-insensitive)
  soxi -a "$1" | awk -v k="$2" 'BEGIN{k=toupper(k)} {i=index($0,"="); if (i && toupper(substr($0,1,i-1))==k) {print substr($0,i+1); exit}}'
}

fail=0
count=0
printf '%-46s %6s %7s  %-30s %-30s %s\n' FILE DUR_S SIZE_KB TITLE ARTIST DATE
shopt -s nullglob
for f in "$DIR"/*.ogg; do
  count=$((count + 1))
  name="$(basename "$f")"
  problems=()

  # full decode through libsndfile
  if ! sndfile-convert -pcm16 "$f" "$TMP/d.wav" >"$TMP/err" 2>&1; then
    problems+=("libsndfile cannot decode: $(head -c 200 "$TMP/err")")
  else
    sf_dur="$(soxi -D "$TMP/d.wav")"
    awk -v a="$sf_dur" -v b="$(soxi -D "$f")" 'BEGIN{d=a-b; exit !(d < 0.1 && d > -0.1)}' \
      || problems+=("libsndfile decoded $sf_dur s, header says otherwise")
  fi
  # full decode through sox
  if ! sox -V1 "$f" -n stat >/dev/null 2>&1; then problems+=("sox cannot decode"); fi

  dur="$(soxi -D "$f" 2>/dev/null || echo 0)"
  rate="$(soxi -r "$f" 2>/dev/null || echo 0)"
  chans="$(soxi -c "$f" 2>/dev/null || echo 0)"
  size=$(( $(stat -c %s "$f") ))
  awk -v d="$dur" 'BEGIN{exit !(d >= 15 && d <= 30)}' || problems+=("duration $dur s not within 15-30 s")
  [[ "$rate" == 44100 ]] || problems+=("sample rate $rate")
  [[ "$chans" == 2 ]] || problems+=("$chans channels")
  [[ "$name" =~ ^[a-z0-9.-]+$ ]] || problems+=("file name not lowercase ascii")

  title="$(tag "$f" TITLE)"; artist="$(tag "$f" ARTIST)"; date="$(tag "$f" DATE)"
  for k in TITLE ARTIST ALBUM GENRE; do
    [[ -n "$(tag "$f" "$k")" ]] || problems+=("missing $k tag")
  done
  if [[ -f "$DIR/ATTRIBUTION.md" ]] && ! grep -qF "\`$name\`" "$DIR/ATTRIBUTION.md"; then
    problems+=("not in ATTRIBUTION.md")
  fi

  printf '%-46s %6.2f %7d  %-30.30s %-30.30s %s\n' "$name" "$dur" $((size / 1024)) "$title" "$artist" "${date:--}"
  for p in "${problems[@]}"; do echo "    FAIL: $p"; fail=1; done
done

[[ -f "$DIR/ATTRIBUTION.md" ]] || { echo "FAIL: $DIR/ATTRIBUTION.md missing"; fail=1; }
(( count > 0 )) || { echo "FAIL: no .ogg files in $DIR"; fail=1; }

total=$(du -cb "$DIR"/* 2>/dev/null | tail -1 | cut -f1)
echo
printf '%d files, total size of %s: %.2f MB (%d bytes)\n' "$count" "$(basename "$DIR")" "$(awk -v b="$total" 'BEGIN{print b/1048576}')" "$total"
if (( total > 12 * 1024 * 1024 )); then
  echo "FAIL: exceeds the 12 MB hard limit"; fail=1
elif (( total > 10 * 1024 * 1024 )); then
  echo "WARNING: exceeds the 10 MB target"
fi

if (( fail )); then echo "CHECK FAILED"; exit 1; fi
echo "all checks passed"
