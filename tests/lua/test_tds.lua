-- tds: Hash, Vec and AtomicCounter as the original's README documents them (# counts
-- entries, nil in a Vec is an element, insert/remove shift, sort with a comparator), its
-- printed form, its element checks, and serialization round trips.

require 'torch'
local tds = require 'tds'

local tester = torch.Tester()
local tests = torch.TestSuite()

function tests.hash_counts_entries_and_removes_on_nil()
   local h = tds.Hash()
   h.a, h[1], h[true], h[2.5] = 1, 'one', false, torch.ones(2)
   tester:eq(#h, 4)
   tester:eq(h.a, 1)
   tester:eq(h[true], false)
   tester:eq(h[2.5]:sum(), 2)
   h.a = nil
   tester:eq(#h, 3)
   tester:eq(h.a, nil)
   h.a = nil
   tester:eq(#h, 3)
   local seen = 0
   for k, v in pairs(h) do
      seen = seen + 1
      tester:assert(h[k] == v)
   end
   tester:eq(seen, 3)
end

function tests.hash_keeps_insertion_order_through_removals()
   local h = tds.Hash()
   for i = 1, 100 do h['k' .. i] = i end
   for i = 1, 100, 2 do h['k' .. i] = nil end
   h.k1 = 'back'
   local order = {}
   for k in pairs(h) do order[#order + 1] = k end
   tester:eq(#order, 51)
   tester:eq(order[1], 'k2')
   tester:eq(order[50], 'k100')
   tester:eq(order[51], 'k1')
end

function tests.hash_from_table_converts_nested_tables()
   local h = tds.Hash({a = {1, 2, 3}, b = {x = 'y'}, c = 4})
   tester:eq(torch.type(h.a), 'tds.Vec')
   tester:eq(#h.a, 3)
   tester:eq(torch.type(h.b), 'tds.Hash')
   tester:eq(h.b.x, 'y')
   tester:assertErrorPattern(function() tds.Hash(1, 2) end, 'lua table or nothing expected')
end

function tests.elements_must_be_what_tds_stores()
   local h, v = tds.Hash(), tds.Vec()
   tester:assertErrorPattern(function() h.x = {} end,
      'unsupported key/value type <table> %(set%)')
   tester:assertErrorPattern(function() v[1] = print end,
      'unsupported key/value type <function> %(set%)')
   tester:assertErrorPattern(function() return h[nil] end, 'hash index is nil')
   tester:assertErrorPattern(function() v[0] = 1 end, 'positive number expected as key')
   tester:assertErrorPattern(function() return v.nosuch end,
      'invalid key %(number%) or method name')
end

function tests.vec_size_includes_nils()
   local v = tds.Vec(4, 5, nil, 'x')
   tester:eq(#v, 4)
   tester:eq(v[3], nil)
   v[7] = 7
   tester:eq(#v, 7)
   tester:eq(v[6], nil)
   v[7] = nil
   tester:eq(#v, 7)
   local count = 0
   for i, x in ipairs(v) do count = count + 1 end
   tester:eq(count, 7)
end

function tests.vec_insert_remove_resize()
   local v = tds.Vec{'b', 'c'}
   v:insert(1, 'a')
   v:insert('d')
   tester:eq(v:concat(), 'abcd')
   v:remove(2)
   tester:eq(v:concat(','), 'a,c,d')
   v:remove()
   tester:eq(v:concat(','), 'a,c')
   v:remove(9)
   tester:eq(#v, 2)
   v:resize(4)
   tester:eq(v:concat('-'), 'a-c-nil-nil')
   v:resize(1)
   tester:eq(#v, 1)
   tester:eq(v:concat(' ', 1, 1), 'a')
   tester:eq(v:concatstorage():string(), 'a')
   tester:assertErrorPattern(function() v:insert(5, 'far') end, 'out of range')
end

function tests.vec_sort_with_comparator_is_stable()
   local v = tds.Vec()
   local values = {5, 3, 9, 1, 3, 7, 2}
   for i, x in ipairs(values) do v[i] = x end
   v:sort(function(a, b) return a < b end)
   table.sort(values)
   for i = 1, #values do tester:eq(v[i], values[i]) end
   local pairs_vec = tds.Vec()
   for i, word in ipairs{'bb', 'a', 'cc', 'd', 'ee'} do pairs_vec[i] = word end
   pairs_vec:sort(function(a, b) return #a < #b end)
   tester:eq(pairs_vec:concat(' '), 'a d bb cc ee')
   tester:assertErrorPattern(function() v:sort() end, 'compare function must be')
end

function tests.printing_as_the_readme_shows()
   local v = tds.Vec(4, 5, 'hello world')
   tester:eq(tostring(v), 'tds.Vec[3]{\n    1 : 4\n    2 : 5\n    3 : hello world\n}')
   local h = tds.Hash()
   h.foo = 'bar'
   h.stuff = tds.Vec('how', 'are')
   tester:eq(tostring(h), 'tds.Hash[2]{\nfoo   : bar\nstuff : tds.Vec[2]{\n'
      .. '            1 : how\n            2 : are\n        }\n}')
end

function tests.atomic_counter()
   local a = tds.AtomicCounter()
   tester:eq(a:get(), 0)
   tester:eq(a:inc(), 0)
   tester:eq(a:inc(), 1)
   tester:eq(a:get(), 2)
   a:set(100)
   tester:eq(tostring(a), 'tds.AtomicCounter=100')
   tester:assertErrorPattern(function() return a.nope end, 'no such method')
end

function tests.serialization_round_trips_and_shares()
   local inner = tds.Vec(1, 'two', torch.range(1, 3))
   local h = tds.Hash()
   h.v = inner
   h.again = inner
   h.n = 3
   local back = torch.deserialize(torch.serialize(h))
   tester:eq(torch.type(back), 'tds.Hash')
   tester:eq(#back, 3)
   tester:assert(back.v == back.again)
   tester:eq(back.v[3]:sum(), 6)
   local order = {}
   for k in pairs(back) do order[#order + 1] = k end
   tester:eq(table.concat(order, ' '), 'v again n')
   local counter = tds.AtomicCounter()
   counter:set(42)
   tester:eq(torch.deserialize(torch.serialize(counter)):get(), 42)
   local ascii = torch.deserialize(torch.serialize(tds.Vec(1, nil, 3), 'ascii'), 'ascii')
   tester:eq(#ascii, 3)
   tester:eq(ascii[2], nil)
end

function tests.containers_travel_to_thread_pools_as_copies()
   local threads = require 'threads'
   local h = tds.Hash()
   h.words = tds.Vec('a', 'bb', 'ccc')
   local pool = threads.Threads(1, function() require 'tds' end)
   local got
   pool:addjob(function()
      local lengths = tds.Vec()
      for _, word in ipairs(h.words) do lengths:insert(#word) end
      h.words = nil
      return lengths, #h
   end, function(lengths, size) got = {lengths, size} end)
   pool:synchronize()
   pool:terminate()
   tester:eq(torch.type(got[1]), 'tds.Vec')
   tester:eq(got[1]:concat(','), '1,2,3')
   tester:eq(got[2], 0)
   tester:eq(#h, 1)      -- the worker changed its own copy
end

function tests.atomic_counter_is_shared_with_workers_in_shared_mode()
   local threads = require 'threads'
   local counter = tds.AtomicCounter()
   for _, serialization in ipairs{'threads.sharedserialize', 'threads.serialize'} do
      threads.Threads.serialization(serialization)
      counter:set(0)
      local pool = threads.Threads(2)
      for _ = 1, 4 do
         pool:addjob(function() for _ = 1, 1000 do counter:inc() end end)
      end
      pool:synchronize()
      pool:terminate()
      -- shared: the workers' increments reach this counter; copied: they do not
      tester:eq(counter:get(), serialization == 'threads.sharedserialize' and 4000 or 0)
   end
end

function tests.tensors_in_containers_are_shared_in_shared_mode()
   local threads = require 'threads'
   threads.Threads.serialization('threads.sharedserialize')
   local h, v = tds.Hash(), tds.Vec()
   h.x = torch.ones(3)
   v[2] = torch.ones(2)
   local pool = threads.Threads(1)
   pool:addjob(function()
      h.x:add(1)
      v[2]:mul(5)
      return #v, v[1] == nil
   end, function(size, hole) tester:eq(size, 2) tester:eq(hole, true) end)
   pool:synchronize()
   pool:terminate()
   threads.Threads.serialization('threads.serialize')
   tester:eq(h.x:sum(), 6)
   tester:eq(v[2]:sum(), 10)
end

tester:add(tests)
tester:run()
