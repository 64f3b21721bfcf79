"""Element types, as PyTorch names them: t7.float32 (t7.float), t7.float64 (t7.double),
t7.float16 (t7.half), t7.int64 (t7.long), t7.int32 (t7.int), t7.int16 (t7.short), t7.int8,
t7.uint8. Each compares equal to its name as a string ('float32') and to numpy's type.

There is no bool type: Torch7 has none, comparisons give uint8 tensors (its ByteTensor
masks), and indexing takes a uint8 tensor as a mask."""
from ._native import core as _core

DType = _core.DType
uint8, int8, int16, int32, int64 = (_core.uint8, _core.int8, _core.int16, _core.int32,
                                    _core.int64)
float16, float32, float64 = _core.float16, _core.float32, _core.float64
half, float, double = float16, float32, float64
short, int, long = int16, int32, int64
promote_types = _core.promote_types_py
dtype = _core.dtype_from
