"""Devices as PyTorch names them (t7.device), on CPU tensors, and moving to CUDA where it
is unavailable (tests/test_cuda_python.py covers CUDA tensors themselves)."""
import pickle

import pytest

import torch7_compat as t7


def test_device_parsing_and_equality():
    assert t7.device("cpu").type == "cpu" and t7.device("cpu").index is None
    cuda1 = t7.device("cuda:1")
    assert (cuda1.type, cuda1.index) == ("cuda", 1)
    assert cuda1 == t7.device("cuda", 1) == "cuda:1" and cuda1 != "cuda:0"
    assert t7.device("cuda").index is None and str(t7.device("cuda")) == "cuda"
    assert str(cuda1) == "cuda:1" and repr(cuda1) == "device(type='cuda', index=1)"
    assert repr(t7.device("cpu")) == "device(type='cpu')"
    assert t7.device(cuda1) == cuda1
    assert len({t7.device("cuda:1"), t7.device("cuda", 1), t7.device("cpu")}) == 2
    assert pickle.loads(pickle.dumps(cuda1)) == cuda1
    assert t7.device("cpu") != "not a device" and t7.device("cpu") != 3
    with pytest.raises(AttributeError):
        cuda1.index = 2


@pytest.mark.parametrize("args, error", [
    (("tpu",), RuntimeError), (("cuda:x",), ValueError), (("cuda:1", 2), ValueError),
    (("cuda", -1), ValueError), (("cpu", 1), ValueError), ((3,), TypeError),
])
def test_bad_devices_are_refused(args, error):
    with pytest.raises(error):
        t7.device(*args)


def test_cpu_tensors_are_on_the_cpu():
    t = t7.ones(2, 3)
    assert t.device == "cpu" and t.device == t7.device("cpu") and t.device.type == "cpu"
    assert not t.is_cuda
    assert t.cpu() is t and t.to("cpu") is t and t.to(t7.device("cpu")) is t
    assert t.to("cpu", t7.float64).dtype == t7.float64
    assert t.to(device="cpu", dtype="int64").dtype == t7.int64


def test_moving_to_cuda_without_it_says_why():
    if t7.cuda.is_available():
        pytest.skip("this machine has CUDA: tests/test_cuda_python.py checks the move")
    assert t7.cuda.device_count() == 0
    for move in (lambda t: t.cuda(), lambda t: t.to("cuda"), lambda t: t.to(device="cuda:0")):
        with pytest.raises(RuntimeError, match="^cutorch: "):
            move(t7.ones(2))
