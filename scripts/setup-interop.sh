#!/bin/sh
# Installs the Debian packages listed in scripts/interop-packages, which the interop tests drive
# (npm run setup:interop; .ci/run runs it too). Uses sudo when not root.
set -eu
cd "$(dirname "$0")/.."

packages=$(sed -e 's/#.*//' scripts/interop-packages | awk 'NF { print $1 }')
missing=
for p in $packages; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -z "$missing" ]; then
  echo "setup:interop: every package of scripts/interop-packages is installed"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup:interop: needs apt-get (Debian or Ubuntu); install the equivalents of:$missing" >&2
  exit 1
fi
sudo=
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "setup:interop: run as root (or install sudo) to install:$missing" >&2; exit 1; }
  sudo=sudo
fi
echo "setup:interop: installing$missing"
$sudo apt-get update -qq
# shellcheck disable=SC2086 # one word per package
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
