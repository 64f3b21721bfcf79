# cython: language_level=3
"""The tensor core: storages, strided tensors and their kernels.

One extension module, so that every `cdef public` function below is an exported symbol of
one shared library: LuaJIT reaches them through its FFI (lua/torch/core.lua), Python through
the cdef classes at the end. The parts live in .pxi files, one job each, in dependency order.
"""

include "base.pxi"
include "storage.pxi"
include "tensor.pxi"
include "walk.pxi"
include "copy_fill.pxi"
include "pointwise.pxi"
include "reduce.pxi"
include "blas.pxi"
# ---- tensor math (h3math) ----
include "vector_loops.pxi"
include "compare.pxi"
include "dimwise.pxi"
include "sort.pxi"
include "histogram.pxi"
# ---- end of tensor math (h3math) ----
include "random.pxi"
include "nn_common.pxi"
include "nn_kernels.pxi"
include "nn_conv.pxi"
include "nn_pool.pxi"
include "nn_transfer.pxi"
include "nn_criterion.pxi"
include "nn_resample.pxi"
include "nn_norm.pxi"
include "nn_embed.pxi"
include "nn_conv_map.pxi"
include "nn_temporal.pxi"
include "nn_index_linear.pxi"
include "stdio.pxi"
# ---- h3index: shape, indexing, Half
include "half.pxi"
include "file_io.pxi"
include "shape.pxi"
include "index.pxi"
# ---- end h3index
# ---- h3linalg: linear algebra and signal ----
include "lapack.pxi"
include "signal.pxi"
# ---- end h3linalg ----
include "sigint.pxi"
include "thread_sync.pxi"
# ---- the Python Tensor (h6tensor) ----
include "py_dtype.pxi"
include "py_device.pxi"
include "py_grad.pxi"
include "py_tensor.pxi"
include "py_broadcast.pxi"
include "py_views.pxi"
include "py_index.pxi"
include "py_math.pxi"
include "py_reduce.pxi"
include "py_factories.pxi"
include "py_dlpack.pxi"
include "py_api.pxi"
# ---- end of the Python Tensor (h6tensor) ----
include "py_nn.pxi"
