#!/usr/bin/env bash
# Sets Soundmap up, indexes the bundled demo library and shows what it finds.
# The demo index lives in .build/demo/library.sqlite, apart from your own library.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
soundmap=.build/release/soundmap
index=.build/demo/library.sqlite
"$soundmap" index assets/demo --index "$index"
echo
"$soundmap" stats --index "$index"
echo
"$soundmap" similar "Battle Theme" --index "$index" -k 8
echo
"$soundmap" similar "White Valley@0:05+10s" --clips --index "$index" -k 5
echo
"$soundmap" tags "Battle Theme" --index "$index" -k 5
echo
"$soundmap" search --tag piano --index "$index" -k 5
echo
"$soundmap" filters --song "Battle Theme" --index "$index" -k 5
echo
"$soundmap" clusters --index "$index"
