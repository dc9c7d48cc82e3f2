#!/usr/bin/env bash
# Make sure Graphviz's `dot` is installed: apt-get on Debian/Ubuntu (as root or with sudo),
# Homebrew on macOS; otherwise stop with one line saying how.
set -euo pipefail
if command -v dot >/dev/null 2>&1; then
  exit 0
fi
echo "relmap: Graphviz 'dot' not found; installing it..." >&2
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "relmap: install Graphviz as root: apt-get install -y graphviz fonts-liberation" >&2; exit 1; fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq graphviz fonts-liberation >/dev/null
elif command -v brew >/dev/null 2>&1; then
  brew install graphviz
elif command -v dnf >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" != "0" ] && SUDO="sudo"
  $SUDO dnf install -y graphviz liberation-sans-fonts
else
  echo "relmap: please install Graphviz (https://graphviz.org/download/) so that 'dot' is on your PATH, then re-run." >&2
  exit 1
fi
command -v dot >/dev/null 2>&1 || { echo "relmap: Graphviz installed but 'dot' is not on PATH; add it and re-run." >&2; exit 1; }
