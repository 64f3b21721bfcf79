"""Printing as PyTorch prints (with t7. dtypes): PyTorch's documented examples are the
reference layouts."""
import torch7_compat as t7


def test_float32_omits_its_dtype():
    assert repr(t7.tensor([1.0, 2.0, 3.0])) == "tensor([1., 2., 3.])"
    assert repr(t7.tensor([[1.0, 2.0], [3.0, 4.0]])) == "tensor([[1., 2.],\n        [3., 4.]])"
    assert repr(t7.tensor([0.1, 0.25])) == "tensor([0.1000, 0.2500])"


def test_other_dtypes_are_named():
    assert repr(t7.tensor([1, 2])) == "tensor([1, 2])"
    assert repr(t7.tensor([1, 2], dtype=t7.int32)) == "tensor([1, 2], dtype=t7.int32)"
    assert repr(t7.tensor([1.5], dtype=t7.float64)) == "tensor([1.5000], dtype=t7.float64)"
    assert repr(t7.tensor([1, 0]) > 0) == "tensor([1, 0], dtype=t7.uint8)"


def test_scalars_empty_and_requires_grad():
    assert repr(t7.tensor(3.5)) == "tensor(3.5000)"
    assert repr(t7.tensor(2)) == "tensor(2)"
    assert repr(t7.tensor([])) == "tensor([])"
    assert repr(t7.ones(2, requires_grad=True)) == "tensor([1., 1.], requires_grad=True)"


def test_scientific_and_long_tensors():
    assert repr(t7.tensor([1e-6, 1.0])) == "tensor([1.0000e-06, 1.0000e+00])"
    text = repr(t7.arange(2000))
    assert "..." in text and text.startswith("tensor([   0,    1,    2,")
