#!/usr/bin/env bash
# fetch-dev-music.sh — download the free game-soundtrack Debian packages that
# Soundmap uses as development music, unpack them, and list their audio files.
#
# Usage: tools/fetch-dev-music.sh [OUTPUT_DIR]
#
#   OUTPUT_DIR  where to unpack (default: .dev-music/ at the repository root,
#               which is git-ignored). Each package is extracted into
#               OUTPUT_DIR/<package>/ ; the .deb files are kept in
#               OUTPUT_DIR/_debs/.
#
# Idempotent: a package whose OUTPUT_DIR/<package>/.extracted marker exists is
# skipped (delete the marker or the folder to force a re-extract).
#
# Requires: apt-get (with Debian package lists available), dpkg-deb.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
OUT="${1:-$REPO_ROOT/.dev-music}"

# The only packages whose music may be used (free game soundtracks).
PACKAGES=(
  supertuxkart-data
  extremetuxracer-data
  asc-music
  boswars-data
  frozen-bubble-data
  fb-music-high
  lincity-ng-data
)

# Extensions counted as audio. ogg/oga/wav/flac/mp3 are decodable by
# libsndfile; tracker modules and MIDI are listed but not decodable by it.
AUDIO_RE='.*\.(ogg|oga|opus|wav|flac|mp3|xm|it|mod|s3m|mid|midi)$'

mkdir -p "$OUT/_debs"
OUT="$(cd "$OUT" && pwd)"
DEBS="$OUT/_debs"

for pkg in "${PACKAGES[@]}"; do
  dest="$OUT/$pkg"
  if [[ -f "$dest/.extracted" ]]; then
    echo "== $pkg: already extracted ($(cat "$dest/.extracted")), skipping"
    continue
  fi
  deb="$(find "$DEBS" -maxdepth 1 -name "${pkg}_*.deb" -print -quit)"
  if [[ -z "$deb" ]]; then
    echo "== $pkg: downloading"
    (cd "$DEBS" && apt-get download "$pkg")
    deb="$(find "$DEBS" -maxdepth 1 -name "${pkg}_*.deb" -print -quit)"
    [[ -n "$deb" ]] || { echo "error: download of $pkg produced no .deb" >&2; exit 1; }
  else
    echo "== $pkg: using cached $(basename "$deb")"
  fi
  echo "== $pkg: extracting"
  rm -rf "$dest"
  mkdir -p "$dest"
  dpkg -x "$deb" "$dest"
  basename "$deb" > "$dest/.extracted"
done

echo
echo "Audio files found:"
for pkg in "${PACKAGES[@]}"; do
  echo "-- $pkg"
  (cd "$OUT/$pkg" && find . -type f -regextype posix-extended -iregex "$AUDIO_RE" | sed 's|^\./|   |' | LC_ALL=C sort)
done

echo
printf '%-22s %s\n' "package" "files per extension"
for pkg in "${PACKAGES[@]}"; do
  counts="$(cd "$OUT/$pkg" && find . -type f -regextype posix-extended -iregex "$AUDIO_RE" \
            | sed 's/.*\.//' | tr '[:upper:]' '[:lower:]' | LC_ALL=C sort | uniq -c \
            | awk '{printf "%s:%s ", $2, $1}')"
  printf '%-22s %s\n' "$pkg" "${counts:-(none)}"
done
