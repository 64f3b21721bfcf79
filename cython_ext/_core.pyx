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
include "py_tensor.pxi"
