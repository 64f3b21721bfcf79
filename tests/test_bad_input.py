"""Bad input gets a clear error, in the caller's language, and the process goes on."""
import textwrap

import pytest

from conftest import run_th


@pytest.mark.parametrize("code, message", [
    ("torch.Tensor(3)[5]", r"bad argument #2 to '__index' \(index 5 out of range for a "
                           r"dimension of size 3\)"),
    ("torch.Tensor(3)[5] = 1", r"index 5 out of range for a dimension of size 3"),
    ("torch.Tensor(2, 2)[{1, 3}]", r"index 3 out of bound for dimension 2 of size 2"),
    ("torch.Tensor(2, 2)[{1, 1, 1}]", r"too many indices provided"),
    ("torch.Tensor(3):narrow(1, 2, 5)", r"bad argument #4 to 'narrow' \(out of range: 5 "
                                        r"elements from index 2 of a dimension of size 3\)"),
    ("torch.Tensor(2, 3):select(1, 3)", r"bad argument #3 to 'select'"),
    ("torch.Tensor(2, 3):size(3)", r"dimension 3 out of range of 2D tensor"),
    ("torch.Tensor(-1)", r"invalid size -1"),
    ("torch.Tensor(2, 3):view(4)", r"Wrong size for view. Input size: 2x3. Output size: 4"),
    ("torch.Tensor(torch.DoubleStorage(5), 1, 10)",
     r"does not fit its storage: it reaches element 10 .* storage of size 5"),
    ("torch.Tensor(torch.DoubleStorage(5), 4, torch.LongStorage{2, 2})", r"does not fit"),
    ("torch.add(torch.Tensor(2), torch.FloatTensor(2))",
     r"invalid arguments: DoubleTensor FloatTensor \nexpected arguments: "
     r"\[\*DoubleTensor\*\] DoubleTensor double \| \[\*DoubleTensor\*\] DoubleTensor "
     r"\[double\] DoubleTensor"),
    ("torch.Tensor(2):add('x')", r"invalid arguments: DoubleTensor string"),
    ("torch.Tensor(2) + torch.FloatTensor(2)", r"types must match"),
    ("torch.add(torch.Tensor(2), 1, torch.Tensor(3))",
     r"inconsistent tensor size, expected r_ \[2\], t \[2\] and src \[3\] to have the same "
     r"number of elements, but got 2, 2 and 3 elements respectively"),
    ("torch.LongTensor(2):sqrt()", r"attempt to call method 'sqrt'"),
    ("torch.sqrt(torch.LongTensor(2))", r"LongTensor does not implement the torch.sqrt\(\) "
                                        r"function"),
    ("torch.Tensor(2):expand(3, 3)", r"number of dimensions provided must equal"),
    ("torch.Tensor(2, 3):t():view(6)", r"expecting a contiguous tensor"),
    ("torch.Tensor(2).foo = 1", r"the class torch.DoubleTensor cannot be indexed"),
    ("torch.DoubleStorage(3)[4]", r"index 4 out of range"),
    ("torch.setdefaulttensortype('torch.NoSuchTensor')", r"is not a string describing"),
])
def test_bad_calls_raise_lua_errors(t7, code, message):
    statement = code if " = " in code else "local _ = " + code
    with pytest.raises(t7.LuaError, match=message):
        t7.lua.execute(statement)
    assert t7.lua.eval("torch.Tensor{1, 2}:sum()") == 3   # and the runtime goes on


def test_error_position_is_the_callers_line(t7):
    with pytest.raises(t7.LuaError, match=r'^\[string "<python>"\]:3: bad argument #2'):
        t7.lua.execute("local t = torch.Tensor(2)\n"
                       "-- the next line is the culprit\n"
                       "local x = t[7]\n")


FUZZ = textwrap.dedent("""
    -- Calls every tensor method with arguments drawn at random, each under pcall: any
    -- outcome is fine except a crash of the process.
    torch.manualSeed(tonumber(arg[1]))
    local methods = {}
    for name, f in pairs(torch.getmetatable('torch.DoubleTensor')) do
       if type(f) == 'function' and not name:match('^__') and name ~= 'data'
          and name ~= 'cdata' then methods[#methods + 1] = name end
    end
    table.sort(methods)
    local function value()
       local k = torch.random(12)
       if k == 1 then return torch.random(-3, 6) end
       if k == 2 then return -2^62 end
       if k == 3 then return 0/0 end
       if k == 4 then return torch.Tensor(torch.random(0, 3), torch.random(1, 3)):uniform() end
       if k == 5 then return torch.LongTensor(torch.random(1, 4)):random(1, 5) end
       if k == 6 then return torch.FloatTensor(2, 2):fill(1) end
       if k == 7 then return torch.Tensor(3, 4):t() end
       if k == 8 then return torch.LongStorage{torch.random(-1, 3), 2} end
       if k == 9 then return {1, {2, 3}} end
       if k == 10 then return 'str' end
       if k == 11 then return torch.ByteTensor(3):random(0, 1) end
       return nil
    end
    local failures = 0
    for i = 1, tonumber(arg[2]) do
       local t = value()
       if not torch.isTensor(t) then t = torch.Tensor(4, 3):uniform() end
       local name = methods[torch.random(#methods)]
       local ok = pcall(t[name], t, value(), value(), value(), value())
       if not ok then failures = failures + 1 end
    end
    print('calls done', failures)
""")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_calls_never_crash_the_process(tmp_path, seed):
    script = tmp_path / "fuzz.lua"
    script.write_text(FUZZ)
    result = run_th(str(script), str(seed), "3000")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "calls done" in result.stdout


def test_argument_errors_name_the_callers_line(t7):
    # the dispatchers reach their error by tail calls; the message still points at the call
    for call in ("torch.add(t, 's')", "t:cmul('s')", "torch.sum(t, 'a')"):
        with pytest.raises(t7.LuaError, match=r'^\[string "<python>"\]:2: invalid arguments'):
            t7.lua.execute("local t = torch.Tensor(2)\nlocal x = %s\n" % call)


def test_nan_payloads_read_as_numbers(t7):
    # LuaJIT tags its own values with NaN bit patterns: a stored NaN with such a payload
    # (here from numpy) must still read as a number, not crash the process.
    import numpy as np
    bits = np.array([0xfffdffffffffff00, 0xfff8000000000001, 0x7ff8000000000123, 0],
                    dtype=np.uint64)
    doubles = bits.view(np.float64)
    floats = np.array([0xffffffff, 0xff800001, 0x7fc00001, 0], dtype=np.uint32).view(np.float32)
    kinds = t7.lua.execute("""
        local d, f = ...
        local kinds = {}
        for i = 1, 4 do kinds[#kinds + 1] = type(d[i]) .. type(f[i]) end
        kinds[#kinds + 1] = type(d:sum()) .. type(f:max()) .. type(d:totable()[1])
        d:apply(function(x) kinds[#kinds + 1] = type(x) end)
        kinds[#kinds + 1] = tostring(d):match('nan') and 'printed' or 'not printed'
        return table.concat(kinds, ' ')
    """, t7.from_numpy(doubles), t7.from_numpy(floats))
    assert kinds.split() == ["numbernumber"] * 4 + ["numbernumbernumber"] + ["number"] * 4 + \
        ["printed"]
