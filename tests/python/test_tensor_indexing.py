"""0-based indexing with numpy's rules: views for basic indices, copies for arrays and
masks, assignment through every form; numpy is the oracle."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import torch7_compat as t7


def basic_indices(shape):
    return hnp.basic_indices(shape, min_dims=0, allow_newaxis=True, allow_ellipsis=True)


@st.composite
def array_and_index(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=5))
    index = draw(basic_indices(shape))
    return shape, index


@settings(max_examples=150, deadline=None)
@given(array_and_index())
def test_basic_indexing_matches_numpy(case):
    shape, index = case
    a = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    t = t7.tensor(a)
    r = t[index]
    expected = a[index]
    assert tuple(r.shape) == (expected.shape if expected.size else r.shape)
    np.testing.assert_array_equal(r.numpy().reshape(expected.shape), expected)


@settings(max_examples=100, deadline=None)
@given(array_and_index(), st.floats(-5, 5, allow_nan=False))
def test_basic_assignment_matches_numpy(case, value):
    shape, index = case
    a = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    t = t7.tensor(a)
    t[index] = value
    a[index] = value
    np.testing.assert_array_equal(t.numpy(), a)


def test_positive_step_slices_and_ints_are_views():
    t = t7.zeros(4, 6)
    v = t[1:3, ::2]
    v += 1
    row = t[2]
    row[5] = 9
    expected = np.zeros((4, 6))
    expected[1:3, ::2] += 1
    expected[2, 5] = 9
    np.testing.assert_array_equal(t.numpy(), expected)
    assert t[0, 0].shape == ()          # an element is a 0-d tensor, a view too
    e = t[3, 4]
    e.fill_(7)
    assert t.numpy()[3, 4] == 7


def test_negative_steps_read_and_write():
    a = np.arange(10.0)
    t = t7.tensor(a)
    np.testing.assert_array_equal(t[::-1].numpy(), a[::-1])
    np.testing.assert_array_equal(t[8:2:-3].numpy(), a[8:2:-3])
    t[::-2] = t7.arange(5, dtype=t7.float64)
    a[::-2] = np.arange(5)
    np.testing.assert_array_equal(t.numpy(), a)


INDEX_CASES = [
    ([0, 2],),
    ([[0, 1], [2, 2]],),
    (slice(None), [1, 0, 1]),
    ([0, 2], [1, 3]),
    ([0, 2], slice(1, 3), [1, 0]),
    (slice(None), [0, 1], [2, 3]),
    ([-1, 0],),
    (Ellipsis, [3, 0]),
    (None, [1, 2]),
    (1, [0, 3]),
    ([1], slice(None), 2),
]


@pytest.mark.parametrize("index", INDEX_CASES)
def test_integer_array_indexing_matches_numpy(index):
    a = np.arange(3 * 4 * 5, dtype=np.float32).reshape(3, 4, 5)
    t = t7.tensor(a)
    np_index = tuple(np.array(i) if isinstance(i, list) else i for i in index)
    expected = a[np_index]
    r = t[index]
    assert tuple(r.shape) == expected.shape
    np.testing.assert_array_equal(r.numpy(), expected)
    r2 = t[tuple(t7.tensor(i) if isinstance(i, list) else i for i in index)]
    np.testing.assert_array_equal(r2.numpy(), expected)


@pytest.mark.parametrize("index", INDEX_CASES)
def test_integer_array_assignment_matches_numpy(index):
    a = np.arange(3 * 4 * 5, dtype=np.float32).reshape(3, 4, 5)
    t = t7.tensor(a)
    np_index = tuple(np.array(i) if isinstance(i, list) else i for i in index)
    target_shape = a[np_index].shape
    value = np.arange(int(np.prod(target_shape)), dtype=np.float32).reshape(target_shape) * -1
    t[index] = t7.tensor(value)
    a[np_index] = value
    np.testing.assert_array_equal(t.numpy(), a)
    t[index] = 0.5
    a[np_index] = 0.5
    np.testing.assert_array_equal(t.numpy(), a)


def test_array_indexing_copies():
    t = t7.zeros(4)
    picked = t[[0, 1]]
    picked += 1
    assert t.sum().item() == 0


def test_boolean_masks():
    a = np.arange(12.0).reshape(3, 4)
    t = t7.tensor(a)
    np.testing.assert_array_equal(t[t > 5].numpy(), a[a > 5])
    np.testing.assert_array_equal(t[a > 5].numpy(), a[a > 5])     # a numpy bool array
    np.testing.assert_array_equal(t[np.array([True, False, True])].numpy(),
                                  a[np.array([True, False, True])])
    np.testing.assert_array_equal(t[:, [True, False, True, True]].numpy(),
                                  a[:, [True, False, True, True]])
    t[t > 5] = 0
    a[a > 5] = 0
    np.testing.assert_array_equal(t.numpy(), a)
    t[(t7.tensor(a) > 1) * (t7.tensor(a) < 4)] = t7.tensor([7.0, 8.0])
    a[(a > 1) & (a < 4)] = [7.0, 8.0]
    np.testing.assert_array_equal(t.numpy(), a)


def test_assignment_broadcasts_values():
    t = t7.zeros(3, 4)
    t[:] = t7.tensor([1.0, 2.0, 3.0, 4.0])
    t[1:, 2:] = t7.tensor([[9.0], [8.0]])
    a = np.zeros((3, 4))
    a[:] = [1, 2, 3, 4]
    a[1:, 2:] = [[9], [8]]
    np.testing.assert_array_equal(t.numpy(), a)
    with pytest.raises(RuntimeError, match="broadcast"):
        t[0] = t7.ones(3)


def test_assignment_from_an_overlapping_view():
    a = np.arange(6.0)
    t = t7.tensor(a)
    t[1:] = t[:5]
    a[1:] = a[:5].copy()
    np.testing.assert_array_equal(t.numpy(), a)


@pytest.mark.parametrize("index, message", [
    (5, "index 5 is out of bounds for dimension 0 with size 3"),
    (-4, "index -4 is out of bounds for dimension 0 with size 3"),
    ((0, 9), "index 9 is out of bounds for dimension 1 with size 4"),
    ((0, 0, 0), "too many indices"),
    ([0, 7], "index 7 is out of bounds"),
    ("a", "only integers"),
    (1.5, "only integers"),
])
def test_bad_indices_raise_index_error(index, message):
    t = t7.zeros(3, 4)
    with pytest.raises(IndexError, match=message):
        t[index]
    with pytest.raises(IndexError, match=message):
        t[index] = 1


def test_float_tensor_index_refused():
    with pytest.raises(IndexError, match="long, int, byte or bool"):
        t7.zeros(3)[t7.tensor([0.0, 1.0])]


def test_0d_tensor_indexing():
    s = t7.tensor(2.5)
    assert s[()].item() == 2.5
    assert s[None].shape == (1,)
    assert s[...].shape == ()
    with pytest.raises(IndexError, match="0-dim"):
        s[0]


def test_iteration_and_len():
    t = t7.tensor([[1, 2], [3, 4], [5, 6]])
    assert len(t) == 3
    rows = [r.tolist() for r in t]
    assert rows == [[1, 2], [3, 4], [5, 6]]
    with pytest.raises(TypeError):
        len(t7.tensor(1.0))


def test_nested_lists_of_bools_are_masks():
    a = np.arange(6.0).reshape(2, 3)
    mask = [[True, False, True], [False, True, False]]
    np.testing.assert_array_equal(t7.tensor(a)[mask].numpy(), a[np.array(mask)])
