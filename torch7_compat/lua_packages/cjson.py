"""Decoding for the Lua `cjson` package (lua/cjson/init.lua), in lua-cjson's terms.

Python's json parses what it accepts as lua-cjson would. Everything else (lua-cjson's
extensions such as hexadecimal numbers, documents nested beyond the configured depth,
bytes that are not UTF-8, and every syntax error) goes through a parser that follows
lua-cjson's tokens and grammar, so that its results and its error messages ("Expected
comma or array end but found T_STRING at character 7") are the original's.

The result crosses to Lua as one string (lua_values), which lua/cjson rebuilds.
"""
import json
import math
import re

from . import lua_values


class DecodeError(ValueError):
    """A document lua-cjson refuses, with lua-cjson's message."""


# an object's (key, value) pairs, in document order (in Lua, the last of equal keys wins)
_Object = lua_values.Pairs


def decode(text_tensor, max_depth, invalid_numbers):
    """The encoded value of the JSON document in a ByteTensor (lua-cjson's bytes)."""
    data = bytes(text_tensor.numpy()) if text_tensor is not None else b""
    if len(data) >= 2 and (data[0] == 0 or data[1] == 0):
        raise DecodeError("JSON parser does not support UTF-16 or UTF-32")
    value = _fast_parse(data, invalid_numbers)
    if value is _FALLBACK:
        value = _CjsonParser(data, max_depth, invalid_numbers).document()
    try:
        return lua_values.pack(value, max_depth)[0]
    except lua_values.TooDeep as e:     # the original's parser says where
        _CjsonParser(data, max_depth, invalid_numbers).document()
        raise DecodeError("the document nests %d levels deep: more than this decoder "
                          "supports" % e.args[0]) from None


_FALLBACK = object()
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89abAB]")


def _refuse_constant(name):
    raise ValueError(name)


def _fast_parse(data, invalid_numbers):
    if b"\0" in data or _SURROGATE_ESCAPE.search(data):
        # the original stops at a NUL byte; json lets lone surrogates through
        return _FALLBACK
    try:
        text = data.decode("utf-8")
        return json.loads(text, strict=False, object_pairs_hook=_Object,
                          parse_int=float,
                          parse_constant=float if invalid_numbers else _refuse_constant)
    except (ValueError, RecursionError):
        return _FALLBACK


# -- lua-cjson's own grammar -------------------------------------------------------------

_ESCAPES = {ord('"'): b'"', ord("\\"): b"\\", ord("/"): b"/", ord("b"): b"\b",
            ord("t"): b"\t", ord("n"): b"\n", ord("f"): b"\f", ord("r"): b"\r"}
_SINGLE = {ord("{"): "T_OBJ_BEGIN", ord("}"): "T_OBJ_END", ord("["): "T_ARR_BEGIN",
           ord("]"): "T_ARR_END", ord(","): "T_COMMA", ord(":"): "T_COLON"}
_WHITESPACE = b" \t\n\r"
_UNKNOWN_START = b'fiInNt"+-0123456789'
# what C's strtod reads: decimal, hexadecimal, infinity and NaN forms
_STRTOD = re.compile(
    rb"[+-]?(?:0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?"
    rb"|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
    rb"|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN](?:\([0-9A-Za-z_]*\))?)")


def _strtod(text):
    text = text.decode("ascii").lower()
    sign = -1.0 if text.startswith("-") else 1.0
    body = text.lstrip("+-")
    if body.startswith("inf"):
        return sign * math.inf
    if body.startswith("nan"):
        return math.nan
    if body.startswith("0x"):
        return sign * float.fromhex(body)
    return float(text)


class _Token:
    __slots__ = ("kind", "value", "index")

    def __init__(self, kind, value, index):
        self.kind, self.value, self.index = kind, value, index


class _CjsonParser:
    def __init__(self, data, max_depth, invalid_numbers):
        end = data.find(b"\0")
        self.data = data if end < 0 else data[:end]
        self.max_depth = max_depth
        self.invalid_numbers = invalid_numbers
        self.pos = 0

    def document(self):
        value = self.value(self.token())
        token = self.token()
        if token.kind != "T_END":
            self.fail("the end", token)
        return value

    @staticmethod
    def fail(expected, token):
        found = token.value if token.kind == "T_ERROR" else token.kind
        raise DecodeError("Expected %s but found %s at character %d"
                          % (expected, found, token.index + 1))

    def error_token(self, what):
        return _Token("T_ERROR", what, self.pos)

    def token(self):
        data, n = self.data, len(self.data)
        while self.pos < n and data[self.pos] in _WHITESPACE:
            self.pos += 1
        start = self.pos
        if start >= n:
            return _Token("T_END", None, start)
        ch = data[start]
        if ch in _SINGLE:
            self.pos += 1
            return _Token(_SINGLE[ch], None, start)
        if ch not in _UNKNOWN_START:
            return self.error_token("invalid token")
        if ch == ord('"'):
            return self.string(start)
        if ch == ord("-") or 48 <= ch <= 57:
            if not self.invalid_numbers and self.invalid_number():
                return self.error_token("invalid number")
            return self.number(start)
        for word, kind, value in ((b"true", "T_BOOLEAN", True), (b"false", "T_BOOLEAN", False),
                                  (b"null", "T_NULL", None)):
            if data.startswith(word, start):
                self.pos += len(word)
                return _Token(kind, value, start)
        if self.invalid_numbers and self.invalid_number():
            return self.number(start)
        return self.error_token("invalid token")

    def invalid_number(self):
        """lua-cjson's test for numbers strtod reads but JSON does not allow."""
        rest = self.data[self.pos:]
        if rest.startswith(b"+"):
            return True
        if rest.startswith(b"-"):
            rest = rest[1:]
        if rest.startswith(b"0"):
            return len(rest) > 1 and (rest[1] | 0x20 == ord("x") or 48 <= rest[1] <= 57)
        if not rest or rest[0] <= ord("9"):
            return False
        return rest[:3].lower() in (b"inf", b"nan")

    def number(self, start):
        match = _STRTOD.match(self.data, self.pos)
        if not match:
            return self.error_token("invalid number")
        self.pos = match.end()
        return _Token("T_NUMBER", _strtod(match.group()), start)

    def string(self, start):
        data, n = self.data, len(self.data)
        self.pos += 1
        parts = []
        while True:
            if self.pos >= n:
                return self.error_token("unexpected end of string")
            ch = data[self.pos]
            if ch == ord('"'):
                break
            if ch != ord("\\"):
                stop = self.pos + 1
                while stop < n and data[stop] not in b'"\\':
                    stop += 1
                parts.append(data[self.pos:stop])
                self.pos = stop
                continue
            escape = data[self.pos + 1] if self.pos + 1 < n else 0
            if escape == ord("u"):
                decoded = self.unicode_escape()
                if decoded is None:
                    return self.error_token("invalid unicode escape code")
                parts.append(decoded)
            elif escape in _ESCAPES:
                parts.append(_ESCAPES[escape])
                self.pos += 2
            else:
                return self.error_token("invalid escape code")
        self.pos += 1
        return _Token("T_STRING", b"".join(parts), start)

    def hex4(self, at):
        digits = self.data[at:at + 4]
        if len(digits) < 4 or not all(c in b"0123456789abcdefABCDEF" for c in digits):
            return None
        return int(digits, 16)

    def unicode_escape(self):
        code = self.hex4(self.pos + 2)
        if code is None:
            return None
        length = 6
        if code & 0xF800 == 0xD800:
            if code & 0x400 or self.data[self.pos + 6:self.pos + 8] != b"\\u":
                return None
            low = self.hex4(self.pos + 8)
            if low is None or low & 0xFC00 != 0xDC00:
                return None
            code = (((code & 0x3FF) << 10) | (low & 0x3FF)) + 0x10000
            length = 12
        self.pos += length
        return chr(code).encode("utf-8")

    def value(self, token):
        """The value starting at token; containers are filled without recursion."""
        root = []
        stack = [(root, None)]      # (container, object key waiting for its value)
        while True:
            if token.kind in ("T_OBJ_BEGIN", "T_ARR_BEGIN"):
                depth = len(stack)
                if depth > self.max_depth:
                    raise DecodeError("Found too many nested data structures (%d) at character "
                                      "%d" % (depth, self.pos))
                child = _Object() if token.kind == "T_OBJ_BEGIN" else []
                self.put(stack, child)
                token = self.token()
                closing = "T_OBJ_END" if isinstance(child, _Object) else "T_ARR_END"
                if token.kind == closing:
                    token = self.after_value(stack)
                    if token is None:
                        return root[0]
                    continue
                stack.append((child, None))
                if isinstance(child, _Object):
                    token = self.key(stack, token)
                continue
            if token.kind not in ("T_STRING", "T_NUMBER", "T_BOOLEAN", "T_NULL"):
                self.fail("value", token)
            self.put(stack, token.value)
            token = self.after_value(stack)
            if token is None:
                return root[0]

    def put(self, stack, value):
        container, key = stack[-1]
        if isinstance(container, _Object):
            container.append((key, value))
        else:
            container.append(value)

    def key(self, stack, token):
        """Reads `key :` of an object; the token of its value."""
        if token.kind != "T_STRING":
            self.fail("object key string", token)
        stack[-1] = (stack[-1][0], token.value)
        token = self.token()
        if token.kind != "T_COLON":
            self.fail("colon", token)
        return self.token()

    def after_value(self, stack):
        """After a value: closes what ends, returns the next value's token (None at the end
        of the document)."""
        while len(stack) > 1:
            container = stack[-1][0]
            token = self.token()
            is_object = isinstance(container, _Object)
            if token.kind == ("T_OBJ_END" if is_object else "T_ARR_END"):
                stack.pop()
                continue
            if token.kind != "T_COMMA":
                self.fail("comma or object end" if is_object else "comma or array end", token)
            token = self.token()
            return self.key(stack, token) if is_object else token
        return None
