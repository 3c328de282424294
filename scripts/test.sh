#!/usr/bin/env bash
# Runs tether's whole test suite:
#
#   scripts/test.sh [cargo test arguments...]
#
# First installs what the tests need when it is missing:
#   * a Secret Service for the keyring tests: gnome-keyring and dbus, with
#     apt-get when run as root (otherwise those tests skip themselves);
#   * jq, which the `--jq` tests compare tether with, and groff, which
#     renders the man pages in their tests (apt-get, as root);
#   * PostgreSQL 15 (Debian's `postgresql`) for the shared-store tests;
#   * the test authorization server: `npm ci` in tests/oidc when
#     node_modules is missing or older than the lockfile;
#   * the OAuth 1.0a test provider: a venv in tests/oauth1 with the
#     packages its requirements.txt pins (tests/oauth1/setup.sh);
#   * git, kubectl (kubernetes-client) and Dovecot (dovecot-imapd), the
#     real peers of the credential helper and mail tests (apt-get, as root).
# Then `cargo test --locked` with the given arguments.
#
# TETHER_OIDC_SELFTEST=1 also runs the server's own self-test first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# curl plays the browser for the fake providers of the quirk tests.
if ! command -v gnome-keyring-daemon >/dev/null || ! command -v dbus-daemon >/dev/null \
  || ! command -v dbus-run-session >/dev/null || ! command -v dbus-monitor >/dev/null \
  || ! command -v curl >/dev/null || ! command -v jq >/dev/null || ! command -v groff >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "test.sh: installing gnome-keyring, dbus, curl, jq and groff for the tests" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends gnome-keyring dbus dbus-daemon curl ca-certificates jq groff-base >/dev/null
  else
    echo "test.sh: gnome-keyring-daemon, dbus-daemon, curl, jq or groff missing and not root: keyring tests will be skipped, quirk tests need curl, the --jq tests need jq" >&2
  fi
fi

# The peers of the integration tests: git (and its http-backend) for the
# git credential helper, kubectl for the exec plugin, Dovecot's IMAP server
# with its oauth2 passdb for the mail tests.
if ! command -v git >/dev/null || ! command -v kubectl >/dev/null \
  || { [ ! -x /usr/sbin/dovecot ] && [ ! -x /usr/local/sbin/dovecot ]; }; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "test.sh: installing git, kubernetes-client and dovecot-imapd for the tests" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    wanted=""
    command -v git >/dev/null || wanted="$wanted git"
    command -v kubectl >/dev/null || wanted="$wanted kubernetes-client"
    [ -x /usr/sbin/dovecot ] || [ -x /usr/local/sbin/dovecot ] || wanted="$wanted dovecot-imapd"
    # shellcheck disable=SC2086 # one word per package
    apt-get install -y -qq --no-install-recommends $wanted >/dev/null
  else
    echo "test.sh: git, kubectl or dovecot missing and not root: the kubectl and mail tests will be skipped, the git tests fail without git" >&2
  fi
fi

# PostgreSQL for the shared-store tests: Debian's server, which the tests
# start themselves (initdb + pg_ctl, as `nobody` under root) in a temporary
# folder on a loopback port; they skip without it, except under CI.
if [ ! -x /usr/lib/postgresql/15/bin/initdb ] || ! command -v runuser >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "test.sh: installing postgresql for the shared-store tests" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends postgresql util-linux >/dev/null
  else
    echo "test.sh: PostgreSQL 15 missing and not root: the shared-store tests will be skipped" >&2
  fi
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "test.sh: node and npm (Node 20 or later) are needed for the flow tests" >&2
  exit 1
fi

# npm ci leaves node_modules/.package-lock.json behind: older than the
# lockfile means the lockfile changed since the last install.
installed=tests/oidc/node_modules/.package-lock.json
if [ ! -f "$installed" ] || [ tests/oidc/package-lock.json -nt "$installed" ]; then
  echo "test.sh: installing the test authorization server (npm ci in tests/oidc)" >&2
  npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error
fi

# The OAuth 1.0a test provider (oauthlib, pinned with hashes) in a venv.
tests/oauth1/setup.sh

if [ "${TETHER_OIDC_SELFTEST:-}" = 1 ]; then
  echo "test.sh: self-test of the test authorization server" >&2
  node --test-reporter=dot tests/oidc/selftest.mjs
  echo >&2
  echo "test.sh: self-test of the OAuth 1.0a test provider" >&2
  tests/oauth1/.venv/bin/python tests/oauth1/selftest.py
fi

exec cargo test --locked "$@"
