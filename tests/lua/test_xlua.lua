-- The xlua package: time formatting, table text, named arguments, option parsing and the
-- additions to table and string, as the original documents and formats them.

require 'torch'
require 'xlua'

local tester = torch.Tester()
local tests = torch.TestSuite()

function tests.formatTime_shows_the_two_largest_units()
   tester:eq(xlua.formatTime(0), '0ms')
   tester:eq(xlua.formatTime(0.0123), '12ms')
   tester:eq(xlua.formatTime(3.2), '3s200ms')
   tester:eq(xlua.formatTime(65.5), '1m5s')
   tester:eq(xlua.formatTime(3725.5), '1h2m')
   tester:eq(xlua.formatTime(90061), '1D1h')
   tester:eq(xlua.formatTime(86400 + 61), '1D1m')
end

function tests.table2string_is_lua_like()
   tester:eq(xlua.table2string({1, 'x', true}), '{1,"x",true}')
   tester:eq(xlua.table2string({k = 2}), '{k=2}')
   tester:eq(xlua.table2string({['a b'] = 1}), '{["a b"]=1}')
   tester:eq(xlua.table2string({'say "hi"'}), "{'say \"hi\"'}")
   tester:eq(xlua.table2string({{1}, k = {2}}, true), '{\n   {1}\n   k : {2}\n}')
end

local function unpack_demo(...)
   return xlua.unpack({...}, 'demo', 'a demonstration',
      {arg = 'size', type = 'number', help = 'a size', req = true},
      {arg = 'scale', type = 'number', help = 'a factor', default = 2},
      {arg = 'copy', type = 'number', help = 'defaults to size', defaulta = 'size'})
end

function tests.unpack_takes_positions_or_names_and_fills_defaults()
   local args, size, scale, copy = unpack_demo(5)
   tester:eq({size, scale, copy}, {5, 2, 5})
   tester:eq(args.size, 5)
   args, size, scale, copy = unpack_demo({size = 3, scale = 7})
   tester:eq({size, scale, copy}, {3, 7, 3})
   tester:assert(tostring(args.usage):find('a demonstration', 1, true) ~= nil)
end

function tests.unpack_fails_on_a_missing_required_argument()
   local print_ = print
   print = function() end          -- the usage it prints is not under test here
   local ok, err = pcall(unpack_demo, {scale = 1})
   print = print_
   tester:assert(not ok)
   tester:assert(err:find('error', 1, true) ~= nil)
end

function tests.usage_lists_arguments_aligned()
   local text = xlua.usage('f', 'does f', nil,
      {type = 'number', help = 'first', req = true}, {type = 'string', help = 'second'})
   tester:assert(text:find('    number' .. string.rep(' ', 30) .. '-- first', 1, true) ~= nil)
   tester:assert(text:find('    [string]' .. string.rep(' ', 28) .. '-- second', 1, true) ~= nil)
end

function tests.option_parser_reads_arg()
   local saved = arg
   arg = {[0] = 'prog.lua', '-n', '4', '--name=bob', '-v', 'rest'}
   local op = xlua.OptionParser('%prog [options] file')
   op:option{'-n', '--count', action = 'store', dest = 'count', help = 'how many'}
   op:option{'--name', action = 'store', dest = 'name', help = 'who'}
   op:option{'-v', action = 'store_true', dest = 'verbose', help = 'talk'}
   op:option{'-q', action = 'store_false', dest = 'quiet', help = 'hush', default = 1}
   local options, rest = op:parse()
   arg = saved
   tester:eq(options.count, '4')
   tester:eq(options.name, 'bob')
   tester:eq(options.verbose, true)
   tester:eq(options.quiet, 1)
   tester:eq(rest, {'rest'})
   tester:eq(op:flags(op.option_descriptions[2]), '-n COUNT, --count=COUNT')
end

function tests.envparams_converts_to_the_defaults_types()
   local params = xlua.envparams({HOME = 'x', TORCH7_COMPAT_UNSET_VARIABLE = 3})
   tester:eq(params.HOME, os.getenv('HOME'))
   tester:eq(params.TORCH7_COMPAT_UNSET_VARIABLE, 3)
end

function tests.table_and_string_additions()
   local kept, removed = table.splice({1, 2, 3, 4}, 2, 2)
   tester:eq(kept, {1, 4})
   tester:eq(removed, {2, 3})
   local pruned = table.prune({1, 2, 2, 3, 1})
   table.sort(pruned)
   tester:eq(pruned, {1, 2, 3})
   tester:eq(string.split('a b  c', ' +'), {'a', 'b', 'c'})
   tester:eq(string.tosymbol('xlua.formatTime'), xlua.formatTime)
   tester:assertError(function() string.tosymbol('no_such_global_xyz') end)
end

function tests.require_reports_instead_of_failing()
   local print_ = print
   local printed = {}
   print = function(...) printed[#printed + 1] = table.concat({...}, ' ') end
   local result = xlua.require('no_such_package_xyz')
   print = print_
   tester:eq(result, false)
   tester:assert(printed[#printed]:find('<no_such_package_xyz> could not be loaded', 1, true)
      ~= nil)
   tester:eq(xlua.require('sys'), require('sys'))
end

function tests.print_of_a_table_is_key_value_lines()
   local written = {}
   local write = io.write
   io.write = function(...)
      for i = 1, select('#', ...) do written[#written + 1] = tostring((select(i, ...))) end
   end
   xlua.print({only = 'one'})
   io.write = write
   tester:eq(table.concat(written), '{[only] = one}\n')
end

function tests.profiler_reports_real_and_cpu_time()
   local p = xlua.Profiler()
   p:start('work', 'fps')
   sys.sleep(0.05)
   local real, cpu = p:lap('work')
   tester:assertge(real, 0.045)
   tester:assertle(cpu, real + 0.05)
   local report = p:formatAll()
   local expected = '^%$ profiler report:\n%$ real %d+%.%d+ | cpu %d+%.%d+ <work> = %d+%.%d+ fps$'
   tester:assert(report:find(expected) ~= nil, report)
   tester:assertErrorPattern(function() p:lap('nothing') end, 'no such profiler')
end

tester:add(tests)
tester:run()
