#!/usr/bin/env bash
# Installs what Soundmap needs on Debian or Ubuntu (idempotent) and builds it in release mode.
# Usage: scripts/setup.sh [--test-deps]
#   --test-deps  also install what the test suite uses (PulseAudio daemon, tmux, sox).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libsndfile1-dev libpulse-dev libopenblas-dev libncurses-dev libsqlite3-dev pkg-config)
if [[ "${1:-}" == "--test-deps" ]]; then
  packages+=(pulseaudio pulseaudio-utils tmux sox)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if (( ${#missing[@]} > 0 )); then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  echo "Installing: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

if ! command -v swift >/dev/null; then
  echo "Swift 6.1 or newer is needed: https://www.swift.org/install/linux/" >&2
  exit 1
fi
swift build -c release --product soundmap >&2
echo "Built .build/release/soundmap" >&2
