"""The Python face: proxies of Lua objects, tensors shared with numpy without copies, and
output routed through sys.stdout."""
import gc

import numpy as np
import pytest


def test_issue_example_linear_from_python(t7):
    nn = t7.require("nn")
    m = nn.Linear(3, 2)
    array = np.ones((4, 3))
    x = t7.from_numpy(array)
    y = m.forward(x)
    w, b = m.weight, m.bias
    assert isinstance(y, t7.Tensor) and y.shape == (4, 2)
    np.testing.assert_allclose(y.numpy(), array @ w.numpy().T + b.numpy())
    assert m.lua_type == "object" and str(m).startswith("nn.Linear(3 -> 2)")


def test_numpy_views_are_zero_copy_both_ways(t7):
    array = np.zeros((2, 3), dtype=np.float32)
    t = t7.from_numpy(array)
    t7.lua.execute("local t = ...; t[2][3] = 5", t)
    assert array[1, 2] == 5                      # Lua wrote into numpy's memory
    view = t.numpy()
    assert np.shares_memory(view, array)
    array[0, 0] = -1
    assert t7.lua.execute("local t = ...; return t[1][1]", t) == -1


def test_every_numpy_type_maps_to_its_torch_type(t7):
    names = {np.uint8: "Byte", np.int8: "Char", np.int16: "Short", np.int32: "Int",
             np.int64: "Long", np.float32: "Float", np.float64: "Double"}
    for dtype, name in names.items():
        t = t7.from_numpy(np.arange(3, dtype=dtype))
        assert t.lua_type == "torch.%sTensor" % name
        assert t7.lua.execute("return torch.type(...)", t) == "torch.%sTensor" % name
        assert t.numpy().dtype == dtype


def test_strided_arrays_keep_their_strides(t7):
    base = np.arange(24.0).reshape(4, 6)
    view = base[::2, 1::2].T
    t = t7.from_numpy(view)
    assert t.shape == view.shape
    assert t7.lua.execute("return (...):sum()", t) == view.sum()
    np.testing.assert_array_equal(t.numpy(), view)


def test_unsupported_arrays_are_refused_clearly(t7):
    readonly = np.ones(3)
    readonly.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        t7.from_numpy(readonly)
    with pytest.raises(ValueError, match="negative"):
        t7.from_numpy(np.arange(5.0)[::-1])
    with pytest.raises(TypeError, match="unsupported element type"):
        t7.from_numpy(np.ones(3, dtype=bool))


def test_the_tensor_keeps_the_array_alive(t7):
    t = t7.from_numpy(np.full(1000, 3.0))
    gc.collect()
    assert t7.lua.execute("return (...):sum()", t) == 3000


def test_numpy_view_pins_the_memory_against_resize(t7):
    t = t7.lua.execute("return torch.Tensor(4):fill(1)")
    view = t.numpy()
    with pytest.raises(t7.LuaError, match="viewed by 1 Python buffer"):
        t7.lua.execute("(...):resize(1000)", t)
    del view
    gc.collect()
    t7.lua.execute("(...):resize(1000)", t)
    assert t.shape == (1000,)


def test_lua_output_goes_through_sys_stdout(t7, capsys):
    t7.lua.execute("print('from lua', 1)")
    print("from python")
    t7.lua.execute("io.write('written', '\\n')")
    assert capsys.readouterr().out == "from lua\t1\nfrom python\nwritten\n"


def test_globals_and_eval(t7):
    g = t7.lua.globals()
    g.shared_value = 41
    assert t7.lua.eval("shared_value + 1") == 42
    assert t7.lua.eval("1, 'two', nil, true") == (1, "two", None, True)


def test_python_lists_and_dicts_become_tables(t7):
    count, total, name = t7.lua.execute(
        "local list, map = ...; return #list, list[1] + list[3], map.name", [1, 2, 3], {"name": "x"})
    assert (count, total, name) == (3, 4, "x")


def test_tables_as_mappings(t7):
    table = t7.lua.eval("{a = 1, b = torch.Tensor{2}}")
    assert sorted(table.keys()) == ["a", "b"]
    assert isinstance(table["b"], t7.Tensor)
    seq = t7.lua.eval("{10, 20, 30}")
    assert len(seq) == 3 and seq[2] == 20


def test_lua_errors_become_python_exceptions(t7):
    with pytest.raises(t7.LuaError, match="bad argument #4 to 'narrow'"):
        t7.lua.execute("return torch.Tensor(3):narrow(1, 2, 5)")


def test_methods_bind_self_and_chain(t7):
    nn = t7.require("nn")
    model = nn.Sequential().add(nn.Linear(2, 3)).add(nn.Tanh())
    assert model.size() == 2
    out = model.forward(t7.from_numpy(np.zeros((5, 2))))
    assert out.shape == (5, 3)
    # a plain function stored in a table is not bound: optim.sgd is called as is
    optim = t7.require("optim")
    assert callable(optim.sgd)


def test_proxies_of_one_lua_value_are_equal_and_hash_alike(t7):
    shared, other = t7.lua.execute("shared_table = {}; return shared_table, {}")
    again = t7.lua.globals()["shared_table"]
    assert shared == again and hash(shared) == hash(again)
    assert shared != other
    assert len({shared, again, other}) == 2
    cjson = t7.require("cjson")
    assert cjson.decode("[null]")[1] == cjson.null      # one userdata, two crossings
    assert t7.lua.eval("print") == t7.lua.eval("print")


def test_python_objects_come_back_from_lua_as_themselves(t7):
    """lupa's slot reuse (issues #293/#294) returned another live Python object for about a
    call in three when two new objects crossed at once; the runtime's seeded free list
    avoids it."""
    echo = t7.lua.runtime.eval("function(first, second) return first end")
    entities = [object(), object(), object()]
    wrong = 0
    for i in range(30000):
        expected = entities[i % 3]
        if echo(expected, object()) is not expected:
            wrong += 1
    assert wrong == 0
