#!/usr/bin/env bash
# Installs the system packages enrichd builds and tests with, when they are missing (Debian/Ubuntu).
set -euo pipefail
# chromium: the browser the report page's tests measure layout in.
packages=(libsystemd-dev libsqlite3-dev pkg-config systemd systemd-container util-linux procps jq curl publicsuffix iso-codes chromium)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing missing packages: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
