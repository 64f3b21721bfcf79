"""t7.nn.Module: registration by attribute, walking, modes, gradients, state_dict."""
import numpy as np
import pytest

import torch7_compat as t7
from torch7_compat import autograd
from torch7_compat.nn import functional as F
from autograd_cases import rand, tensor, value


class TwoLayers(t7.nn.Module):
    def __init__(self):
        super().__init__()
        self.first = t7.nn.Linear(4, 3)
        self.second = t7.nn.Linear(3, 2, bias=False)
        self.scale = t7.nn.Parameter(tensor([2.0]))
        self.register_buffer("steps", tensor([0.0]))
        self.note = "plain attribute"

    def forward(self, x):
        return F.linear(F.tanh(self.first(x)), self.second.weight)


def test_attribute_assignment_registers_parameters_and_children():
    model = TwoLayers()
    names = [name for name, _ in model.named_parameters()]
    assert names == ["scale", "first.weight", "first.bias", "second.weight"]
    assert [name for name, _ in model.named_children()] == ["first", "second"]
    assert len(list(model.modules())) == 3
    assert model.second.bias is None
    assert model.note == "plain attribute"
    assert all(p.requires_grad for p in model.parameters())
    assert isinstance(model.first.weight, t7.nn.Parameter)


def test_double_and_float_convert_parameters_and_buffers():
    model = t7.nn.BatchNorm1d(3).double()
    assert model.weight.lua_type == "torch.DoubleTensor"
    assert model.running_mean.lua_type == "torch.DoubleTensor"
    assert model.float().weight.lua_type == "torch.FloatTensor"
    with pytest.raises(t7.TensorError, match="DoubleTensor"):
        t7.nn.Linear(2, 2)(rand(3, 2))


def test_parameters_are_listed_once_when_shared():
    model = TwoLayers()
    model.third = model.first
    assert len(list(model.parameters())) == 4


def test_wrong_assignments_are_refused():
    model = TwoLayers()
    with pytest.raises(TypeError, match="parameter 'scale'"):
        model.scale = tensor([1.0])
    with pytest.raises(KeyError):
        model.register_parameter("a.b", t7.nn.Parameter(tensor([1.0])))

    class Early(t7.nn.Module):
        def __init__(self):
            self.w = t7.nn.Parameter(tensor([1.0]))
    with pytest.raises(AttributeError, match="before Module.__init__"):
        Early()


def test_train_and_eval_reach_every_module():
    model = t7.nn.Sequential(t7.nn.Linear(2, 2), t7.nn.Dropout(0.5)).double()
    model.eval()
    assert not model.training and not model[1].training
    x = tensor(np.ones((3, 2)))
    np.testing.assert_allclose(value(model(x)), value(model[0](x)))
    model.train()
    assert model[1].training


def test_backward_fills_parameter_gradients_and_zero_grad_clears_them():
    model = TwoLayers().double()
    x = rand(5, 4, requires_grad=False)
    autograd.backward(F.mse_loss(model(x), tensor(np.zeros((5, 2)))))
    assert model.first.weight.grad.shape == (3, 4)
    assert model.scale.grad is None      # not used by forward
    model.zero_grad(set_to_none=False)
    assert np.all(value(model.first.weight.grad) == 0)
    model.zero_grad()
    assert model.first.weight.grad is None


def test_state_dict_round_trip_copies_in_place():
    source, target = TwoLayers(), TwoLayers()
    state = source.state_dict()
    assert list(state) == ["scale", "steps", "first.weight", "first.bias", "second.weight"]
    weight = target.first.weight
    result = target.load_state_dict(state)
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert target.first.weight is weight
    np.testing.assert_array_equal(value(weight), value(source.first.weight))
    state["first.weight"].numpy()[0, 0] = 123.0        # state_dict shares memory
    assert value(source.first.weight)[0, 0] == 123.0


def test_load_state_dict_reports_missing_unexpected_and_mismatched():
    model = TwoLayers()
    state = model.state_dict()
    del state["scale"]
    state["extra"] = tensor([1.0])
    with pytest.raises(RuntimeError, match="missing keys \\['scale'\\]"):
        model.load_state_dict(state)
    result = model.load_state_dict(state, strict=False)
    assert result.missing_keys == ["scale"] and result.unexpected_keys == ["extra"]
    with pytest.raises(RuntimeError, match="size mismatch for first.weight"):
        model.load_state_dict({"first.weight": np.zeros((2, 2))}, strict=False)


def test_layers_compute_what_their_functional_form_does():
    x = rand(2, 3, 6, 6, requires_grad=False)
    conv = t7.nn.Conv2d(3, 4, 3, padding=1)
    conv.weight = t7.nn.Parameter(tensor(value(conv.weight)))
    conv.bias = t7.nn.Parameter(tensor(value(conv.bias)))
    np.testing.assert_allclose(value(conv(x)), value(F.conv2d(x, conv.weight, conv.bias,
                                                              padding=1)))
    pool, norm = t7.nn.MaxPool2d(2), t7.nn.BatchNorm2d(3)
    assert pool(x).shape == (2, 3, 3, 3)
    norm.eval()
    assert norm(tensor(value(x), dtype=np.float32)).shape == (2, 3, 6, 6)
    with pytest.raises(ValueError, match="expected 4D input"):
        norm(rand(2, 3, requires_grad=False))
    emb = t7.nn.Embedding(5, 2, padding_idx=0)
    assert np.all(value(emb.weight)[0] == 0)
    assert "Linear(in_features=4, out_features=3, bias=True)" in repr(TwoLayers())


def test_sequential_indexing_and_training_step():
    np.random.seed(0)
    model = t7.nn.Sequential(t7.nn.Linear(3, 5), t7.nn.ReLU(), t7.nn.Linear(5, 2))
    assert len(model) == 3 and isinstance(model[1], t7.nn.ReLU)
    x = tensor(np.random.standard_normal((16, 3)), dtype=np.float32)
    y = tensor(np.random.randint(0, 2, 16), dtype=np.int64)
    losses = []
    for _ in range(30):
        model.zero_grad()
        loss = t7.nn.CrossEntropyLoss()(model(x), y)
        autograd.backward(loss)
        with t7.no_grad():
            for p in model.parameters():
                p.numpy()[...] -= 0.5 * p.grad.numpy()
        losses.append(float(value(loss).reshape(-1)[0]))
    assert losses[-1] < 0.8 * losses[0]


def test_parameter_is_the_same_tensor_not_a_copy():
    data = t7.tensor([[1.0, 2.0]], dtype=t7.float64)
    parameter = t7.nn.Parameter(data)
    assert parameter.dtype == t7.float64 and parameter.requires_grad
    parameter.numpy()[0, 0] = 5.0
    assert data.numpy()[0, 0] == 5.0
    assert not t7.nn.Parameter(data, requires_grad=False).requires_grad
