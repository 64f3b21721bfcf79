"""The `th` command: runs Torch7 scripts as the original `th` did, or opens the REPL.

    th [options] [script.lua [arguments]]
      -e statement   run the statement
      -l name        require the library `name` (and make it a global)
      -i             enter the REPL after running the script
      -h, --help     print this help

`th` preloads torch, paths, sys and xlua, as the original did. Lua's print and Python's sys.stdout share C's stdout buffer here, so
their output keeps its order in a pipe too, and os.exit (C's exit) flushes all of it.
"""
import io
import signal
import sys

USAGE = __doc__.split("\n\n")[1]


def parse(argv):
    """(actions, script, script_args, interactive) from th's command line."""
    actions, i = [], 0
    interactive = False
    while i < len(argv):
        a = argv[i]
        if a in ("-h", "--help"):
            actions.append(("help", None))
        elif a in ("-i", "--interactive"):
            interactive = True
        elif a in ("-e", "-l"):
            if i + 1 >= len(argv):
                raise SystemExit("th: option %s needs an argument\n%s" % (a, USAGE))
            actions.append((a, argv[i + 1]))
            i += 1
        elif a.startswith("-e") or a.startswith("-l"):
            actions.append((a[:2], a[2:]))
        elif a == "--":
            i += 1
            break
        elif a.startswith("-") and a != "-":
            raise SystemExit("th: unknown option %s\n%s" % (a, USAGE))
        else:
            break
        i += 1
    script = argv[i] if i < len(argv) else None
    return actions, script, argv[i + 1:], interactive


def _route_python_output_to_c_stdio():
    from ._native import core
    sys.stdout.flush()
    sys.stdout = io.TextIOWrapper(core.CStdout(), encoding="utf-8", errors="replace",
                                  write_through=True)


def _report(message):
    """An error message on stderr, after whatever stdout holds."""
    sys.stdout.flush()
    sys.stderr.write("th: %s\n" % message)
    sys.stderr.flush()


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    actions, script, script_args, interactive = parse(argv)
    if any(kind == "help" for kind, _ in actions):
        print(USAGE)
        return 0

    from .runtime import new_runtime, set_main_runtime
    _route_python_output_to_c_stdio()
    lua = new_runtime(python_output=False)
    set_main_runtime(lua)
    runner = lua.eval("require 'torch7_compat.th'")

    ok, err = runner.preload()
    if not ok:
        _report(err)
        return 1
    for kind, value in actions:
        ok, err = runner.run_string(value) if kind == "-e" else runner.require(value)
        if not ok:
            _report(err)
            return 1
    if script is None and (actions and not interactive):
        return 0
    if script is not None:
        # A script stops at Ctrl-C, as under the original (Python's handler would only
        # set a flag that running Lua never reads).
        previous = signal.signal(signal.SIGINT, signal.SIG_DFL)
        if script == "-":
            ok, err = runner.run_string(sys.stdin.read(), "=stdin")
        else:
            ok, err = runner.run_file(script, lua.table_from(script_args))
        signal.signal(signal.SIGINT, previous)
        if not ok:
            _report(err)
            return 1
        if not interactive:
            return 0
    from .repl import run_repl
    return run_repl(lua)


if __name__ == "__main__":
    sys.exit(main())
