"""The README's Lua and Python examples run as written, as a reader would paste them."""
import os
import re

from conftest import ROOT, run_python, run_th


def readme_block(language):
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        text = f.read()
    blocks = re.findall(r"```%s\n(.*?)```" % language, text, re.S)
    assert blocks, "README.md has no %s example" % language
    return blocks[0]


def test_the_lua_example_prints_log_probabilities(tmp_path):
    script = tmp_path / "example.lua"
    script.write_text(readme_block("lua"))
    result = run_th(str(script), cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "torch.DoubleTensor of size 3x5" in result.stdout


def test_the_python_example_trains_a_lua_model():
    program = readme_block("python") + "\nprint('first and last', first_loss, loss.item())\n"
    program = program.replace("for step in range(100):",
                              "first_loss = None\nfor step in range(100):")
    program = program.replace("    optimizer.step()",
                              "    optimizer.step()\n"
                              "    first_loss = first_loss or loss.item()")
    result = run_python(program)
    assert result.returncode == 0, result.stderr
    first, last = map(float, result.stdout.split("first and last")[1].split())
    assert last < first / 2
