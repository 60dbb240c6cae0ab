#!/bin/sh
# Install the headless browser the map tests (tests/viz/test_pages.py) and bench/viz_speed.py drive:
# Debian's chromium and its matching chromedriver, from the distribution's packages (no browser
# download). Run as root (CI) or through sudo. Also installs Selenium into the project's venv when
# one exists (.venv), since the tests drive Chromium through it.
set -eu
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium chromium-driver
cd "$(dirname "$0")/.."
if [ -x .venv/bin/python ]; then
    .venv/bin/python -m pip install --quiet "selenium>=4.11"
fi
/usr/bin/chromium --version
/usr/bin/chromedriver --version
