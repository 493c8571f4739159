#!/usr/bin/env bash
# Installs Debian's Chromium and its WebDriver for the dashboard's browser tests
# (vernier-dashboard, *BrowserTest). Idempotent: does nothing when both are there.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends chromium chromium-driver fonts-dejavu-core
/usr/bin/chromium --version
/usr/bin/chromedriver --version
