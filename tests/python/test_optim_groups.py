"""The Optimizer base: parameter groups, zero_grad, state_dict in PyTorch's layout,
argument checks."""
import numpy as np
import pytest

import torch7_compat as t7
from torch7_compat import optim


def tensor(*values):
    return t7.from_numpy(np.array(values, dtype=np.float64))


def test_groups_take_their_own_options_and_the_defaults():
    a, b = tensor(1.0), tensor(1.0)
    optimizer = optim.SGD([{"params": [a]}, {"params": b, "lr": 0.5, "momentum": 0.9}],
                          lr=0.1)
    first, second = optimizer.param_groups
    assert first["lr"] == 0.1 and first["momentum"] == 0 and first["params"][0] is a
    assert second["lr"] == 0.5 and second["momentum"] == 0.9 and second["params"][0] is b
    a.grad, b.grad = tensor(1.0), tensor(1.0)
    optimizer.step()
    assert a.numpy()[0] == pytest.approx(0.9) and b.numpy()[0] == pytest.approx(0.5)


def test_add_param_group_and_its_checks():
    a, b = tensor(1.0), tensor(2.0)
    optimizer = optim.Adam([a])
    optimizer.add_param_group({"params": [b], "lr": 0.5})
    assert [g["lr"] for g in optimizer.param_groups] == [1e-3, 0.5]
    assert optimizer.param_groups[1]["betas"] == (0.9, 0.999)
    with pytest.raises(ValueError, match="more than one parameter group"):
        optimizer.add_param_group({"params": [a]})
    with pytest.raises(ValueError, match="required optimization parameter lr"):
        optim.SGD([{"params": [a]}])
    with pytest.raises(TypeError, match="ordered collections"):
        optimizer.add_param_group({"params": {tensor(0.0)}})
    with pytest.raises(TypeError, match="can only optimize Tensors"):
        optim.SGD([np.zeros(2)], lr=0.1)


def test_bad_arguments_are_refused_as_pytorch_does():
    a = tensor(1.0)
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="iterable of Tensors"):
        optim.SGD(a, lr=0.1)
    with pytest.raises(ValueError, match="Invalid learning rate: -1"):
        optim.SGD([a], lr=-1)
    with pytest.raises(ValueError, match="Nesterov momentum requires"):
        optim.SGD([a], lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="Invalid beta parameter at index 1"):
        optim.Adam([a], betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="Invalid momentum value"):
        optim.RMSprop([a], momentum=-0.1)
    with pytest.raises(ValueError, match="Invalid lr_decay value"):
        optim.Adagrad([a], lr_decay=-1)


def test_zero_grad_drops_or_zeroes_in_place():
    a, b = tensor(1.0, 2.0), tensor(3.0)
    grad = np.array([5.0, 6.0])
    a.grad, b.grad = t7.from_numpy(grad), None
    optimizer = optim.SGD([a, b], lr=0.1)
    optimizer.zero_grad(set_to_none=False)
    assert a.grad is not None and b.grad is None
    np.testing.assert_array_equal(grad, 0.0)         # the same memory was zeroed
    optimizer.zero_grad()
    assert a.grad is None


def make_trained(optimizer_class, **options):
    params = [tensor(1.0, -2.0), tensor(0.5)]
    optimizer = optimizer_class([{"params": [params[0]]},
                                 {"params": [params[1]], "lr": 0.05}], **options)
    for scale in (1.0, -0.5, 2.0):
        for p in params:
            p.grad = t7.from_numpy(scale * p.numpy() + 1.0)
        optimizer.step()
    return params, optimizer


@pytest.mark.parametrize("optimizer_class,options", [
    (optim.SGD, dict(lr=0.1, momentum=0.9)), (optim.Adam, dict(amsgrad=True)),
    (optim.AdamW, {}), (optim.RMSprop, dict(centered=True, momentum=0.3)),
    (optim.Adagrad, dict(lr_decay=0.1))])
def test_state_dict_round_trip_continues_the_same_trajectory(optimizer_class, options):
    params, optimizer = make_trained(optimizer_class, **options)
    saved = optimizer.state_dict()
    assert sorted(saved["state"]) == [0, 1]
    assert [g["params"] for g in saved["param_groups"]] == [[0], [1]]
    assert saved["param_groups"][1]["lr"] == 0.05
    copies = [t7.from_numpy(p.numpy().copy()) for p in params]
    other = optimizer_class([{"params": [copies[0]]}, {"params": [copies[1]]}], **options)
    other.load_state_dict(saved)
    assert other.param_groups[1]["lr"] == 0.05 and other.param_groups[0]["params"][0] is copies[0]
    for ps, opt in ((params, optimizer), (copies, other)):
        for _ in range(2):
            for p in ps:
                p.grad = t7.from_numpy(np.cos(p.numpy()))
            opt.step()
    for p, q in zip(params, copies):
        np.testing.assert_array_equal(p.numpy(), q.numpy())
    # loaded buffers are copies: the two optimizers no longer share memory
    for key, value in optimizer.state[params[0]].items():
        if isinstance(value, t7.Tensor):
            assert value._address != other.state[copies[0]][key]._address


def test_load_state_dict_checks_the_groups():
    _, optimizer = make_trained(optim.SGD, lr=0.1)
    saved = optimizer.state_dict()
    with pytest.raises(ValueError, match="different number of parameter groups"):
        optim.SGD([tensor(1.0)], lr=0.1).load_state_dict(saved)
    with pytest.raises(ValueError, match="doesn't match the size"):
        optim.SGD([{"params": [tensor(1.0)]}, {"params": [tensor(1.0), tensor(2.0)]}],
                  lr=0.1).load_state_dict(saved)


def test_state_dict_matches_torch_layout():
    torch = pytest.importorskip("torch")
    _, ours = make_trained(optim.Adam)
    theirs = torch.optim.Adam([{"params": [torch.ones(2)]}, {"params": [torch.ones(1)],
                                                              "lr": 0.05}])
    for group in theirs.param_groups:
        for p in group["params"]:
            p.grad = torch.ones_like(p)
    theirs.step()
    mine, reference = ours.state_dict(), theirs.state_dict()
    assert set(mine) == set(reference)
    assert [g["params"] for g in mine["param_groups"]] == \
        [g["params"] for g in reference["param_groups"]]
    assert set(mine["param_groups"][0]) <= set(reference["param_groups"][0])
    assert set(mine["state"][0]) == set(reference["state"][0])


def test_repr_lists_the_groups():
    text = repr(optim.SGD([tensor(1.0)], lr=0.1, momentum=0.9))
    assert text.startswith("SGD (\nParameter Group 0\n") and "    momentum: 0.9" in text


def test_package_attributes_load_on_first_use():
    from conftest import run_python
    script = ("import sys, torch7_compat as t7\n"
              "assert 'torch7_compat.optim' not in sys.modules\n"
              "assert t7.optim.SGD.__name__ == 'SGD'\n"
              "assert t7.data.DataLoader.__name__ == 'DataLoader'\n"
              "import torch7_compat.optim.lr_scheduler as s\n"
              "assert s is t7.optim.lr_scheduler\n"
              "print('ok')\n")
    result = run_python(script, timeout=120)
    assert result.stdout == "ok\n", result.stderr


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "LBFGS"])
def test_a_gradient_of_another_size_is_refused(name):
    p = tensor(1.0, 2.0, 3.0)
    p.grad = tensor(1.0)
    optimizer = getattr(optim, name)([p], lr=0.1)
    with pytest.raises(RuntimeError, match=r"shape \(3,\) has a gradient of shape \(1,\)"):
        optimizer.step(lambda: 0.0)
    np.testing.assert_array_equal(p.numpy(), [1.0, 2.0, 3.0])
