"""Nested values (tables of strings, numbers, booleans and tensors) sent to Lua as one string,
which lua/torch7_compat/python_values.lua rebuilds into tables: one call across instead of
one per element. The form, in pre-order:

    n <f8 double>   s <u4 length> bytes   a <u4 count> items   o <u4 count> (key, value)...
    t (true)   f (false)   z (None)   T <u4 index>: the index-th tensor of the list given
    back beside the string (the Lua side fetches those through a call of its own)

Keys of `o` are strings, written as <u4 length> bytes.
"""
import struct

_DOUBLE = struct.Struct("<d")
_COUNT = struct.Struct("<I")


class Pairs(list):
    """An object's (key, value) pairs in order (a dict may be given instead)."""


class TooDeep(ValueError):
    """The value nests tables deeper than the limit given to pack."""


class _Key:
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name


def _bytes(s):
    return s if isinstance(s, bytes) else s.encode("utf-8")


def pack(value, max_depth=None, is_tensor=None):
    """(string, tensors): value's form, and the values that is_tensor(v) picked out as
    tensors, in the order of their indices. Raises TooDeep beyond max_depth tables."""
    out, tensors = [], []
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (Pairs, dict, list, tuple)):
            if max_depth is not None and depth + 1 > max_depth:
                raise TooDeep(depth + 1)
            if isinstance(item, (Pairs, dict)):
                entries = item.items() if isinstance(item, dict) else item
                entries = list(entries)
                out.append(b"o" + _COUNT.pack(len(entries)))
                for key, child in reversed(entries):
                    stack.append((child, depth + 1))
                    stack.append((_Key(key), depth))
            else:
                out.append(b"a" + _COUNT.pack(len(item)))
                stack.extend((child, depth + 1) for child in reversed(item))
        elif isinstance(item, _Key):
            raw = _bytes(item.name)
            out.append(_COUNT.pack(len(raw)) + raw)
        elif isinstance(item, (str, bytes)):
            raw = _bytes(item)
            out.append(b"s" + _COUNT.pack(len(raw)) + raw)
        elif item is True:
            out.append(b"t")
        elif item is False:
            out.append(b"f")
        elif item is None:
            out.append(b"z")
        elif is_tensor is not None and is_tensor(item):
            out.append(b"T" + _COUNT.pack(len(tensors)))
            tensors.append(item)
        else:
            out.append(b"n" + _DOUBLE.pack(float(item)))
    return b"".join(out), tensors
