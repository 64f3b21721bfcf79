"""The `th>` prompt, driven through a pseudo-terminal as a person types (pexpect), and fed
from a pipe for the exact layout of what it prints."""
import os
import re
import time

import pexpect
import pytest

from conftest import ROOT, python_env, run_th, th_command

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def spawn(tmp_path, *args, cwd=None):
    """th on a terminal, with its home (and so its history) in tmp_path."""
    env = python_env(HOME=str(tmp_path), TERM="xterm",
                     # the pseudo-terminal answers no cursor-position requests
                     PROMPT_TOOLKIT_NO_CPR="1")
    env.pop("TH_HISTORY", None)
    command = th_command()
    child = pexpect.spawn(command[0], command[1:] + list(args), env=env, cwd=cwd or ROOT,
                          encoding="utf-8", timeout=30, dimensions=(40, 150))
    child.expect("th>")
    return child


def next_prompt(child):
    """Waits for the prompt of a new line: the redraws of the line being edited also show
    `th>`, but only an accepted line is followed by a newline."""
    child.expect(r"\n[^\n]*th>")


def leave(child):
    """Ctrl-D at the prompt (the caller has seen the prompt come back)."""
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def test_typed_expressions_print_and_land_in_underscore(tmp_path):
    child = spawn(tmp_path)
    child.sendline("x = 6 * 7")
    child.expect("th>")
    child.sendline("x, 'a\\tb'")
    child.expect(r'42\t"a\\tb"')
    child.expect("th>")
    child.sendline("_ + 1")
    child.expect("43")
    child.expect("th>")
    assert leave(child) == 0


def test_unfinished_chunk_continues_on_the_next_line(tmp_path):
    child = spawn(tmp_path)
    child.sendline("for i = 1, 3 do")
    child.expect(r"\.\.>")
    child.sendline("io.write(i * 11, ' ') end")
    child.expect("11 22 33")
    child.expect("th>")
    assert leave(child) == 0


def test_ctrl_c_stops_an_endless_loop_and_the_prompt_goes_on(tmp_path):
    child = spawn(tmp_path)
    child.sendline("n = 0; print('looping'); while true do n = n + 1 end")
    child.expect("looping")
    time.sleep(0.5)
    assert child.isalive()
    child.sendintr()
    child.expect("interrupted!")
    child.expect("th>")
    child.sendline("n > 1000")            # it ran, and its globals remain
    child.expect("true")
    child.expect("th>")
    # a pcall inside the loop cannot swallow the interrupt
    child.sendline("print('again'); while true do pcall(function() for i = 1, 100 do end end) end")
    child.expect("again")
    time.sleep(0.5)
    child.sendintr()
    child.expect("interrupted!")
    child.expect("th>")
    assert leave(child) == 0


def test_ctrl_c_at_the_prompt_drops_the_line(tmp_path):
    child = spawn(tmp_path)
    child.send("y = 'never run'")
    child.sendintr()
    child.expect("th>")
    child.sendline("y == nil")
    child.expect("true")
    child.expect("th>")
    assert leave(child) == 0


def completed_line(child, typed, inserted, then, expected):
    """Types `print('=' .. ` and `typed`, a Tab, waits for the terminal to show the text the
    completion inserts (completions are found in the background), then types `then`, `)`
    and Enter; waits for the printed line: '=' then `expected` (the echoed line holds no
    '=' before the value)."""
    child.send("print('=' .. " + typed)
    child.send("\t")
    child.expect(re.escape(inserted))
    child.sendline(then + ")")
    child.expect("=" + re.escape(expected) + "\r\n")
    child.expect("th>")


def test_tab_completes_globals_fields_and_tensor_methods(tmp_path):
    child = spawn(tmp_path)
    child.sendline("t = torch.ones(2, 5)")
    child.expect("th>")
    # a tensor is FFI cdata: its methods come from its class
    completed_line(child, "t:nElem", "ent", "()", "10")
    completed_line(child, "torch.randp", "erm", "(3):size(1)", "3")
    child.sendline("my_unique_global = 5")
    child.expect("th>")
    completed_line(child, "my_uniq", "ue_global", " + 1", "6")
    child.sendline("require 'nn'; m = nn.Linear(2, 3)")
    child.expect("th>")
    completed_line(child, "m:getParam", "eters", "():nElement()", "9")
    assert leave(child) == 0


def test_tab_completes_file_names_inside_strings(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / "weights_for_completion.t7").write_text("")
    child = spawn(tmp_path, cwd=str(work))
    completed_line(child, "'weights_f", "or_completion.t7", "'", "weights_for_completion.t7")
    assert leave(child) == 0


def test_history_is_kept_across_sessions(tmp_path):
    child = spawn(tmp_path)
    child.sendline("remembered = 41 + 1")
    next_prompt(child)
    assert leave(child) == 0
    assert "remembered = 41 + 1" in (tmp_path / ".th_history").read_text()

    child = spawn(tmp_path)
    child.send("\x1b[A")                  # up arrow: the last session's line
    child.expect("41 \\+ 1")
    child.sendline("")
    next_prompt(child)
    child.sendline("remembered")
    child.expect("42")
    next_prompt(child)
    assert leave(child) == 0


def test_errors_keep_the_prompt_and_os_exit_leaves_with_its_code(tmp_path):
    child = spawn(tmp_path)
    child.sendline("error('broken on purpose')")
    child.expect("stdin:1: broken on purpose")
    child.expect("th>")
    child.sendline("os.exit(3)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 3


def test_help_at_the_prompt(tmp_path):
    child = spawn(tmp_path)
    child.sendline("?torch.randn")
    child.expect(r"torch\.randn\(")
    child.expect("normal distribution")
    child.expect("th>")
    child.sendline("help(torch.manualSeed)")
    child.expect("Seeds the random generator")
    child.expect("th>")
    assert leave(child) == 0


def test_interactive_option_keeps_the_script_globals(tmp_path):
    script = tmp_path / "setup.lua"
    script.write_text("answer = 40 + 2\n")
    child = spawn(tmp_path, "-i", str(script))
    child.sendline("answer")
    child.expect("42")
    child.expect("th>")
    assert leave(child) == 0


# -- from a pipe: the exact layout of what the prompt prints ---------------------------------

def repl_output(lines):
    result = run_th(input="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    return result.stdout, result.stderr


def test_tables_print_nested_with_sorted_keys_and_quoted_strings():
    # trepl's layout: '{', then `key : value` indented by two, a nested table under its key
    # four spaces further in, tensors as 'DoubleTensor - size: ...'.
    out, _ = repl_output(["{10, 20, name = 'x', inner = {t = torch.zeros(2, 3)}}"])
    assert out == ("{\n"
                   "  1 : 10\n"
                   "  2 : 20\n"
                   "  inner : \n"
                   "    {\n"
                   "      t : DoubleTensor - size: 2x3\n"
                   "    }\n"
                   "  name : \"x\"\n"
                   "}\n")


def test_depth_limit_and_setprintlevel():
    deep = "{a = {b = {c = {d = {e = {f = 1}}}}}}"
    out, _ = repl_output([deep])
    # trepl's default level 5: tables five levels down show as {...}
    assert "e : {...}" in out and "f :" not in out
    out, _ = repl_output(["setprintlevel(2)", deep])
    assert out == "{\n  a : \n    {\n      b : {...}\n    }\n}\n"


def test_values_strings_tensors_and_a_quiet_semicolon():
    out, err = repl_output(["1, 'two', nil, true", "'quiet';", "torch.ones(2)",
                            "x = 5", "print('plain', {1})", "_"])
    assert err == ""
    assert out == ('1\t"two"\tnil\ttrue\n'
                   " 1\n 1\n[torch.DoubleTensor of size 2]\n\n"
                   "plain\n{\n  1 : 1\n}\n"
                   # _ holds the last value an expression gave: the tensor
                   ' 1\n 1\n[torch.DoubleTensor of size 2]\n\n')


def test_who_lists_the_variables_made_at_the_prompt_and_import_copies_fields():
    out, _ = repl_output(["x = torch.zeros(2, 3)", "name = 'hello'", "list = {1, 2, 3}",
                          "who()", "import 'nn'", "Linear == nn.Linear"])
    assert out == ("== User Variables ==\n"
                   "[list] = table - size: 3\n"
                   "[name] = string : \"hello\"\n"
                   "[x]    = DoubleTensor - size: 2x3\n"
                   "==\n"
                   "true\n")


def test_a_syntax_error_is_not_taken_for_an_unfinished_chunk():
    out, err = repl_output(["x = 1 2", "y = 1 end", "'after'"])
    assert "unexpected symbol near '2'" in err and "'<eof>' expected near 'end'" in err
    assert out == '"after"\n'


def test_errors_go_to_stderr_and_the_next_line_still_runs():
    out, err = repl_output(["error('first')", "'after'"])
    assert "stdin:1: first" in err and "stack traceback" in err
    assert out == '"after"\n'


def test_a_value_that_cannot_be_shown_is_an_error_not_the_end():
    out, err = repl_output([
        "bad = setmetatable({}, {__tostring = function() error('no text for you') end})",
        "{x = bad}", "'still here'"])
    assert "no text for you" in err
    assert out.endswith('"still here"\n')


def test_help_entries_are_data_that_a_package_can_extend(tmp_path):
    out, _ = repl_output([
        "help_module = require 'torch7_compat.help'",
        "function myfunc() end",
        "help_module.add('myfunc', 'myfunc(a, b)', 'Adds nothing at all.');",
        "help(myfunc)", "?optim",
    ])
    assert "myfunc(a, b)\n\nAdds nothing at all.\n" in out
    assert "optim.sgd(opfunc, x [, config] [, state])" in out


@pytest.mark.parametrize("package", ["torch", "nn", "optim", "image", "xlua", "sys",
                                     "gnuplot", "threads", "paths"])
def test_every_help_file_entry_has_usage_and_text(package):
    from torch7_compat import resources
    path = os.path.join(resources.lua_root(), "torch7_compat", "help", package + ".md")
    text = open(path).read()
    entries = re.findall(r"^## (.+)\n\n(.+)", text, re.M)
    assert len(entries) >= 7
    for usage, first_line in entries:
        assert usage.startswith(package + ".") and first_line.strip()
    assert len(entries) == text.count("\n## ")


def test_help_of_a_helper_package_function():
    out, _ = repl_output(["require 'image'", "?image.scale", "help(xlua.progress)"])
    assert "image.scale([dst,] src, width, height [, mode])" in out
    assert "xlua.progress(current, goal)" in out


def test_open_strings_and_file_name_candidates(tmp_path):
    from torch7_compat.repl import _open_string, path_completions
    assert _open_string("x = 'ab") == "ab"
    assert _open_string("x = 'ab' .. y") is None
    assert _open_string('s = "a\\"b') == 'a\\"b'
    assert _open_string("y = 1 -- it's a comment") is None
    assert _open_string("-- note\nf('da") == "da"
    (tmp_path / "data").mkdir()
    (tmp_path / "data.t7").write_text("")
    (tmp_path / ".hidden").write_text("")
    base = str(tmp_path) + "/"
    assert path_completions(base + "da") == ["data/", "data.t7"]
    assert path_completions(base) == ["data/", "data.t7"]
    assert path_completions(base + ".h") == [".hidden"]
    assert path_completions(base + "nothing/") == []
