"""The runnable examples of python/, run as users run them (a fresh Python process)."""
import os
import subprocess
import sys

from conftest import ROOT, SHARED_T7, python_env


def run_example(name, *args):
    result = subprocess.run([sys.executable, os.path.join(ROOT, "python", name)] + list(args),
                            capture_output=True, text=True, env=python_env(), timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def final_float(out, prefix):
    line = [line for line in out.splitlines() if line.startswith(prefix)][-1]
    return float(line.split()[-1])


def test_finetune_a_model_saved_by_the_original_torch7():
    out = run_example("finetune_lua_model.py", os.path.join(SHARED_T7, "reference", "mlp.t7"))
    assert "0.weight   (16, 10)" in out
    losses = [float(line.split()[-1]) for line in out.splitlines() if line.startswith("epoch")]
    assert losses[-1] < 0.5 * losses[0]
    assert final_float(out, "training accuracy") > 0.9
    assert "weights identical: True" in out


def test_finetune_a_model_saved_from_lua_first():
    out = run_example("finetune_lua_model.py")
    assert final_float(out, "training accuracy") > 0.9


def test_python_module_trained_from_a_lua_script():
    out = run_example("python_module_in_lua.py")
    assert "nn.PythonModule(GatedLinear)" in out
    assert "parameters: 177" in out          # 2*8+8 + 2*(8*8+8) + 8+1
    mse = [float(line.split()[-1]) for line in out.splitlines() if line.startswith("epoch")]
    assert mse[-1] < 0.05
    assert "own weights changed: True" in out


def test_custom_function_example():
    out = run_example("custom_function.py")
    assert "gradcheck: True" in out
    assert "learned w: [[ 0.5 -2.   1.5]]" in out
