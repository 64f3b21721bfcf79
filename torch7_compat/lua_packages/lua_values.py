"""Nested values (tables of strings, numbers, booleans and tensors) sent to Lua as one string,
which lua/torch7_compat/python_values.lua rebuilds into tables: one call across instead of
one per element. The form, in pre-order:

    n <f8 double>   s <u4 length> bytes   a <u4 count> items   o <u4 count> (key, value)...
    t (true)   f (false)   z (None)   T <u4 index>: the index-th tensor of the list given
    back beside the string (the Lua side fetches those through a call of its own)

Keys of `o` are strings, written as <u4 length> bytes.
"""
import struct
import sys

_COUNT = struct.Struct("<I")
_TAGGED_COUNT = struct.Struct("<cI")
_TAGGED_DOUBLE = struct.Struct("<cd")


class Pairs(list):
    """An object's (key, value) pairs in order (a dict may be given instead)."""


class TooDeep(ValueError):
    """The value nests tables deeper than the limit given to pack."""


# a generous bound on Python frames for nesting when no depth limit is given
_NESTING_BOUND = 20000


def pack(value, max_depth=None, is_tensor=None):
    """(string, tensors): value's form, and the values that is_tensor(v) picked out as
    tensors, in the order of their indices. Raises TooDeep beyond max_depth tables."""
    out, tensors = [], []
    append = out.append
    tagged_count, tagged_double, count = _TAGGED_COUNT.pack, _TAGGED_DOUBLE.pack, _COUNT.pack
    limit = min(max_depth or _NESTING_BOUND, _NESTING_BOUND)

    def walk(item, depth):
        kind = type(item)
        if kind is str or kind is bytes:
            raw = item.encode("utf-8") if kind is str else item
            append(tagged_count(b"s", len(raw)))
            append(raw)
        elif kind is float or kind is int:
            append(tagged_double(b"n", item))
        elif kind is list or kind is tuple or kind is Pairs or kind is dict:
            if depth >= limit:
                raise TooDeep(depth + 1)
            if kind is list or kind is tuple:
                append(tagged_count(b"a", len(item)))
                for child in item:
                    walk(child, depth + 1)
            else:
                entries = item.items() if kind is dict else item
                append(tagged_count(b"o", len(entries)))
                for key, child in entries:
                    raw = key.encode("utf-8") if type(key) is str else key
                    append(count(len(raw)))
                    append(raw)
                    walk(child, depth + 1)
        elif item is True:
            append(b"t")
        elif item is False:
            append(b"f")
        elif item is None:
            append(b"z")
        elif is_tensor is not None and is_tensor(item):
            append(tagged_count(b"T", len(tensors)))
            tensors.append(item)
        else:
            append(tagged_double(b"n", float(item)))

    # one Python frame per level of nesting
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old_limit, limit + 100))
    try:
        walk(value, 0)
    finally:
        sys.setrecursionlimit(old_limit)
    return b"".join(out), tensors
