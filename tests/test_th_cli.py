"""The `th` command end to end, run as a user runs it (a fresh process, output piped, no
PYTHONUNBUFFERED)."""
import os
import subprocess
import sys
import textwrap

from conftest import ROOT, python_env, run_python, run_th


def write(path, text):
    path.write_text(textwrap.dedent(text))
    return str(path)


def test_script_gets_its_arguments(tmp_path):
    script = write(tmp_path / "args.lua", """
        print(arg[0], #arg, arg[1], arg[2])
        print(...)
    """)
    result = run_th(script, "one", "two words")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "%s\t2\tone\ttwo words" % script
    assert lines[1] == "one\ttwo words"


def test_torch_is_preloaded_with_its_companions():
    result = run_th("-e", "print(torch.type(torch.Tensor(1)), type(paths), type(torch.CmdLine), "
                          "type(torch.Timer), type(torch.Tester))")
    assert result.stdout.split() == ["torch.DoubleTensor", "table", "table", "table", "table"]


def test_e_and_l_options_run_in_order():
    result = run_th("-e", "x = 20", "-l", "nn", "-e", "print(x + 1, type(nn.Linear))")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["21", "table"]


def test_error_prints_message_and_traceback_and_fails(tmp_path):
    script = write(tmp_path / "bad.lua", """
        local function inner() error('something broke') end
        inner()
    """)
    result = run_th(script)
    assert result.returncode == 1
    assert "bad.lua:2: something broke" in result.stderr
    assert "stack traceback:" in result.stderr
    assert "in function 'inner'" in result.stderr


def test_syntax_error_and_missing_script(tmp_path):
    script = write(tmp_path / "syntax.lua", "x = = 1\n")
    assert run_th(script).returncode == 1
    missing = run_th(str(tmp_path / "nope.lua"))
    assert missing.returncode == 1 and "nope.lua" in missing.stderr


def test_os_exit_flushes_piped_output_and_keeps_the_code(tmp_path):
    script = write(tmp_path / "exit.lua", """
        for i = 1, 3 do print('line ' .. i) end
        io.write('no newline')
        os.exit(7)
    """)
    result = run_th(script)
    assert result.returncode == 7
    assert result.stdout == "line 1\nline 2\nline 3\nno newline"


def test_lua_and_python_output_keep_their_order_in_a_pipe(tmp_path):
    # A Python function called from the script writes to sys.stdout between Lua prints:
    # under th both go through C's stdout, so a pipe sees them in the order produced.
    program = write(tmp_path / "mixed.py", """
        import sys
        import torch7_compat.runtime as runtime
        from torch7_compat.cli import main

        made = runtime.new_runtime
        def with_python_print(**kw):
            lua = made(**kw)
            lua.globals().py_say = lambda text: print("python " + text)
            return lua
        runtime.new_runtime = with_python_print
        sys.exit(main(sys.argv[1:]))
    """)
    script = write(tmp_path / "mixed.lua", """
        print('lua 1')
        py_say('2')
        print('lua 3')
        py_say('4')
        os.exit(0)
    """)
    result = subprocess.run([sys.executable, program, script], capture_output=True, text=True,
                            env=python_env(), cwd=ROOT, timeout=300)
    assert result.stdout.splitlines() == ["lua 1", "python 2", "lua 3", "python 4"], result.stderr


def test_require_searches_the_working_directory_first(tmp_path):
    (tmp_path / "mymod.lua").write_text("return {answer = 42}\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "init.lua").write_text("return {name = 'pkg'}\n")
    result = run_th("-e", "print(require('mymod').answer, require('pkg').name)", cwd=tmp_path)
    assert result.stdout.split() == ["42", "pkg"]


def test_lua_path_entries_are_searched(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "extra.lua").write_text("return 'from LUA_PATH'\n")
    env = python_env(LUA_PATH=str(tmp_path / "lib" / "?.lua") + ";;")
    result = run_th("-e", "print(require 'extra'); require 'nn'", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "from LUA_PATH"


def test_repl_reads_statements_and_prints_expressions():
    result = run_th(input="x = 6\nx * 7\nfor i = 1, 2 do\nprint('loop', i)\nend\nerror('oops')\n"
                          "torch.Tensor{1, 2}:sum()\n")
    assert result.returncode == 0
    assert "42" in result.stdout.split()
    assert "loop\t1" in result.stdout and "loop\t2" in result.stdout
    assert "oops" in result.stderr
    assert "3" in result.stdout.split()


def test_help():
    result = run_th("-h")
    assert result.returncode == 0
    assert "th [options] [script.lua [arguments]]" in result.stdout


def test_the_readme_training_script_learns():
    result = run_th(os.path.join("examples", "train_xor.lua"))
    assert result.returncode == 0, result.stderr
    losses = [float(line.split()[-1]) for line in result.stdout.splitlines()
              if line.startswith("iteration")]
    assert len(losses) >= 3
    assert losses[-1] < losses[0] / 10


def test_start_up_imports_neither_numpy_nor_scipy():
    # th must start fast (the original: 0.08 s); numpy alone costs about 0.1 s to import
    program = ("import sys, torch7_compat as t7\n"
               "t7.lua.execute(\"require 'nn'; require 'optim'\")\n"
               "print(sorted(m for m in ('numpy', 'scipy') if m in sys.modules))")
    result = run_python(program)
    assert result.stdout.strip() == "[]", result.stderr
