"""Datasets, samplers and default_collate."""
import collections

import numpy as np
import pytest

import torch7_compat as t7
from torch7_compat import data


def arange_tensor(*shape, dtype=np.float64):
    return t7.from_numpy(np.arange(np.prod(shape), dtype=dtype).reshape(shape))


def test_tensor_dataset_rows_are_views():
    features = arange_tensor(5, 3)
    labels = arange_tensor(5, dtype=np.int64)
    dataset = data.TensorDataset(features, labels)
    assert len(dataset) == 5
    row, label = dataset[2]
    np.testing.assert_array_equal(row.numpy(), [6, 7, 8])
    assert label.shape == () and label.item() == 2          # a 0-d tensor, as PyTorch
    assert data.default_collate([dataset[i][1] for i in range(3)]).shape == (3,)
    row.numpy()[0] = -1
    assert features.numpy()[2, 0] == -1
    with pytest.raises(ValueError, match="Size mismatch between tensors"):
        data.TensorDataset(features, arange_tensor(4))


def test_subset_concat_and_add():
    first = data.TensorDataset(arange_tensor(4))
    second = data.TensorDataset(arange_tensor(3))
    both = first + second
    assert isinstance(both, data.ConcatDataset) and len(both) == 7
    assert [both[i][0].item() for i in range(7)] == [0, 1, 2, 3, 0, 1, 2]
    assert both[-1][0].item() == 2 and both.cumulative_sizes == [4, 7]
    with pytest.raises(ValueError, match="should not exceed dataset length"):
        both[-8]
    with pytest.raises(IndexError):
        both[7]
    subset = data.Subset(both, [6, 0, 3])
    assert len(subset) == 3 and [subset[i][0].item() for i in range(3)] == [2, 0, 3]
    with pytest.raises(TypeError, match="IterableDataset"):
        data.ConcatDataset([first, data.IterableDataset()])


def test_random_split_lengths_fractions_and_seed():
    dataset = data.TensorDataset(arange_tensor(10))
    parts = data.random_split(dataset, [3, 7], generator=5)
    assert [len(p) for p in parts] == [3, 7]
    indices = parts[0].indices + parts[1].indices
    assert sorted(indices) == list(range(10)) and indices != list(range(10))
    again = data.random_split(dataset, [3, 7], generator=5)
    assert again[0].indices == parts[0].indices
    t7.manual_seed(11)
    first = data.random_split(dataset, [5, 5])[0].indices
    t7.manual_seed(11)
    assert data.random_split(dataset, [5, 5])[0].indices == first
    assert [len(p) for p in data.random_split(dataset, [0.45, 0.45, 0.1])] == [5, 4, 1]
    with pytest.raises(ValueError, match="Sum of input lengths"):
        data.random_split(dataset, [3, 3])


def test_sequential_and_random_samplers():
    source = list(range(9))
    assert list(data.SequentialSampler(source)) == source
    sampler = data.RandomSampler(source, generator=np.random.default_rng(3))
    first, second = list(sampler), list(sampler)
    assert sorted(first) == source and sorted(second) == source and first != second
    replay = data.RandomSampler(source, generator=np.random.default_rng(3))
    assert list(replay) == first and list(replay) == second
    expected = np.random.default_rng(3).permutation(9).tolist()
    assert first == expected
    drawn = list(data.RandomSampler(source, replacement=True, num_samples=50, generator=1))
    assert len(drawn) == 50 and set(drawn) <= set(source) and len(set(drawn)) < 50
    longer = list(data.RandomSampler(source, num_samples=20, generator=2))
    assert len(longer) == 20 and sorted(longer[:9]) == source
    with pytest.raises(ValueError, match="num_samples should be a positive integer"):
        data.RandomSampler(source, num_samples=0)


def test_subset_random_and_batch_samplers():
    picked = list(data.SubsetRandomSampler([10, 20, 30, 40], generator=0))
    assert sorted(picked) == [10, 20, 30, 40]
    batches = list(data.BatchSampler(range(7), 3, drop_last=False))
    assert batches == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(data.BatchSampler(range(7), 3, drop_last=True)) == [[0, 1, 2], [3, 4, 5]]
    assert len(data.BatchSampler(range(7), 3, False)) == 3
    assert len(data.BatchSampler(range(7), 3, True)) == 2
    with pytest.raises(ValueError, match="batch_size should be a positive integer"):
        data.BatchSampler(range(7), 0, False)


Point = collections.namedtuple("Point", "x y")


def test_default_collate_stacks_recursively():
    samples = [{"image": t7.from_numpy(np.full((2, 2), float(i))), "label": i,
                "weight": 0.5 * i, "name": "s%d" % i, "pair": (np.int32(i), np.ones(3) * i),
                "point": Point(i, [i, -i])} for i in range(3)]
    batch = data.default_collate(samples)
    assert isinstance(batch["image"], t7.Tensor) and batch["image"].shape == (3, 2, 2)
    np.testing.assert_array_equal(batch["image"].numpy(),
                                  np.stack([np.full((2, 2), float(i)) for i in range(3)]))
    assert batch["label"].dtype == np.int64 and batch["label"].tolist() == [0, 1, 2]
    assert batch["weight"].dtype == np.float64 and batch["weight"].tolist() == [0, 0.5, 1]
    assert batch["name"] == ["s0", "s1", "s2"]
    assert isinstance(batch["pair"], list)          # tuples come back as lists (PyTorch)
    assert batch["pair"][0].dtype == np.int32 and batch["pair"][0].tolist() == [0, 1, 2]
    np.testing.assert_array_equal(batch["pair"][1].numpy(), np.outer([0, 1, 2], np.ones(3)))
    assert isinstance(batch["point"], Point) and batch["point"].x.tolist() == [0, 1, 2]
    assert [t.tolist() for t in batch["point"].y] == [[0, 1, 2], [0, -1, -2]]
    assert data.default_collate([True, False]).dtype == np.uint8


def test_default_collate_refuses_what_it_cannot_batch():
    with pytest.raises(RuntimeError, match=r"stack expects each tensor to be equal size, but "
                       r"got \[2\] at entry 0 and \[3\] at entry 1"):
        data.default_collate([np.zeros(2), np.zeros(3)])
    with pytest.raises(RuntimeError, match="each element in list of batch should be of equal"):
        data.default_collate([[1, 2], [1]])
    with pytest.raises(TypeError, match="default_collate: batch must contain"):
        data.default_collate([object(), object()])
    with pytest.raises(TypeError, match="default_collate: batch must contain"):
        data.default_collate([np.array(["a"]), np.array(["b"])])


def test_default_convert_shares_memory():
    array = np.arange(3.0)
    converted = data.default_convert({"a": [array, 1]})
    assert isinstance(converted["a"][0], t7.Tensor) and converted["a"][1] == 1
    converted["a"][0].numpy()[0] = 9
    assert array[0] == 9


def test_default_collate_of_tensors_of_mixed_dtypes_and_shapes():
    mixed = data.default_collate([t7.from_numpy(np.ones(2, np.float32)),
                                  t7.from_numpy(np.ones(2, np.float64))])
    assert mixed.dtype == np.float64 and mixed.shape == (2, 2)
    with pytest.raises(RuntimeError, match=r"got \[2\] at entry 0 and \[3\] at entry 1"):
        data.default_collate([t7.from_numpy(np.ones(2)), t7.from_numpy(np.ones(3))])
    rows = arange_tensor(4, 2, 3)
    stacked = data.default_collate([rows[i] for i in (3, 1)])
    np.testing.assert_array_equal(stacked.numpy(), rows.numpy()[[3, 1]])
