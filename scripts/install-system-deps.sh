#!/usr/bin/env bash
# Debian packages the test suite and benchmarks use: socat (pseudo-terminal pairs for serial devices),
# Debian's Python with tifffile/zarr/numpy (to check our files are read by the tools scientists use).
# chromium: the real browser the dashboard test drives through playwright-core.
# openssl: makes the self-signed certificate the TLS test serves HTTPS with.
# redis-server: the real Redis the job-queue tests (BullMQ workers, kill -9, restarts) start on their own ports.
# Installs only what is missing; needs root or sudo.
set -euo pipefail
packages=(socat python3-numpy python3-tifffile python3-zarr chromium openssl redis-server)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
