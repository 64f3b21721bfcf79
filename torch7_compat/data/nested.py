"""Walking batches: dicts, namedtuples, lists and tuples nest; the rest are leaves."""
import collections.abc
from typing import Any, Callable, Tuple, Type, Union

LeafTypes = Union[Type, Tuple[Type, ...]]


def map_nested(function: Callable[[Any], Any], value: Any, leaf_types: LeafTypes) -> Any:
    """`value` rebuilt with function(leaf) for every leaf of one of `leaf_types` (looked
    for before nesting, so a namedtuple type can be a leaf); other leaves are kept.
    Mappings come back as dicts, sequences as their own type."""
    if isinstance(value, leaf_types):
        return function(value)
    if isinstance(value, collections.abc.Mapping):
        return {key: map_nested(function, item, leaf_types) for key, item in value.items()}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(map_nested(function, item, leaf_types) for item in value))
    if isinstance(value, (list, tuple)):
        return type(value)(map_nested(function, item, leaf_types) for item in value)
    return value
