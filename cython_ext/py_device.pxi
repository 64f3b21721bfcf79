# Devices as PyTorch names them: t7.device('cpu'), t7.device('cuda', 0), t7.device('cuda:1').
# CPU tensors live on 'cpu'; CudaTensors (torch7_compat/cuda_tensor.py) on 'cuda:<index>',
# counted from 0 as in PyTorch (cutorch counts its devices from 1).

class device:
    """Where a tensor lives: device('cpu'), device('cuda'), device('cuda:1'),
    device('cuda', 1). Equal to its string form."""

    __slots__ = ("type", "index")

    def __init__(self, kind, index=None):
        if isinstance(kind, device):
            kind, index = kind.type, kind.index if index is None else index
        if not isinstance(kind, str):
            raise TypeError("device(): a string such as 'cpu' or 'cuda:0' expected, got %s"
                            % type(kind).__name__)
        name, _, number = kind.partition(":")
        if number:
            if index is not None:
                raise ValueError("device(): the index is given twice in %r" % kind)
            if not number.isdigit():
                raise ValueError("device(): invalid device string %r" % kind)
            index = int(number)
        if name not in ("cpu", "cuda"):
            raise RuntimeError("device(): expected 'cpu' or 'cuda', got %r" % kind)
        if index is not None and (not isinstance(index, int) or index < 0):
            raise ValueError("device(): the index must be a non-negative integer")
        if name == "cpu" and index not in (None, 0):
            raise ValueError("device(): the CPU has no index %d" % index)
        object.__setattr__(self, "type", name)
        object.__setattr__(self, "index", None if name == "cpu" else index)

    def __setattr__(self, name, value):
        raise AttributeError("device objects are immutable")

    def __str__(self):
        return self.type if self.index is None else "%s:%d" % (self.type, self.index)

    def __repr__(self):
        if self.index is None:
            return "device(type=%r)" % self.type
        return "device(type=%r, index=%d)" % (self.type, self.index)

    def __eq__(self, other):
        if isinstance(other, str):
            try:
                other = device(other)
            except (ValueError, RuntimeError):
                return False
        if not isinstance(other, device):
            return NotImplemented
        return self.type == other.type and self.index == other.index

    def __hash__(self):
        return hash((self.type, self.index))

    def __reduce__(self):
        return (device, (self.type, self.index))


CPU = device("cpu")


def is_device_spec(value):
    """Whether a positional argument of to() names a device (not a dtype)."""
    if isinstance(value, device):
        return True
    return isinstance(value, str) and value.partition(":")[0] in ("cpu", "cuda")
