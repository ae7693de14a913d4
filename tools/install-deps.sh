#!/usr/bin/env bash
# Installs the Debian packages GruStream builds and tests with. Idempotent: packages already
# installed are skipped, and apt-get runs (update once, then install) only when some are missing.
# Usage: tools/install-deps.sh [extra-package ...]
set -euo pipefail

packages=(
  cmake g++ make pkg-config git
  libeigen3-dev nlohmann-json3-dev libcli11-dev libsndfile1-dev
  libgtest-dev libgmock-dev libsamplerate0-dev
  juce-modules-source libpng-dev libjpeg-dev
  xvfb xauth valgrind lilv-utils
  python3-torch python3-numpy python3-scipy
)
packages+=("$@")

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root, or: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
