#!/usr/bin/env bash
# Downloads (here, where the registry is reachable) the wheels that tools/gpu_check.sh needs
# on the GPU machine, which reaches none: Python 3.12, manylinux x86_64, into wheels/
# (ignored by git; pass it to the device tool's `carry`, 64 MiB at most).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip download --quiet --dest wheels --only-binary=:all: --python-version 3.12 \
    --platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 \
    --platform manylinux_2_28_x86_64 \
    "lupa>=2.0" "numpy>=1.21" "Cython>=3.0" "scipy-openblas32>=0.3.27" "setuptools>=68" wheel \
    "prompt_toolkit>=3.0" pytest
du -sh wheels
