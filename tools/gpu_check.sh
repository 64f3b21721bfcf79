#!/usr/bin/env bash
# The CUDA checks that need a GPU, in one run (for a session lent a GPU machine through the
# device tool; about 5 minutes of device time): report the machine, build the CUDA extension
# in place, run the `cuda`-marked tests, then the speed comparisons against PyTorch CUDA.
#
#   tools/gpu_check.sh [--no-bench]
#
# The device machine reaches no package registry: where its Python lacks the build's needs
# (Cython, scipy-openblas32, lupa, numpy, pytest), carry them from tools/fetch_gpu_wheels.sh
# (they land in wheels/, installed from there below). cuBLAS comes from the nvidia-cublas
# wheel that a CUDA build of PyTorch brings, or the toolkit; too large to carry.
set -uo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}

section() { printf '\n== %s\n' "$*"; }

section machine
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1 | head -3
nvcc --version 2>&1 | tail -2
$python --version
$python -c "import torch; print('PyTorch', torch.__version__, 'CUDA', torch.version.cuda,
      'GPU available:', torch.cuda.is_available())" 2>&1 | tail -1

if [ -d wheels ]; then
    section "installing the carried wheels"
    $python -m pip install --quiet --no-index --find-links wheels wheels/*.whl 2>&1 | tail -3
fi

section "what the build finds"
$python -c "import os, setup; print(setup.plan_cuda_build(os.environ))" || exit 1

section build
start=$(date +%s)
TORCH7_COMPAT_CUDA=1 $python setup.py build_ext --inplace > /tmp/gpu_check_build.log 2>&1
status=$?
echo "build: exit $status in $(( $(date +%s) - start )) s (log: /tmp/gpu_check_build.log)"
if [ $status -ne 0 ]; then tail -30 /tmp/gpu_check_build.log; exit 1; fi

section "cuda tests"
$python -m pytest -q -m cuda -p no:cacheprovider tests/test_cuda_kernels.py \
    tests/test_cuda_python.py 2>&1 | tail -25
$python -m pytest -q -p no:cacheprovider tests/test_cuda_unavailable.py \
    tests/test_cuda_fallback.py tests/test_cuda_build.py 2>&1 | tail -5

if [ "${1:-}" != "--no-bench" ]; then
    section "speed against PyTorch CUDA"
    $python bench/bench_cuda.py
fi
