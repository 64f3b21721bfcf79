"""The interactive `th>` prompt.

On a terminal the lines are read with prompt_toolkit: editing, history kept across sessions
(in $TH_HISTORY, else ~/.th_history), Ctrl-R search, tab completion, and Enter that runs
the chunk only once it is complete (an unfinished one goes on at a `..>` line). Without a
terminal (input from a pipe) each line is read as it comes, with no prompt.

What runs the typed code (printing, `_`, `?help`, Ctrl-C) is the Lua half,
lua/torch7_compat/repl.lua.
"""
import os
import re
import sys

PROMPT = "th> "
CONTINUATION = "..> "
BANNER = "th: Torch7 on LuaJIT (torch7_compat). Type ? for help, Ctrl-D to leave."

# The expression being typed at the end of a line: names joined by '.' or ':'.
_WORD_AT_END = re.compile(r"[A-Za-z_]\w*(?:[.:][A-Za-z_]\w*)*[.:]?$")


def history_path():
    return os.environ.get("TH_HISTORY") or os.path.join(os.path.expanduser("~"), ".th_history")


def _open_string(text):
    """The contents typed so far of a string left open at the end of `text`, or None."""
    quote, start, i = None, 0, 0
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = None
        elif c in "'\"":
            quote, start = c, i + 1
        elif text.startswith("--", i):
            newline = text.find("\n", i)
            if newline < 0:
                return None
            i = newline
        i += 1
    return text[start:] if quote else None


def path_completions(partial):
    """The names in the folder of `partial` that complete its last part (folders with a
    slash after them); hidden ones only when that part starts with a dot."""
    folder, prefix = os.path.split(partial)
    listed = os.path.expanduser(folder) if folder else "."
    try:
        names = sorted(os.listdir(listed))
    except OSError:
        return []
    found = []
    for name in names:
        if name.startswith(prefix) and (prefix.startswith(".") or not name.startswith(".")):
            is_dir = os.path.isdir(os.path.join(listed, name))
            found.append(name + "/" if is_dir else name)
    return found


def lua_completions(repl, text):
    """(start, words): the words that may replace text[start:], the name being typed."""
    match = _WORD_AT_END.search(text)
    if not match:
        return len(text), []
    word = match.group(0)
    return match.start(), list(repl.complete(word).values())


def _completer(repl):
    """A prompt_toolkit completer over the Lua half's completion and the file system."""
    from prompt_toolkit.completion import Completer, Completion

    class LuaCompleter(Completer):
        def get_completions(self, document, complete_event):
            text = document.text_before_cursor
            partial = _open_string(text)
            if partial is not None:
                typed = os.path.basename(partial)
                for name in path_completions(partial):
                    yield Completion(name, start_position=-len(typed))
                return
            start, words = lua_completions(repl, text)
            for word in words:
                yield Completion(word, start_position=start - len(text))

    return LuaCompleter()


def _key_bindings(repl):
    """Enter runs a complete chunk and starts a new line in an unfinished one."""
    from prompt_toolkit.key_binding import KeyBindings

    bindings = KeyBindings()

    @bindings.add("enter")
    def _(event):
        buffer = event.current_buffer
        if buffer.complete_state:
            buffer.complete_state = None
        if buffer.document.is_cursor_at_the_end and repl.incomplete(buffer.text):
            buffer.insert_text("\n")
        else:
            buffer.validate_and_handle()

    return bindings


def _interactive(repl):
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    session = PromptSession(
        history=FileHistory(history_path()),
        completer=_completer(repl),
        complete_while_typing=False,
        key_bindings=_key_bindings(repl),
        multiline=True,
        prompt_continuation=lambda width, line_number, soft_wrap: CONTINUATION,
    )
    print(BANNER)
    while True:
        # Ctrl-C may also come between two prompts, when the terminal is not in raw mode
        try:
            sys.stdout.flush()
            text = session.prompt(PROMPT)
        except KeyboardInterrupt:
            continue
        except EOFError:
            print()
            return 0
        if text.strip() == "exit":
            return 0
        _execute(repl, text)


def _execute(repl, text):
    """Runs what was typed; whatever goes wrong around it leaves the prompt alive."""
    from lupa import luajit21
    try:
        repl.execute(text)
        sys.stdout.flush()
    except KeyboardInterrupt:
        # Ctrl-C outside the typed chunk (while its value printed, say)
        sys.stdout.flush()
        sys.stderr.write("interrupted!\n")
    except luajit21.LuaError as e:
        sys.stdout.flush()
        sys.stderr.write("%s\n" % e)


def _from_pipe(repl):
    buffer = ""
    for line in sys.stdin:
        buffer += line
        if repl.incomplete(buffer):
            continue
        _execute(repl, buffer.rstrip("\n"))
        buffer = ""
    if buffer.strip():
        _execute(repl, buffer.rstrip("\n"))
    sys.stdout.flush()
    return 0


def run_repl(lua):
    """Runs the prompt on `lua` (th's runtime, torch loaded) until Ctrl-D; returns the exit
    status."""
    repl = lua.eval("require 'torch7_compat.repl'")
    if sys.stdin.isatty() and sys.stdout.isatty():
        return _interactive(repl)
    return _from_pipe(repl)
