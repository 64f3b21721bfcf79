"""DataLoader in this process: batching, shuffling, options and their checks."""
import numpy as np
import pytest

import torch7_compat as t7
from torch7_compat import data

from data_cases import Numbered, Stream


def features_and_labels(n=10):
    x = np.arange(n * 3, dtype=np.float32).reshape(n, 3)
    return x, np.arange(n) * 10


def test_batches_are_the_datasets_rows_in_order():
    x, y = features_and_labels()
    loader = data.DataLoader(data.TensorDataset(t7.from_numpy(x), t7.from_numpy(y)),
                             batch_size=4)
    batches = list(loader)
    assert len(loader) == 3 and len(batches) == 3
    for i, (features, labels) in enumerate(batches):
        np.testing.assert_array_equal(features.numpy(), x[4 * i:4 * i + 4])
        np.testing.assert_array_equal(labels.numpy(), y[4 * i:4 * i + 4])
    assert batches[0][0].dtype == np.float32 and batches[-1][0].shape == (2, 3)
    dropped = data.DataLoader(data.TensorDataset(t7.from_numpy(x)), batch_size=4,
                              drop_last=True)
    assert len(dropped) == 2 and [b[0].shape for b in dropped] == [(4, 3), (4, 3)]


def test_shuffle_visits_everything_once_and_is_reproducible():
    dataset = Numbered(23)
    loader = data.DataLoader(dataset, batch_size=5, shuffle=True, generator=42)
    first = np.concatenate([b["index"].numpy() for b in loader])
    second = np.concatenate([b["index"].numpy() for b in loader])
    assert sorted(first) == list(range(23)) and sorted(second) == list(range(23))
    assert list(first) != list(range(23)) and list(first) != list(second)
    again = data.DataLoader(dataset, batch_size=5, shuffle=True, generator=42)
    assert list(np.concatenate([b["index"].numpy() for b in again])) == list(first)
    # as PyTorch: each epoch first draws the workers' base seed, then the sampler's order
    rng = np.random.default_rng(42)
    rng.integers(0, 2 ** 62)
    expected = rng.permutation(23)
    np.testing.assert_array_equal(first, expected)
    t7.manual_seed(3)
    unseeded = np.concatenate([b["index"].numpy() for b in data.DataLoader(
        dataset, batch_size=5, shuffle=True)])
    t7.manual_seed(3)
    assert list(np.concatenate([b["index"].numpy() for b in data.DataLoader(
        dataset, batch_size=5, shuffle=True)])) == list(unseeded)


def test_batch_size_none_sampler_batch_sampler_and_collate_fn():
    dataset = Numbered(6)
    single = list(data.DataLoader(dataset, batch_size=None))
    assert [s["index"] for s in single] == list(range(6))
    assert isinstance(single[0]["features"], t7.Tensor)     # converted, not batched
    assert single[0]["features"].shape == (40, 40)
    ordered = data.DataLoader(dataset, sampler=[5, 3, 1], batch_size=2)
    assert [b["index"].tolist() for b in ordered] == [[5, 3], [1]]
    grouped = data.DataLoader(dataset, batch_sampler=[[0, 1, 2], [4]])
    assert [b["index"].tolist() for b in grouped] == [[0, 1, 2], [4]] and len(grouped) == 2
    custom = data.DataLoader(dataset, batch_size=3, collate_fn=lambda s: [d["index"] for d in s])
    assert list(custom) == [[0, 1, 2], [3, 4, 5]]


def test_iterable_dataset_batches():
    loader = data.DataLoader(Stream(7), batch_size=3)
    assert [b.tolist() for b in loader] == [[0, 1, 2], [3, 4, 5], [6]]
    assert len(loader) == 3
    dropped = data.DataLoader(Stream(7), batch_size=3, drop_last=True)
    assert [b.tolist() for b in dropped] == [[0, 1, 2], [3, 4, 5]] and len(dropped) == 2


def test_option_checks_as_pytorch():
    dataset = Numbered(4)
    cases = [
        (dict(num_workers=-1), "num_workers option should be non-negative"),
        (dict(timeout=-1), "timeout option should be non-negative"),
        (dict(prefetch_factor=2), "prefetch_factor option could only be specified"),
        (dict(persistent_workers=True), "persistent_workers option needs num_workers > 0"),
        (dict(sampler=[0, 1], shuffle=True), "sampler option is mutually exclusive with shuffle"),
        (dict(batch_sampler=[[0]], batch_size=2), "batch_sampler option is mutually exclusive"),
        (dict(batch_size=None, drop_last=True), "batch_size=None option disables auto-batching"),
    ]
    for options, message in cases:
        with pytest.raises(ValueError, match=message):
            data.DataLoader(dataset, **options)
    with pytest.raises(ValueError, match="expected unspecified shuffle option"):
        data.DataLoader(Stream(3), shuffle=True)
    with pytest.raises(ValueError, match="expected unspecified sampler option"):
        data.DataLoader(Stream(3), sampler=[0])
