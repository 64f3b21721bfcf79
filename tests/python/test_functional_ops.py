"""t7.nn.functional: forward values against numpy reimplementations, gradcheck (float64)
of every function, and clear errors on bad input."""
import numpy as np
import pytest

import torch7_compat as t7
from torch7_compat import autograd
from torch7_compat.autograd import gradcheck
from torch7_compat.nn import functional as F
from autograd_cases import RNG, rand, tensor, value


def labels(*values):
    return tensor(values, dtype=np.int64)


def conv2d_reference(x, w, b, stride, pad):
    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    n, _, h, wd = x.shape
    o, _, kh, kw = w.shape
    oh, ow = (h - kh) // stride + 1, (wd - kw) // stride + 1
    out = np.zeros((n, o, oh, ow))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[:, :, i, j] = np.tensordot(patch, w, axes=([1, 2, 3], [1, 2, 3]))
    return out + b[None, :, None, None]


def log_softmax_reference(x, axis):
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def test_linear_matches_numpy_and_gradchecks():
    x, w, b = rand(5, 4), rand(3, 4), rand(3)
    np.testing.assert_allclose(value(F.linear(x, w, b)), value(x) @ value(w).T + value(b))
    assert gradcheck(F.linear, (x, w, b))
    assert gradcheck(lambda a, c: F.linear(a, c), (rand(2, 3, 4), w))
    assert gradcheck(F.linear, (rand(4), w, b))


def test_conv2d_matches_a_direct_convolution_and_gradchecks():
    x, w, b = rand(2, 3, 7, 6), rand(4, 3, 3, 3), rand(4)
    out = F.conv2d(x, w, b, stride=2, padding=1)
    np.testing.assert_allclose(value(out), conv2d_reference(value(x), value(w), value(b), 2, 1),
                               rtol=1e-10, atol=1e-10)
    assert gradcheck(lambda a, c, d: F.conv2d(a, c, d, stride=2, padding=1), (x, w, b))
    assert gradcheck(lambda a, c: F.conv2d(a, c, groups=2, dilation=2),
                     (rand(1, 4, 6, 6), rand(2, 2, 2, 2)))


def test_max_pool2d_matches_numpy_and_gradchecks():
    x = rand(2, 3, 6, 6)
    out, indices = F.max_pool2d(x, 2, return_indices=True)
    expected = value(x).reshape(2, 3, 3, 2, 3, 2).max(axis=(3, 5))
    np.testing.assert_allclose(value(out), expected)
    assert indices.lua_type == "torch.LongTensor" and int(value(indices).max()) < 36
    assert gradcheck(lambda a: F.max_pool2d(a, 3, stride=2, padding=1), (x,))


def test_avg_pool2d_matches_numpy_and_gradchecks():
    x = rand(2, 3, 6, 6)
    expected = value(x).reshape(2, 3, 3, 2, 3, 2).mean(axis=(3, 5))
    np.testing.assert_allclose(value(F.avg_pool2d(x, 2)), expected)
    assert gradcheck(lambda a: F.avg_pool2d(a, 3, 2, 1, count_include_pad=False), (x,))


def test_batch_norm_training_matches_numpy_and_updates_running_stats():
    x, w, b = rand(6, 3, 2, 2), rand(3), rand(3)
    running_mean, running_var = tensor(np.zeros(3)), tensor(np.ones(3))
    out = F.batch_norm(x, running_mean, running_var, w, b, training=True, momentum=0.1)
    v = value(x)
    mean, var = v.mean(axis=(0, 2, 3)), v.var(axis=(0, 2, 3))
    normed = (v - mean[None, :, None, None]) / np.sqrt(var[None, :, None, None] + 1e-5)
    np.testing.assert_allclose(value(out), normed * value(w)[None, :, None, None]
                               + value(b)[None, :, None, None], rtol=1e-6, atol=1e-8)
    count = v.size // 3
    np.testing.assert_allclose(value(running_mean), 0.1 * mean)
    np.testing.assert_allclose(value(running_var), 0.9 + 0.1 * var * count / (count - 1))
    assert gradcheck(lambda a, c, d: F.batch_norm(a, None, None, c, d, training=True),
                     (x, w, b))
    assert gradcheck(lambda a: F.batch_norm(a, None, None, training=True), (rand(5, 4),))


def test_batch_norm_eval_uses_running_stats_and_gradchecks():
    x, w, b = rand(4, 3), rand(3), rand(3)
    running_mean, running_var = tensor([0.5, -1.0, 2.0]), tensor([1.5, 0.5, 2.0])
    out = F.batch_norm(x, running_mean, running_var, w, b, training=False, eps=1e-3)
    expected = (value(x) - value(running_mean)) / np.sqrt(value(running_var) + 1e-3)
    np.testing.assert_allclose(value(out), expected * value(w) + value(b))
    np.testing.assert_allclose(value(running_mean), [0.5, -1.0, 2.0])
    assert gradcheck(lambda a, c, d: F.batch_norm(a, running_mean, running_var, c, d),
                     (x, w, b))


def test_dropout_zeroes_and_scales_in_training_only():
    x = tensor(np.ones((200, 50)), True)
    out = value(F.dropout(x, 0.3))
    assert set(np.unique(np.round(out, 12))) == {0.0, round(1 / 0.7, 12)}
    assert 0.25 < (out == 0).mean() < 0.35
    assert F.dropout(x, 0.3, training=False) is x
    y = F.dropout(x, 0.5)
    autograd.backward(y, tensor(np.ones((200, 50))))
    np.testing.assert_allclose(value(x.grad), value(y))


def test_dropout_draws_torch7s_bernoulli_from_the_seeded_generator():
    x = tensor(np.ones(64))
    t7.manual_seed(5)
    first = value(F.dropout(x, 0.5))
    t7.manual_seed(5)
    np.testing.assert_array_equal(value(F.dropout(x, 0.5)), first)
    lua_mask = t7.lua.execute("torch.manualSeed(5); "
                              "return torch.Tensor(64):bernoulli(0.5)")
    np.testing.assert_array_equal(first, 2 * value(lua_mask))


@pytest.mark.parametrize("name", ["relu", "tanh", "sigmoid"])
def test_activations_match_numpy_and_gradcheck(name):
    x = tensor([-2.0, -0.3, 0.4, 1.7], True)
    expected = {"relu": np.maximum(value(x), 0), "tanh": np.tanh(value(x)),
                "sigmoid": 1 / (1 + np.exp(-value(x)))}[name]
    fn = getattr(F, name)
    np.testing.assert_allclose(value(fn(x)), expected)
    assert gradcheck(fn, (x,))


@pytest.mark.parametrize("dim", [0, 1, 2, -1])
def test_softmax_and_log_softmax_along_any_dim(dim):
    x = rand(2, 3, 4)
    expected = log_softmax_reference(value(x), dim)
    np.testing.assert_allclose(value(F.log_softmax(x, dim)), expected, atol=1e-12)
    np.testing.assert_allclose(value(F.softmax(x, dim)), np.exp(expected), atol=1e-12)
    assert gradcheck(lambda a: F.softmax(a, dim), (x,))
    assert gradcheck(lambda a: F.log_softmax(a, dim), (x,))


def test_nll_loss_reductions_weights_and_ignore_index():
    x, target = rand(4, 3), labels(0, 2, 1, 2)
    v, t = value(x), value(target)
    picked = -v[np.arange(4), t]
    np.testing.assert_allclose(value(F.nll_loss(x, target)).reshape(-1), [picked.mean()])
    np.testing.assert_allclose(value(F.nll_loss(x, target, reduction="sum")).reshape(-1),
                               [picked.sum()])
    np.testing.assert_allclose(value(F.nll_loss(x, target, reduction="none")), picked)
    weight = tensor([1.0, 2.0, 0.5])
    w = value(weight)[t]
    np.testing.assert_allclose(value(F.nll_loss(x, target, weight)).reshape(-1),
                               [(picked * w).sum() / w.sum()])
    ignored = labels(0, -100, 1, 2)
    keep = np.array([0, 2, 3])
    np.testing.assert_allclose(value(F.nll_loss(x, ignored)).reshape(-1),
                               [picked[keep].mean()])
    for reduction in ("mean", "sum", "none"):
        assert gradcheck(lambda a: F.nll_loss(a, target, weight, reduction=reduction), (x,))
    assert gradcheck(lambda a: F.nll_loss(a, ignored), (x,))


def test_cross_entropy_indices_probabilities_and_spatial():
    x, target = rand(4, 5), labels(1, 0, 4, 2)
    expected = -log_softmax_reference(value(x), 1)[np.arange(4), value(target)].mean()
    np.testing.assert_allclose(value(F.cross_entropy(x, target)).reshape(-1), [expected])
    assert gradcheck(lambda a: F.cross_entropy(a, target), (x,))
    probabilities = tensor(RNG.dirichlet(np.ones(5), 4))
    expected = -(value(probabilities) * log_softmax_reference(value(x), 1)).sum(1).mean()
    np.testing.assert_allclose(value(F.cross_entropy(x, probabilities)).reshape(-1), [expected])
    assert gradcheck(lambda a: F.cross_entropy(a, probabilities), (x,))
    spatial, spatial_target = rand(2, 3, 2, 2), tensor(RNG.integers(0, 3, (2, 2, 2)),
                                                        dtype=np.int64)
    logp = log_softmax_reference(value(spatial), 1)
    t = value(spatial_target)
    picked = np.take_along_axis(logp, t[:, None], axis=1)[:, 0]
    np.testing.assert_allclose(value(F.cross_entropy(spatial, spatial_target)).reshape(-1),
                               [-picked.mean()])
    assert gradcheck(lambda a: F.cross_entropy(a, spatial_target), (spatial,))


def test_mse_loss_reductions_and_target_gradient():
    x, y = rand(3, 4), rand(3, 4)
    d = value(x) - value(y)
    np.testing.assert_allclose(value(F.mse_loss(x, y)).reshape(-1), [(d ** 2).mean()])
    np.testing.assert_allclose(value(F.mse_loss(x, y, reduction="sum")).reshape(-1),
                               [(d ** 2).sum()])
    np.testing.assert_allclose(value(F.mse_loss(x, y, reduction="none")), d ** 2)
    for reduction in ("mean", "sum", "none"):
        assert gradcheck(lambda a, b: F.mse_loss(a, b, reduction=reduction), (x, y))


def test_embedding_rows_and_gradient_with_padding():
    weight = rand(6, 3)
    indices = tensor(np.array([[0, 2], [2, 5]]), dtype=np.int64)
    np.testing.assert_allclose(value(F.embedding(indices, weight)),
                               value(weight)[value(indices)])
    assert gradcheck(lambda w: F.embedding(indices, w), (weight,))
    out = F.embedding(indices, weight, padding_idx=2)
    autograd.backward(out, tensor(np.ones((2, 2, 3))))
    np.testing.assert_allclose(value(weight.grad)[:, 0], [1, 0, 0, 0, 0, 1])


def test_float32_forward_matches_float64():
    x, w, b = rand(5, 4, requires_grad=False), rand(3, 4, requires_grad=False), rand(3)
    as32 = [tensor(value(t), dtype=np.float32) for t in (x, w, b)]
    np.testing.assert_allclose(value(F.linear(*as32)), value(F.linear(x, w, b)), rtol=1e-5)
    assert F.linear(*as32).lua_type == "torch.FloatTensor"


def test_bad_input_gives_clear_errors():
    with pytest.raises(ValueError, match="linear"):
        F.linear(rand(2, 3), rand(4, 5))
    with pytest.raises(ValueError, match="channels"):
        F.conv2d(rand(1, 3, 5, 5), rand(2, 4, 3, 3))
    with pytest.raises(ValueError, match="differ"):
        F.mse_loss(rand(3), rand(4))
    with pytest.raises(ValueError, match="target"):
        F.nll_loss(rand(3, 4), labels(0, 1))
    with pytest.raises(t7.TensorError, match="out of bounds"):
        F.nll_loss(rand(2, 4), labels(0, 7))
    with pytest.raises(TypeError, match="integer class indices"):
        F.nll_loss(rand(2, 4), rand(2, requires_grad=False))
    with pytest.raises(ValueError, match="reduction"):
        F.mse_loss(rand(3), rand(3), reduction="avg")
    with pytest.raises(ValueError, match="dropout probability"):
        F.dropout(rand(3), 1.5)
    with pytest.raises(ValueError, match="running_mean"):
        F.batch_norm(rand(4, 3), None, None)
