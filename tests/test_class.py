"""torch.class and friends, with the semantics the original documents (TORCH7_NOTES.md §4)."""
import pytest


def test_class_with_parent_and_constructor_table(lua):
    results = lua("""
        local A = torch.class('test_cls.A')
        function A:__init(x) self.x = x end
        function A:value() return self.x end
        local B, parent = torch.class('test_cls.B', 'test_cls.A')
        function B:__init(x, y) parent.__init(self, x); self.y = y end
        function B:value() return parent.value(self) + self.y end
        local b = test_cls.B(1, 10)
        return b:value(), torch.type(b), torch.typename(b), parent == torch.getmetatable('test_cls.A'),
               getmetatable(B) == parent, test_cls.B.value == B.value
    """)
    assert results == (11, "test_cls.B", "test_cls.B", True, True, True)


def test_class_returns_metatable_and_parent_metatable(lua):
    same, no_parent = lua("""
        local mt, p = torch.class('test_cls.C')
        return mt == torch.getmetatable('test_cls.C'), p == nil
    """)
    assert same and no_parent


def test_redeclaring_a_class_fails(t7, lua):
    lua("torch.class('test_cls.Once')")
    with pytest.raises(t7.LuaError, match="already"):
        lua("torch.class('test_cls.Once')")


def test_module_argument_places_the_constructor(lua):
    placed = lua("""
        local module = {}
        torch.class('test_cls.InModule', module)
        return module.InModule ~= nil and rawget(_G, 'InModule') == nil
    """)
    assert placed


def test_type_and_typename_of_plain_values(lua):
    kinds = lua("""
        return torch.type(1), torch.type('s'), torch.type({}), select('#', torch.typename(1)),
               torch.typename(torch.Tensor()), torch.type(torch.LongStorage())
    """)
    # typename of a non-torch value returns no value at all
    assert kinds == ("number", "string", "table", 0, "torch.DoubleTensor", "torch.LongStorage")


def test_is_type_of_walks_parents_and_matches_patterns(lua):
    results = lua("""
        torch.class('test_cls.Base')
        torch.class('test_cls.Derived', 'test_cls.Base')
        local d = test_cls.Derived()
        return torch.isTypeOf(d, 'test_cls.Base'), torch.isTypeOf(d, 'test_cls.Derived'),
               torch.isTypeOf(d, 'Base'), torch.isTypeOf(d, 'test_cls%..*'),
               torch.isTypeOf(d, test_cls.Base), torch.isTypeOf(torch.Tensor(), 'torch.DoubleTensor'),
               torch.isTypeOf({}, 'test_cls.Base')
    """)
    # a plain name must match a whole class name; a pattern may match part of it
    assert results == (True, True, False, True, True, True, False)


def test_is_tensor_and_is_storage(lua):
    assert lua("return torch.isTensor(torch.FloatTensor()), torch.isTensor({}), "
               "torch.isStorage(torch.ByteStorage()), torch.isStorage(torch.Tensor())") == \
        (True, False, True, False)


def test_factory_and_newmetatable(lua):
    results = lua("""
        local Thing = torch.class('test_cls.Thing')
        function Thing:__init() self.initialised = true end
        local made = torch.factory('test_cls.Thing')()
        local empty = torch.factory('torch.FloatTensor')()
        return made.initialised == nil, torch.type(made), torch.type(empty), empty:dim()
    """)
    assert results == (True, "test_cls.Thing", "torch.FloatTensor", 0)


def test_operators_and_tostring_hooks(lua):
    results = lua("""
        local V = torch.class('test_cls.V')
        function V:__init(x) self.x = x end
        function V.__add__(a, b) return test_cls.V(a.x + b.x) end
        function V:__tostring__() return 'V(' .. self.x .. ')' end
        local W = torch.class('test_cls.W')
        local ok, err = pcall(function() return test_cls.W() + test_cls.W() end)
        return tostring(test_cls.V(1) + test_cls.V(2)), tostring(test_cls.W()), err
    """)
    assert results[0] == "V(3)"
    assert results[1] == "test_cls.W"       # a class without __tostring__ prints its name
    assert "have no addition operator" in results[2]


def test_index_hook(lua):
    value, fallback = lua("""
        local H = torch.class('test_cls.H')
        function H:__index__(key)
           if key == 'magic' then return 42, true end
           return nil, false
        end
        function H:method() return 'method' end
        local h = test_cls.H()
        return h.magic, h:method()
    """)
    assert (value, fallback) == (42, "method")


def test_pointer_identifies_objects(lua):
    same, different, view_differs = lua("""
        local t = torch.Tensor(3)
        local u = t
        local v = t:narrow(1, 1, 2)
        return torch.pointer(t) == torch.pointer(u), torch.pointer(t) ~= torch.pointer({}),
               torch.pointer(t) ~= torch.pointer(v)
    """)
    assert same and different and view_differs
