"""Learning-rate schedules against their closed forms (PyTorch's documented formulas),
and against torch.optim.lr_scheduler where torch is installed."""
import math

import numpy as np
import pytest

import torch7_compat as t7
from torch7_compat import optim
from torch7_compat.optim import lr_scheduler

EPOCHS = 30


def two_group_sgd():
    return optim.SGD([{"params": [t7.from_numpy(np.zeros(1))]},
                      {"params": [t7.from_numpy(np.zeros(1))], "lr": 0.5}], lr=0.1)


def lrs_over_epochs(make_scheduler, epochs=EPOCHS):
    optimizer = two_group_sgd()
    scheduler = make_scheduler(optimizer)
    seen = []
    for _ in range(epochs):
        seen.append(scheduler.get_last_lr())
        assert seen[-1] == [g["lr"] for g in optimizer.param_groups]
        optimizer.step()
        scheduler.step()
    return np.array(seen)


def closed_form(rule):
    return np.array([[rule(base, epoch) for base in (0.1, 0.5)] for epoch in range(EPOCHS)])


SCHEDULES = {
    "StepLR": (dict(step_size=4, gamma=0.5), lambda base, e: base * 0.5 ** (e // 4)),
    "MultiStepLR": (dict(milestones=[3, 10, 10, 17], gamma=0.3),
                    lambda base, e: base * 0.3 ** sum(e >= m for m in (3, 10, 10, 17))),
    "ExponentialLR": (dict(gamma=0.9), lambda base, e: base * 0.9 ** e),
    "CosineAnnealingLR": (dict(T_max=8, eta_min=0.01),
                          lambda base, e: 0.01 + (base - 0.01) * (1 + math.cos(math.pi * e / 8))
                          / 2),
}


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_schedule_follows_its_closed_form(name):
    options, rule = SCHEDULES[name]
    ours = lrs_over_epochs(lambda o: getattr(lr_scheduler, name)(o, **options))
    np.testing.assert_allclose(ours, closed_form(rule), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_schedule_matches_torch(name):
    torch = pytest.importorskip("torch")
    options, _ = SCHEDULES[name]
    ours = lrs_over_epochs(lambda o: getattr(lr_scheduler, name)(o, **options))
    reference = torch.optim.SGD([{"params": [torch.zeros(1)]},
                                 {"params": [torch.zeros(1)], "lr": 0.5}], lr=0.1)
    scheduler = getattr(torch.optim.lr_scheduler, name)(reference, **options)
    theirs = []
    for _ in range(EPOCHS):
        theirs.append(scheduler.get_last_lr())
        reference.step()
        scheduler.step()
    np.testing.assert_allclose(ours, np.array(theirs), rtol=1e-12, atol=1e-15)


def test_schedules_compose_with_outside_changes_of_lr():
    # the recursive forms multiply the current lr, so a manual change carries on
    optimizer = two_group_sgd()
    scheduler = lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.1)
    optimizer.param_groups[0]["lr"] = 1.0
    scheduler.step()
    scheduler.step()
    assert scheduler.get_last_lr() == pytest.approx([0.1, 0.05])


def test_initial_lr_and_resuming():
    optimizer = two_group_sgd()
    scheduler = lr_scheduler.ExponentialLR(optimizer, gamma=0.5)
    for _ in range(3):
        scheduler.step()
    assert [g["initial_lr"] for g in optimizer.param_groups] == [0.1, 0.5]
    state = scheduler.state_dict()
    assert "optimizer" not in state and state["last_epoch"] == 3
    resumed = lr_scheduler.ExponentialLR(optimizer, gamma=0.5, last_epoch=2)
    assert resumed.last_epoch == 3 and resumed.get_last_lr() == pytest.approx([0.00625, 0.03125])
    fresh = lr_scheduler.ExponentialLR(two_group_sgd(), gamma=0.5)
    fresh.load_state_dict(state)
    assert fresh.last_epoch == 3 and fresh.base_lrs == [0.1, 0.5]
    with pytest.raises(KeyError, match="initial_lr"):
        lr_scheduler.StepLR(two_group_sgd(), step_size=1, last_epoch=4)
    with pytest.raises(TypeError, match="is not an Optimizer"):
        lr_scheduler.StepLR(object(), step_size=1)


def test_cosine_resumed_with_explicit_epoch_uses_the_closed_form():
    optimizer = two_group_sgd()
    scheduler = lr_scheduler.CosineAnnealingLR(optimizer, T_max=10)
    with pytest.warns(UserWarning, match="deprecated"):
        scheduler.step(5)
    assert scheduler.get_last_lr() == pytest.approx([0.05, 0.25])


def plateau_reference(metrics, lr, mode, factor, patience, threshold, threshold_mode,
                      cooldown, min_lr, eps):
    """ReduceLROnPlateau's documented rule written out: the lr after each metric."""
    best = math.inf if mode == "min" else -math.inf
    bad = cooling = 0
    lrs = []
    for metric in metrics:
        # the documented dynamic threshold: best * (1 -+ threshold) or best -+ threshold
        sign = -1 if mode == "min" else 1
        if threshold_mode == "rel":
            dynamic = best * (1 + sign * threshold)
        else:
            dynamic = best + sign * threshold
        if (metric < dynamic) if mode == "min" else (metric > dynamic):
            best, bad = metric, 0
        else:
            bad += 1
        if cooling > 0:
            cooling -= 1
            bad = 0
        if bad > patience:
            new = max(lr * factor, min_lr)
            if lr - new > eps:
                lr = new
            cooling, bad = cooldown, 0
        lrs.append(lr)
    return lrs


PLATEAU_OPTIONS = [
    dict(mode="min", factor=0.5, patience=2, threshold=1e-2, threshold_mode="rel", cooldown=0,
         min_lr=0.0, eps=1e-8),
    dict(mode="max", factor=0.1, patience=1, threshold=0.05, threshold_mode="abs", cooldown=2,
         min_lr=0.004, eps=1e-8),
    dict(mode="min", factor=0.3, patience=0, threshold=0.0, threshold_mode="abs", cooldown=1,
         min_lr=0.0, eps=0.01),
]


def plateau_metrics():
    rng = np.random.default_rng(4)
    return list(np.concatenate([np.linspace(5, 1, 10), 1 + 0.1 * rng.random(20),
                                np.linspace(1, 0.2, 5), np.full(10, 0.2)]))


@pytest.mark.parametrize("options", PLATEAU_OPTIONS)
def test_reduce_on_plateau_follows_its_rule(options):
    metrics = plateau_metrics()
    optimizer = optim.SGD([t7.from_numpy(np.zeros(1))], lr=0.1)
    scheduler = lr_scheduler.ReduceLROnPlateau(optimizer, **options)
    seen = []
    for metric in metrics:
        scheduler.step(t7.from_numpy(np.array([metric])))
        seen.append(optimizer.param_groups[0]["lr"])
        assert scheduler.get_last_lr() == [seen[-1]]
    expected = plateau_reference(metrics, 0.1, **options)
    np.testing.assert_allclose(seen, expected, rtol=1e-15)
    assert len(set(expected)) > 1


@pytest.mark.parametrize("options", PLATEAU_OPTIONS)
def test_reduce_on_plateau_matches_torch(options):
    torch = pytest.importorskip("torch")
    metrics = plateau_metrics()
    optimizer = optim.SGD([t7.from_numpy(np.zeros(1))], lr=0.1)
    ours = lr_scheduler.ReduceLROnPlateau(optimizer, **options)
    reference = torch.optim.SGD([torch.zeros(1)], lr=0.1)
    theirs = torch.optim.lr_scheduler.ReduceLROnPlateau(reference, **options)
    for metric in metrics:
        ours.step(metric)
        theirs.step(metric)
        assert ours.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-15)
        assert ours.num_bad_epochs == theirs.num_bad_epochs


def test_reduce_on_plateau_arguments_and_state():
    optimizer = two_group_sgd()
    with pytest.raises(ValueError, match="Factor should be < 1.0."):
        lr_scheduler.ReduceLROnPlateau(optimizer, factor=1.0)
    with pytest.raises(ValueError, match="expected 2 min_lrs, got 1"):
        lr_scheduler.ReduceLROnPlateau(optimizer, min_lr=[0.1])
    with pytest.raises(ValueError, match="mode sideways is unknown!"):
        lr_scheduler.ReduceLROnPlateau(optimizer, mode="sideways")
    with pytest.raises(ValueError, match="threshold mode both is unknown!"):
        lr_scheduler.ReduceLROnPlateau(optimizer, threshold_mode="both")
    scheduler = lr_scheduler.ReduceLROnPlateau(optimizer, patience=0, min_lr=[0.05, 0.0])
    scheduler.step(1.0)
    scheduler.step(2.0)
    assert [g["lr"] for g in optimizer.param_groups] == pytest.approx([0.05, 0.05])
    state = scheduler.state_dict()
    other = lr_scheduler.ReduceLROnPlateau(two_group_sgd(), mode="max")
    other.load_state_dict(state)
    assert other.mode == "min" and other.best == 1.0 and other.is_better(0.5, 1.0)
