#!/usr/bin/env bash
# Run by the build before the tests that drive real programs: installs Debian's packages for them when missing, so
# `./mvnw verify` works on a fresh machine (as root, the way these machines run). Arguments: package:program pairs,
# e.g. chromium:/usr/bin/chromium prometheus:promtool. Fails with what to install when it cannot install it itself.
set -euo pipefail
missing=()
for pair in "$@"; do
  package=${pair%%:*}; program=${pair#*:}
  command -v "$program" >/dev/null 2>&1 || missing+=("$package")
done
(( ${#missing[@]} == 0 )) && exit 0
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
  echo "the tests need Debian's ${missing[*]}: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing Debian's ${missing[*]} for the tests"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
  || { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; }
