#!/usr/bin/env bash
# Installs what the OAuth 1.0a test provider needs into tests/oauth1/.venv:
#
#   tests/oauth1/setup.sh
#
# The packages are the ones requirements.txt pins, each checked against its
# hashes (pip --require-hashes), wheels only. Nothing happens when the venv
# was made from the current requirements.txt. Prints nothing on success, so
# a test script can call it every run; the provider is then started as
# `tests/oauth1/.venv/bin/python tests/oauth1/provider.py`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

venv=.venv
stamp=$venv/installed-requirements.txt
if [ -f "$stamp" ] && cmp -s "$stamp" requirements.txt && [ -x "$venv/bin/python" ]; then
  exit 0
fi

# pyenv's python3 is a shim that forks: make the venv from the interpreter
# itself, so that the venv's python is a real one too.
python=$(python3 -c 'import sys; print(sys.executable)')
if ! "$python" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 9))' 2>/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null && [ "$python" = /usr/bin/python3 ]; then
    echo "setup.sh: installing python3-venv" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
  else
    echo "setup.sh: $python cannot make a venv (Python 3.9 or later with venv and ensurepip is needed)" >&2
    exit 1
  fi
fi

echo "setup.sh: installing the OAuth 1.0a test provider's packages into tests/oauth1/$venv" >&2
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  --require-hashes --only-binary=:all: --no-deps -r requirements.txt
cp requirements.txt "$stamp"
