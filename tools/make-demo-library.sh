#!/usr/bin/env bash
# make-demo-library.sh — build Soundmap's bundled demo music library.
#
# Usage: tools/make-demo-library.sh [EXTRACTED_DIR] [OUTPUT_DIR]
#
#   EXTRACTED_DIR  tree produced by tools/fetch-dev-music.sh
#                  (default: .dev-music/ at the repository root)
#   OUTPUT_DIR     where the excerpts go (default: assets/demo/ in the repo)
#
# Reads tools/demo-library.tsv (one excerpt per row: package, source path
# inside the package, start second, length, title, artist, date, genre,
# licence, note), cuts each excerpt, converts it to stereo 44.1 kHz with a
# 0.5 s fade in/out, encodes it as Ogg Vorbis (quality $QUALITY) with Vorbis
# comments, writes OUTPUT_DIR/ATTRIBUTION.md, then runs
# tools/check-demo-library.sh on the result.
#
# Deterministic: the excerpt list is fixed in the TSV, sox runs in repeatable
# mode without dither (32-bit float intermediate), and each Ogg stream gets a
# serial number derived from its file name, so the same inputs and tool
# versions give byte-identical files.
#
# Requires: sox (with libsox-fmt-all for MP3), oggenc (vorbis-tools), awk.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
SRC="${1:-$REPO_ROOT/.dev-music}"
OUT="${2:-$REPO_ROOT/assets/demo}"
TSV="$SCRIPT_DIR/demo-library.tsv"
QUALITY="${QUALITY:-3}"
FADE=0.5

for tool in sox soxi oggenc awk cksum; do
  command -v "$tool" >/dev/null || { echo "error: '$tool' not found (apt-get install sox libsox-fmt-all vorbis-tools)" >&2; exit 1; }
done
[[ -d "$SRC" ]] || { echo "error: $SRC does not exist; run tools/fetch-dev-music.sh first" >&2; exit 1; }
[[ -f "$TSV" ]] || { echo "error: $TSV missing" >&2; exit 1; }

# package -> game name / upstream home page
game_of() {
  case "$1" in
    supertuxkart-data)    echo "SuperTuxKart" ;;
    extremetuxracer-data) echo "Extreme Tux Racer" ;;
    asc-music)            echo "Advanced Strategic Command" ;;
    boswars-data)         echo "Bos Wars" ;;
    frozen-bubble-data|fb-music-high) echo "Frozen-Bubble" ;;
    lincity-ng-data)      echo "LinCity-NG" ;;
    *) echo "error: unknown package $1" >&2; return 1 ;;
  esac
}
home_of() {
  case "$1" in
    supertuxkart-data)    echo "https://supertuxkart.net" ;;
    extremetuxracer-data) echo "https://sourceforge.net/projects/extremetuxracer/" ;;
    asc-music)            echo "http://www.asc-hq.de/" ;;
    boswars-data)         echo "https://www.boswars.org/" ;;
    frozen-bubble-data|fb-music-high) echo "http://www.frozen-bubble.org/" ;;
    lincity-ng-data)      echo "https://github.com/lincity-ng/lincity-ng/" ;;
  esac
}
# licence id -> markdown (name + link to the licence text)
licence_md() {
  case "$1" in
    GPL-2+)       echo "GNU General Public License, version 2 or later (GPL-2.0-or-later) — <https://www.gnu.org/licenses/old-licenses/gpl-2.0.html>" ;;
    GPL-2)        echo "GNU General Public License, version 2 only (GPL-2.0-only) — <https://www.gnu.org/licenses/old-licenses/gpl-2.0.html>" ;;
    CC-BY-SA-3.0) echo "Creative Commons Attribution-ShareAlike 3.0 Unported (CC BY-SA 3.0) — <https://creativecommons.org/licenses/by-sa/3.0/>" ;;
    CC-BY-SA-4.0) echo "Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0) — <https://creativecommons.org/licenses/by-sa/4.0/>" ;;
    CC-BY-4.0)    echo "Creative Commons Attribution 4.0 International (CC BY 4.0) — <https://creativecommons.org/licenses/by/4.0/>" ;;
    "GPL-2+ OR CC-BY-SA") echo "dual-licensed: GNU General Public License, version 2 or later — <https://www.gnu.org/licenses/old-licenses/gpl-2.0.html> — or Creative Commons Attribution-ShareAlike — <https://creativecommons.org/licenses/by-sa/3.0/>" ;;
    *) echo "error: no licence text known for '$1'" >&2; return 1 ;;
  esac
}
# version of an extracted package, from the marker written by fetch-dev-music.sh
version_of() {
  local marker="$SRC/$1/.extracted"
  if [[ -f "$marker" ]]; then
    sed -E 's/^[^_]+_([^_]+)_[^_]+\.deb$/\1/' "$marker"
  fi
}

mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# Regenerate from scratch: remove previous excerpts (only .ogg files).
find "$OUT" -maxdepth 1 -type f -name '*.ogg' -delete

ATTR="$TMP/ATTRIBUTION.md"
cat > "$ATTR" <<'EOF'
# Demo music library — attribution

The short clips in this folder are **excerpts** (15–30 s each, usually 20 s,
with a 0.5 s fade in and out, resampled to 44.1 kHz stereo and re-encoded as
Ogg Vorbis) of music from the soundtracks of free games, taken from the Debian
12 "bookworm" packages `supertuxkart-data`, `extremetuxracer-data`,
`asc-music`, `frozen-bubble-data` and `lincity-ng-data`. Authors and licences
below are taken from each package's `/usr/share/doc/<package>/copyright`, the
games' own credits and the tags of the original files. Each excerpt stays under the licence of the work it comes from;
the excerpts were made with `tools/make-demo-library.sh` from the list in
`tools/demo-library.tsv` (exact source file, start time and length), and the
complete original works are available in the Debian packages named below and
from the games' upstream projects. Where no title was published, the title is
derived from the file name, as noted. `boswars-data` and `fb-music-high` were
examined but contribute no excerpt (see the end of this file).

EOF

n=0
# Tabs are turned into US (0x1f) separators first: with IFS=tab, bash's read
# would merge consecutive tabs and shift the columns after an empty field.
while IFS=$'\x1f' read -r file pkg source start length title artist date genre licence note; do
  [[ -z "$file" || "$file" == \#* || "$file" == "file" ]] && continue
  n=$((n + 1))
  [[ "$file" =~ ^[a-z0-9]+(-[a-z0-9]+)*--[a-z0-9]+(-[a-z0-9]+)*\.ogg$ ]] \
    || { echo "error: bad output file name '$file'" >&2; exit 1; }
  in="$SRC/$pkg/$source"
  [[ -f "$in" ]] || { echo "error: $in not found (package $pkg not extracted?)" >&2; exit 1; }
  game="$(game_of "$pkg")"
  total="$(soxi -D "$in")"
  if awk -v s="$start" -v l="$length" -v t="$total" 'BEGIN{exit !(s + l > t)}'; then
    echo "error: $file: excerpt $start+$length s exceeds track length $total s" >&2; exit 1
  fi
  fade_out_at="$length"

  # cut → stereo 44.1 kHz → fades; 32-bit float so no clipping or dither
  sox -R -D -V1 "$in" -e floating-point -b 32 "$TMP/x.wav" \
      trim "$start" "$length" rate -v 44100 channels 2 \
      fade t "$FADE" "$fade_out_at" "$FADE"

  serial="$(printf '%s' "$file" | cksum | cut -d' ' -f1)"
  # -c rather than -t/-a/...: oggenc would write lower-case field names
  tags=(-c "TITLE=$title" -c "ARTIST=$artist" -c "ALBUM=$game soundtrack" -c "GENRE=$genre")
  [[ -n "$date" ]] && tags+=(-c "DATE=$date")
  tags+=(-c "LICENSE=$licence"
         -c "COMMENT=${length} s excerpt (from ${start} s) of ${source##*/}, Debian package ${pkg}")
  oggenc -Q -q "$QUALITY" -s "$serial" "${tags[@]}" -o "$OUT/$file" "$TMP/x.wav" 2>&1 \
    | { grep -v 'Skipping chunk of type "fact"' || true; } >&2
  printf '%-48s %-22s %6s +%s s\n' "$file" "$pkg" "$start" "$length"

  # attribution entry
  ver="$(version_of "$pkg")"
  {
    echo "### \`$file\`"
    echo
    if [[ -n "$date" ]]; then
      echo "- **Work:** *$title* ($date) — $artist"
    else
      echo "- **Work:** *$title* — $artist"
    fi
    echo "- **Source:** \`$source\` in Debian package \`$pkg\`${ver:+ $ver} — game: $game (<$(home_of "$pkg")>)"
    printf -- '- **Excerpt:** %s s starting at %s s of a %.0f s track\n' "$length" "$start" "$total"
    echo "- **Licence:** $(licence_md "$licence")"
    [[ -n "$note" ]] && echo "- **Note:** $note"
    echo
  } >> "$ATTR"
done < <(tr '\t' '\037' < "$TSV")

cat >> "$ATTR" <<'EOF'
## Packages without excerpts

- `boswars-data` (Bos Wars, GPL-2+): contains no music track; besides sound
  effects and tutorial voice-overs its only audio is the 8.5 s intro sound
  `usr/share/games/boswars/intro/boswars_intro.ogg`, too short for a 15–30 s
  excerpt.
- `fb-music-high` (Frozen-Bubble, GPL-2+, Matthias Le Bidan): contains only the
  FastTracker 2 module `frozen-mainzik-2p.xm`, which libsndfile cannot decode.
  `frozen-bubble-data` ships an Ogg Vorbis file of the same name
  (`frozen-mainzik-2p.ogg`), excerpted above as
  `frozen-bubble--main-theme-2-players.ogg`.
EOF
mv "$ATTR" "$OUT/ATTRIBUTION.md"

echo
echo "$n excerpts written to $OUT"
echo
"$SCRIPT_DIR/check-demo-library.sh" "$OUT"
