"""Making one batch from a dataset: the same in the parent (no workers) and in workers."""
from typing import Any, Callable, Iterator, NamedTuple, Optional


class FetchPlan(NamedTuple):
    """How batches are made: from indices (map-style) or from a stream (iterable), collated
    from samples (auto_collation) or one sample converted at a time (batch_size=None)."""
    dataset: Any
    iterable: bool
    auto_collation: bool
    collate_fn: Callable[[Any], Any]
    drop_last: bool
    batch_size: Optional[int]


def fetch_batch(plan: FetchPlan, iterator: Optional[Iterator[Any]], indices: Any) -> Any:
    """The batch for `indices` (a list, or one index without auto-collation); for an
    iterable dataset the next batch from `iterator`. StopIteration when a stream ends."""
    if not plan.iterable:
        if plan.auto_collation:
            return plan.collate_fn([plan.dataset[i] for i in indices])
        return plan.collate_fn(plan.dataset[indices])
    if not plan.auto_collation:
        return plan.collate_fn(next(iterator))
    samples = []
    for sample in iterator:
        samples.append(sample)
        if len(samples) == plan.batch_size:
            break
    if not samples or (plan.drop_last and len(samples) < plan.batch_size):
        raise StopIteration
    return plan.collate_fn(samples)
