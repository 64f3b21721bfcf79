"""cjson and cjson.safe: documents decoded as Python's json reads them, values encoded in
forms Python's json reads back, lua-cjson's number format (C's %.14g), its array rules and
settings, and its error messages (those its own test suite expects)."""
import json
import math
import random

import pytest

import torch7_compat as t7
from conftest import run_th


def lua(code, *args):
    return t7.lua.execute("local cjson = require 'cjson'\n" + code, *args)


def encode(value_code):
    return lua("return cjson.encode(%s)" % value_code)


DOCUMENTS = [
    '{"a": [1, 2.5, -3e-7, true, false], "b": {"c": "d"}, "e": ""}',
    '[[], {}, [[[]]], {"x": {"y": {"z": [0]}}}]',
    '"caf\\u00e9 \\ud83d\\ude00 \\n\\t\\"\\\\\\/"',
    '  [1e308, -1e-308, 123456789012345678, 0.1]  ',
    '{"dup": 1, "dup": 2}',
]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_decoded_values_are_what_json_reads(document):
    # decode, then re-encode with the highest precision json reads back exactly
    lua_json = lua("cjson.encode_number_precision(14)\n"
                   "local v = cjson.decode(...)\n"
                   "return v", document)
    expected = json.loads(document)
    assert _plain(lua_json) == _normalised(expected)


def _plain(value):
    """A decoded value from Lua as Python lists and dicts (tables with keys 1..n: lists)."""
    if isinstance(value, (str, float, int, bool)) or value is None:
        return value
    items = dict(value.items())
    if items and all(isinstance(k, (int, float)) for k in items) and \
            sorted(items) == list(range(1, len(items) + 1)):
        return [_plain(items[i]) for i in range(1, len(items) + 1)]
    return {k: _plain(v) for k, v in items.items()}


def _normalised(value):
    if isinstance(value, list):
        return [_normalised(v) for v in value] if value else {}
    if isinstance(value, dict):
        return {k: _normalised(v) for k, v in value.items()}
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def test_null_is_the_null_sentinel_in_arrays_and_objects():
    assert lua("""local v = cjson.decode('[1, null, {"k": null}]')
                  return v[2] == cjson.null and v[3].k == cjson.null and #v == 3
                     and type(cjson.null) == 'userdata' and cjson.decode('null') == cjson.null
                     and cjson.encode(cjson.null) == 'null'
                     and cjson.encode({1, cjson.null, 3}) == '[1,null,3]'""") is True


@pytest.mark.parametrize("seed", range(3))
def test_numbers_are_written_as_c_formats_them(seed):
    rng = random.Random(seed)
    values = [rng.uniform(-1, 1) * 10 ** rng.randint(-30, 30) for _ in range(200)]
    values += [0.0, -0.0, 1.0, 100.0, 1e15, 2 ** 53, 1 / 3, 123456789012345.0]
    text = lua("""local values = ...
                  local out = {}
                  for i = 1, #values do out[i] = cjson.encode(values[i]) end
                  return table.concat(out, ' ')""", t7.lua.runtime.table_from(values))
    assert text.split(" ") == ["%.14g" % v for v in values]


def test_number_precision_setting():
    assert lua("return cjson.encode_number_precision(3), cjson.encode(1/3), "
               "cjson.encode_number_precision(14)") == (3, "0.333", 14)


def test_encoded_documents_read_back_with_json():
    value = {"name": "x/y\n\"q\"", "list": [1.5, -2.0, True, False, "\u00e9"],
             "nested": {"empty_list": {}, "deep": [[1.0], [2.0, 3.0]]}}
    text = lua("""local doc = cjson.decode(...)
                  return cjson.encode(doc)""", json.dumps(value))
    assert json.loads(text) == value


def test_string_escapes_are_lua_cjsons():
    # every byte: control characters and DEL as \u00XX (but \b \t \n \f \r), / as \/
    octets = "".join(map(chr, range(128)))
    expected = []
    for c in octets:
        named = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r",
                 '"': '\\"', "\\": "\\\\", "/": "\\/"}
        if c in named:
            expected.append(named[c])
        elif ord(c) < 32 or ord(c) == 127:
            expected.append("\\u%04x" % ord(c))
        else:
            expected.append(c)
    assert lua("local s = '' for i = 0, 127 do s = s .. string.char(i) end\n"
               "return cjson.encode(s)") == '"' + "".join(expected) + '"'


def test_empty_table_is_an_object_and_lists_are_arrays():
    assert encode("{}") == "{}"
    assert encode("{1, 2, 3}") == "[1,2,3]"
    assert json.loads(encode("{a = 1, [2] = 'x'}")) == {"a": 1, "2": "x"}


def test_sparse_arrays_follow_the_configured_ratio():
    # the original's own expectations (its tests/test.lua)
    assert lua("""cjson.encode_sparse_array(true, 2, 3)
                  return cjson.encode({[3] = 'sparse test'}),
                         cjson.encode({[1] = 'one', [4] = 'sparse test'}),
                         cjson.encode({[1] = 'one', [5] = 'sparse test'}):sub(1, 1)""") == (
        '[null,null,"sparse test"]', '["one",null,null,"sparse test"]', "{")
    assert lua("local c = cjson.new() return c.encode_sparse_array()") == (False, 2, 10)
    assert lua("local c = cjson.new() return pcall(c.encode, {[11] = 1})") == (
        False, "Cannot serialise table: excessively sparse array")
    assert lua("local c = cjson.new() return c.encode({[10] = 1})") == (
        "[" + "null," * 9 + "1]")


def test_configuration_belongs_to_each_module_table():
    assert lua("""local a, b = cjson.new(), cjson.new()
                  a.encode_number_precision(2)
                  return a.encode(1/3), b.encode(1/3), cjson.encode_number_precision()""") == (
        "0.33", "0.33333333333333", 14)


ERRORS = [  # (document, message): from lua-cjson's tests/test.lua
    ('{ "unexpected eof": ', "Expected value but found T_END at character 21"),
    ('{ "extra data": true }, false', "Expected the end but found T_COMMA at character 23"),
    (' { "bad escape \\q code" } ',
     "Expected object key string but found invalid escape code at character 16"),
    (' { "bad unicode \\u0f6 escape" } ',
     "Expected object key string but found invalid unicode escape code at character 17"),
    (' [ "bad barewood", test ] ', "Expected value but found invalid token at character 20"),
    ("[ -+12 ]", "Expected value but found invalid number at character 3"),
    ("-v", "Expected value but found invalid number at character 1"),
    ("[ 0.4eg10 ]", "Expected comma or array end but found invalid token at character 6"),
    ("Infrared", "Expected the end but found invalid token at character 4"),
    ("Noodle", "Expected value but found invalid token at character 1"),
    ('"\\uDC00\\uD800"', "Expected value but found invalid unicode escape code at character 2"),
    ('"\\uDB00"', "Expected value but found invalid unicode escape code at character 2"),
    ('"\\uDB00\\uD"', "Expected value but found invalid unicode escape code at character 2"),
    ('{"a":1,}', "Expected object key string but found T_OBJ_END at character 8"),
    ("", "Expected value but found T_END at character 1"),
    ('"\0"\0', "JSON parser does not support UTF-16 or UTF-32"),
    ("[" * 1100 + "1100" + "]" * 1100,
     "Found too many nested data structures (1001) at character 1001"),
]


@pytest.mark.parametrize("document, message", ERRORS)
def test_malformed_documents_give_lua_cjsons_messages(document, message):
    assert lua("return pcall(cjson.decode, ...)", document) == (False, message)
    assert lua("return require('cjson.safe').decode(...)", document) == (None, message)


def test_invalid_numbers_when_allowed_and_refused():
    values = lua("return cjson.decode('[0x6.ffp1, 0123, 00.33, +Inf, -Infinity, NaN]')")
    values = [values[i] for i in range(1, 7)]
    assert values[:3] == [13.9921875, 123, 0.33]
    assert values[3:5] == [math.inf, -math.inf] and math.isnan(values[5])
    assert lua("""local c = cjson.new()
                  c.decode_invalid_numbers(false)
                  local _, a = pcall(c.decode, '0x6')
                  local _, b = pcall(c.decode, '[ 0123, 00.33 ]')
                  local _, d = pcall(c.decode, '[ NaN ]')
                  return a, b, d""") == (
        "Expected value but found invalid number at character 1",
        "Expected value but found invalid number at character 3",
        "Expected value but found invalid token at character 3")
    assert lua("""local c = cjson.new()
                  local _, refused = pcall(c.encode, 0/0)
                  c.encode_invalid_numbers('null')
                  local as_null = c.encode({1/0})
                  c.encode_invalid_numbers(true)
                  return refused, as_null, c.encode(-1/0), c.encode(0/0)""") == (
        "Cannot serialise number: must not be NaN or Infinity", "[null]", "-Infinity", "NaN")


def test_depth_limits():
    assert lua("""local c = cjson.new()
                  c.decode_max_depth(5)
                  c.encode_max_depth(5)
                  local ok = c.decode('[[[[[ "nested" ]]]]]')[1][1][1][1][1] == 'nested'
                  local _, a = pcall(c.decode, '[[[[[[ "nested" ]]]]]]')
                  local _, b = pcall(c.decode, '{"a":{"b":{"c":{"d":{"e":{"f":"nested"}}}}}}')
                  local _, d = pcall(c.encode, {{{{{{'nested'}}}}}})
                  local cycle = {} cycle[1] = cycle
                  local _, e = pcall(c.encode, cycle)
                  return ok, a, b, d, e""") == (
        True, "Found too many nested data structures (6) at character 6",
        "Found too many nested data structures (6) at character 26",
        "Cannot serialise, excessive nesting (6)", "Cannot serialise, excessive nesting (6)")


def test_values_it_cannot_write():
    assert lua("return pcall(cjson.encode, function() end)") == (
        False, "Cannot serialise function: type not supported")
    assert lua("return pcall(cjson.encode, {[false] = 'wrong'})") == (
        False, "Cannot serialise boolean: table key must be a number or string")
    assert lua("return require('cjson.safe').encode(function() end)") == (
        None, "Cannot serialise function: type not supported")


def test_configuration_argument_errors():
    for call, message in [
            ("cjson.encode_number_precision, 0", "bad argument #1 to '?' (expected integer "
                                                 "between 1 and 14)"),
            ("cjson.encode_number_precision, 'five'", "bad argument #1 to '?' (number "
                                                      "expected, got string)"),
            ("cjson.encode_keep_buffer, nil, true", "bad argument #2 to '?' (found too many "
                                                    "arguments)"),
            ("cjson.decode_max_depth, '0'", "bad argument #1 to '?' (expected integer between "
                                            "1 and 2147483647)"),
            ("cjson.encode_invalid_numbers, -2", "bad argument #1 to '?' (invalid option "
                                                 "'-2')"),
            ("cjson.encode_sparse_array, 'not quite on'", "bad argument #1 to '?' (invalid "
                                                          "option 'not quite on')"),
            ("require('cjson.safe').encode, 'a', 'b'", "bad argument #1 to '?' (expected 1 "
                                                       "argument)")]:
        assert lua("return pcall(%s)" % call) == (False, message)
    assert lua("return cjson.encode_keep_buffer(false), cjson.encode_keep_buffer(true), "
               "cjson._NAME, cjson._VERSION") == (False, True, "cjson", "2.1devel")


def test_a_script_error_names_the_script_and_line(tmp_path):
    script = tmp_path / "read_config.lua"
    script.write_text("local cjson = require 'cjson'\n"
                      "local config = cjson.decode('{\"lr\": 0.1,, }')\n")
    result = run_th(str(script))
    assert result.returncode != 0
    assert "read_config.lua:2: Expected object key string but found T_COMMA at character 12" \
        in result.stderr
