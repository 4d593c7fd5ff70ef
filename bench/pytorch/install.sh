#!/bin/sh
# Installs what bench/pytorch/*.py need, from Debian, only when missing: PyTorch for the CPU, NumPy,
# SciPy (quickstart.py's probit and t quantiles) and the pthread OpenBLAS (Debian's default reference
# BLAS makes PyTorch's MLP ~10x slower, which would flatter shiftlab). Needs root (or sudo) and the
# Debian mirrors.
set -eu
missing=""
for pkg in python3-torch python3-numpy python3-scipy libopenblas0-pthread; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $pkg"
done
if [ -z "$missing" ]; then
  echo "pytorch benchmark dependencies already installed" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing:$missing" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
