#!/bin/sh
# Install Debian's Virtuoso open source edition for the bulk-load tests (tests/load/test_virtuoso.py)
# and `kg load virtuoso`: the server virtuoso-t and its client isql-vt. Run as root (CI) or through
# sudo. The package asks for a DBA password through debconf; non-interactive, the question is left
# blank and the package keeps its own service disabled (default password), which is what the tests
# want: they start a private server of their own. `dpkg-reconfigure virtuoso-opensource-7` sets a
# password and enables the service later.
set -eu
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; else SUDO=; fi
# env: sudo resets the environment, and debconf must not prompt
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update
# the lock timeout lets `make -j` run this beside scripts/install_browser.sh
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    -o DPkg::Lock::Timeout=600 virtuoso-opensource
command -v virtuoso-t
command -v isql-vt
virtuoso-t -? 2>&1 | sed -n 2p
