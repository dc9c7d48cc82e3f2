#!/usr/bin/env bash
# Debian/Ubuntu's system Python ships without venv/ensurepip: install it (as root or with sudo),
# otherwise stop with one line saying how.
set -euo pipefail
PY=${1:-python3}
ver=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "relmap: install Python's venv module as root: apt-get install -y python${ver}-venv" >&2; exit 1; fi
  fi
  echo "relmap: installing python${ver}-venv..." >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "python${ver}-venv" >/dev/null || $SUDO apt-get install -y -qq python3-venv >/dev/null
else
  echo "relmap: '$PY -m venv' does not work here; install Python ${ver} with its venv module (e.g. 'brew install python@${ver}')." >&2
  exit 1
fi
