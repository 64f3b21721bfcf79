"""Lua strings are bytes; Python's str is text. Strings that are valid UTF-8 cross to Python
as str, the others as bytes (vocabularies of byte-level models hold such keys), and Lua's
print writes them as they are. Python's own UTF-8 decoder is the oracle."""
import random
import subprocess
import sys
import tempfile

import pytest

from conftest import python_env

EDGE_CASES = [
    b"", b"ascii only", "café".encode(), "日本語".encode(), "🙂".encode(),
    b"caf\xe9", b"\xc0\x80", b"\xc1\xbf", b"\xe0\x80\x80", b"\xe0\x9f\xbf", b"\xe0\xa0\x80",
    b"\xed\x9f\xbf", b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xee\x80\x80", b"\xf0\x8f\xbf\xbf",
    b"\xf0\x90\x80\x80", b"\xf4\x8f\xbf\xbf", b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80",
    b"\xff", b"\x80", b"\xc3", b"\xe2\x82", b"\xf0\x9f\x99", b"a\xc3\xa9b\xe9c",
]


def decodes(data):
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_the_lua_validator_agrees_with_pythons_decoder(t7):
    is_valid = t7.lua.runtime.eval("require('torch7_compat.utf8').is_valid")
    rng = random.Random(7)
    samples = list(EDGE_CASES)
    for _ in range(3000):
        pieces = [rng.choice([b"a", "é".encode(), "€".encode(), "𝄞".encode(),
                              bytes([rng.randrange(128, 256)])])
                  for _ in range(rng.randrange(1, 6))]
        samples.append(b"".join(pieces))
    for data in samples:
        assert is_valid(data) == decodes(data), data


@pytest.mark.parametrize("data", EDGE_CASES)
def test_strings_cross_as_str_or_bytes(t7, data):
    echo = t7.lua.eval("function(s) return s, #s end")
    value, length = echo(data)
    assert length == len(data)
    if decodes(data):
        assert value == data.decode("utf-8")
    else:
        assert value == data and isinstance(value, bytes)


def test_a_byte_level_vocabulary_loads_with_bytes_keys(t7, tmp_path):
    path = str(tmp_path / "vocab.t7")
    t7.lua.execute("""
    local vocab = {}
    for i, b in ipairs({97, 200, 255}) do vocab[string.char(b)] = i end
    torch.save(..., {vocab = vocab, name = 'caf\\233', ok = 'caf\\195\\169'})
    """, path)
    loaded = t7.load(path)
    assert dict(loaded.vocab.items()) == {"a": 1, b"\xc8": 2, b"\xff": 3}
    assert loaded.name == b"caf\xe9" and loaded.ok == "café"
    assert "caf\\xe9" in str(t7.lua.eval("setmetatable({}, {__tostring = function() "
                                          "return 'caf\\233' end})"))
    # bytes go back to Lua as the same string
    assert t7.lua.eval("function(t, k) return t[k] end")(loaded.vocab, b"\xc8") == 2


def test_lua_print_writes_the_bytes_as_they_are():
    program = ("import torch7_compat as t7\n"
               "t7.lua.execute(\"print('caf\\\\233', 1); io.write('\\\\195\\\\169 ok\\\\n')\")\n")
    result = subprocess.run([sys.executable, "-c", program], capture_output=True,
                            env=python_env(), cwd=tempfile.gettempdir(), timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"caf\xe9\t1\n\xc3\xa9 ok\n"
