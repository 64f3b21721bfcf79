-- torch.Tester and torch.TestSuite. Most checks run a second, inner Tester on small suites
-- with its output collected, so that failing assertions, errors and the report can be seen
-- failing, not only passing.

require 'torch'

local tester = torch.Tester()
local tests = torch.TestSuite()

-- Runs f with io.write collected. Returns the text written, then pcall's results.
local function quietly(f)
   local written = {}
   local saved_write = io.write
   io.write = function(...)
      for i = 1, select('#', ...) do written[#written + 1] = tostring((select(i, ...))) end
   end
   local ok, err = pcall(f)
   io.write = saved_write
   return table.concat(written), ok, err
end

-- Runs assertion(t) as the only test of a fresh Tester t. Returns what the assertion
-- returned, how many assertions failed and passed, and the failure report's text.
local function probe(assertion)
   local inner = torch.Tester()
   local returned
   inner:add(function() returned = assertion(inner) end, 'probe')
   quietly(function() inner:run() end)
   return returned, inner.assertionFail.probe, inner.assertionPass.probe,
      table.concat(inner.errors, '\n')
end

-- Checks that `assertion` passes.
local function passes(assertion, what)
   local returned, failed, passed = probe(assertion)
   tester:eq(returned, true, what)
   tester:eq({failed, passed}, {0, 1}, what)
end

-- Checks that `assertion` fails, reporting a text that contains `expected_report`.
local function fails(assertion, expected_report, what)
   local returned, failed, passed, report = probe(assertion)
   tester:eq(returned, false, what)
   tester:eq({failed, passed}, {1, 0}, what)
   tester:assert(report:find(expected_report, 1, true) ~= nil,
      (what or '') .. ': expected "' .. expected_report .. '" in:\n' .. report)
end

local function failing_suite()
   local suite = torch.TestSuite()
   local inner
   function suite.passes() inner:eq(1, 1) end
   function suite.fails() inner:eq(1, 2) end
   function suite.raises() error('boom') end
   function suite.skipped() inner:eq(1, 2) end
   inner = torch.Tester():add(suite):disable('skipped')
   return inner
end

-------------------------------------------------------------------------------------------
-- runs and their report

function tests.a_failing_run_reports_each_outcome_and_raises()
   local inner = failing_suite()
   local output, ok, err = quietly(function() return inner:run() end)
   tester:eq(ok, false, 'run raises when a test failed')
   tester:assert(tostring(err):find('An error was found while running tests!', 1, true) ~= nil)
   tester:eq(output:find('Running 4 tests\n', 1, true), 1)
   tester:assert(output:find('passes %.+ %[PASS%]\n') ~= nil, 'PASS line')
   tester:assert(output:find('fails %.+ %[FAIL%]\n') ~= nil, 'FAIL line')
   tester:assert(output:find('raises %.+ %[ERROR%]\n') ~= nil, 'ERROR line')
   tester:assert(output:find('skipped %.+ %[SKIP%]\n') ~= nil, 'SKIP line')
   tester:assert(output:find(
      'Completed 2 asserts in 4 tests with 1 failure and 1 error and 1 disabled\n', 1, true)
      ~= nil, 'summary')
   tester:assert(output:find('fails\nEQ failed: 1 ~= 2\n', 1, true) ~= nil, 'the failure')
   tester:assert(output:find('raises\n Function call failed\n', 1, true) ~= nil, 'the error')
   tester:assert(output:find('boom', 1, true) ~= nil, 'the error message')
   tester:assert(output:find(string.rep('-', 80) .. '\n', 1, true) ~= nil, 'sections')
   tester:eq(inner.countasserts, 2)
   tester:eq(inner.assertionFail.fails, 1)
   tester:eq(inner.testError.raises, 1)
end

function tests.a_failed_assertion_alone_fails_the_run()
   local inner = torch.Tester()
   inner:add(function() inner:asserteq(1, 2) end, 'only_fails')
   local output, ok = quietly(function() return inner:run() end)
   tester:eq(ok, false)
   tester:assert(output:find('with 1 failure and 0 errors', 1, true) ~= nil, output)
end

function tests.a_passing_run_returns_true()
   local inner = torch.Tester()
   inner:add(function() inner:assert(true) end, 'fine')
   local output, ok, result = quietly(function() return inner:run() end)
   tester:eq({ok, result}, {true, true})
   tester:assert(output:find('Completed 1 assert in 1 test with 0 failures and 0 errors\n',
      1, true) ~= nil, output)
end

-- The original's layout: "1/3 name ..... [PASS]" fills 80 columns, after a [WAIT] that a
-- carriage return lets it overwrite.
function tests.progress_lines_fill_80_columns()
   local inner = torch.Tester()
   inner:add(function() end, 'some_test')
   local output = quietly(function() inner:run() end)
   local waiting, final = output:match('\n([^\n]*%[WAIT%])\r([^\n]*%[PASS%])\n')
   tester:eq(#final, 80)
   tester:eq(final:sub(1, 14), '1/1 some_test ')
   tester:eq(waiting:sub(1, 74), final:sub(1, 74))
end

function tests.the_report_points_at_the_failing_line()
   local inner = torch.Tester()
   local line
   inner:add(function()
      line = debug.getinfo(1, 'l').currentline + 1
      inner:eq(1, 2)
   end, 'located')
   quietly(function() inner:run() end)
   tester:assert(inner.errors[1]:find('test_tester.lua:' .. line .. ':', 1, true) ~= nil,
      inner.errors[1])
end

function tests.run_selects_tests_by_pattern()
   local inner = torch.Tester()
   local called = {}
   for _, name in ipairs({'alpha', 'beta', 'gamma'}) do
      inner:add(function() called[#called + 1] = name end, name)
   end
   quietly(function() inner:run('^a') end)
   tester:eq(called, {'alpha'})
   called = {}
   quietly(function() inner:run({'beta', 'gamma'}) end)
   table.sort(called)
   tester:eq(called, {'beta', 'gamma'})
   local _, ok, err = quietly(function() inner:run('zzz') end)
   tester:eq(ok, false)
   tester:assert(err:find("Couldn't find test 'zzz'", 1, true) ~= nil)
end

function tests.setEarlyAbort_stops_at_the_first_failure()
   for _, abort in ipairs({false, true}) do
      local inner = torch.Tester()
      local calls = 0
      local function failing()
         calls = calls + 1
         inner:assert(false)
      end
      inner:add(failing, 'first'):add(failing, 'second')
      inner:setEarlyAbort(abort)
      local output = quietly(function() inner:run() end)
      tester:eq(calls, abort and 1 or 2)
      tester:eq(output:find('Aborting on first error', 1, true) ~= nil, abort)
   end
end

function tests.setRethrowErrors_lets_errors_through()
   local inner = torch.Tester()
   inner:setRethrowErrors(true)
   inner:add(function() error('thrown through') end, 'raises')
   local _, ok, err = quietly(function() inner:run() end)
   tester:eq(ok, false)
   tester:assert(err:find('thrown through', 1, true) ~= nil)

   local asserting = torch.Tester()
   asserting:setRethrowErrors(true)
   asserting:add(function() asserting:eq(1, 2, 'as an error') end, 'fails')
   _, ok, err = quietly(function() asserting:run() end)
   tester:eq(ok, false)
   tester:assert(err:find('as an error', 1, true) ~= nil)
end

function tests.setSummaryOnly_leaves_out_the_details()
   local inner = failing_suite()
   inner:setSummaryOnly(true)
   local output = quietly(function() inner:run() end)
   tester:assert(output:find('Completed 2 asserts', 1, true) ~= nil)
   tester:eq(output:find('EQ failed', 1, true), nil)
   tester:eq(output:find('-----', 1, true), nil)
end

function tests.setUp_and_tearDown_surround_each_test()
   local inner = torch.Tester()
   local events = {}
   local suite = torch.TestSuite()
   function suite._setUp(name) events[#events + 1] = 'up ' .. name end
   function suite._tearDown(name) events[#events + 1] = 'down ' .. name end
   function suite.only() events[#events + 1] = 'test' end
   inner:add(suite)
   quietly(function() inner:run() end)
   tester:eq(events, {'up only', 'test', 'down only'})
   tester:eq(inner.tests._setUp, nil, 'they are not tests')
   tester:assertErrorPattern(function() inner:add(function() end, '_setUp') end,
      'Only one set%-up function allowed')
end

function tests.add_checks_names_and_types()
   local inner = torch.Tester()
   tester:eq(inner:add(function() end, 'x'), inner, 'add returns the tester')
   tester:assertErrorPattern(function() inner:add(function() end, 'x') end,
      'Test with name x already exists!')
   tester:assertErrorPattern(function() inner:add({{function() end}}) end,
      'Nested sets of tests are not supported')
   tester:assertErrorPattern(function() inner:add(42) end,
      'Only tables of functions and functions supported')
   tester:assertErrorPattern(function() inner:add({}, 'name') end,
      'Name parameter is forbidden for a table of tests')
end

function tests.a_plain_table_of_tests_gets_a_warning()
   local inner = torch.Tester()
   inner:add({check = function() inner:assert(true) end})
   local output = quietly(function() inner:run() end)
   tester:assert(output:find('Should use TestSuite rather than plain lua table', 1, true)
      ~= nil)
   tester:assert(output:find('and 1 warning', 1, true) ~= nil)
end

function tests.TestSuite_refuses_duplicates_and_non_functions()
   local suite = torch.TestSuite()
   function suite.once() end
   tester:assertErrorPattern(function() suite.once = function() end end,
      'Test once is already defined.')
   tester:assertErrorPattern(function() suite.table = {} end,
      'Nested tables of tests are not supported')
   tester:assertErrorPattern(function() suite.number = 1 end,
      'Only functions are supported as members of a TestSuite')
   tester:eq(type(suite.once), 'function')
end

-------------------------------------------------------------------------------------------
-- assertions

function tests.assert_wants_true()
   passes(function(t) return t:assert(true) end)
   fails(function(t) return t:assert(false, 'why') end, 'why\nBOOL violation condition=false')
   fails(function(t) return t:assert(nil) end, 'BOOL violation condition=nil')
end

function tests.order_comparisons()
   passes(function(t) return t:assertlt(1, 2) end)
   fails(function(t) return t:assertlt(2, 2) end, 'LT failed: 2 >= 2')
   passes(function(t) return t:assertgt(3, 2) end)
   fails(function(t) return t:assertgt(2, 2) end, 'GT failed: 2 <= 2')
   passes(function(t) return t:assertle(2, 2) end)
   fails(function(t) return t:assertle(3, 2) end, 'LE failed: 3 > 2')
   passes(function(t) return t:assertge(2, 2) end)
   fails(function(t) return t:assertge(1, 2) end, 'GE failed: 1 < 2')
end

function tests.plain_equality()
   passes(function(t) return t:asserteq('a', 'a') end)
   fails(function(t) return t:asserteq(1, 2, 'msg') end, 'msg\nEQ failed: 1 ~= 2')
   passes(function(t) return t:assertne(1, 2) end)
   fails(function(t) return t:assertne(1, 1) end, 'NE failed: 1 == 1')
end

function tests.assertalmosteq_uses_a_tolerance()
   passes(function(t) return t:assertalmosteq(1, 1) end)
   fails(function(t) return t:assertalmosteq(1, 1 + 1e-10) end, 'ALMOST_EQ failed: 1 ~= ')
   passes(function(t) return t:assertalmosteq(1, 1 + 1e-10, 1e-9) end)
   passes(function(t) return t:assertalmosteq(1, 1.5, 'message first', 0.5) end)
end

function tests.eq_compares_deeply()
   passes(function(t) return t:eq({1, {a = 'x'}}, {1, {a = 'x'}}) end)
   fails(function(t) return t:eq(1, 2) end, 'EQ failed: 1 ~= 2')
   fails(function(t) return t:eq(1, 2, 0.5) end, 'EQ failed: 1 ~= 2 with tolerance=0.5')
   passes(function(t) return t:eq(1, 1.25, 0.5) end)
   fails(function(t) return t:eq(1, '1') end,
      'EQ failed: values have different types (first: number, second: string)')
   fails(function(t) return t:eq('a', 'b') end, 'EQ failed: a (string) ~= b (string)')
   fails(function(t) return t:eq({a = {x = 1}}, {a = {x = 2}}) end,
      'At table location a.x: EQ failed: 1 ~= 2')
   fails(function(t) return t:eq({a = 1, b = 2}, {a = 1}) end,
      'Entry b missing in second table (is 2 in first)')
   fails(function(t) return t:eq({a = 1}, {a = 1, c = 3}) end,
      'Entry c missing in first table (is 3 in second)')
   passes(function(t) return t:ne({1}, {2}) end)
   fails(function(t) return t:ne(1, 1) end, 'NE failed: 1 == 1')
end

function tests.eq_compares_tensors_and_storages_by_contents()
   passes(function(t) return t:eq(torch.Tensor{1, 2}, torch.Tensor{1, 2}) end)
   passes(function(t) return t:eq({torch.Tensor{1}}, {torch.Tensor{1 + 1e-10}}, 1e-9) end)
   fails(function(t) return t:eq(torch.Tensor{1, 2, 3}, torch.Tensor{1, 2, 4}, 'a and b') end,
      'a and b\nTensorEQ(==) violation: max diff=1, tolerance=0')
   fails(function(t) return t:eq(torch.Tensor{{1}}, torch.Tensor{1}) end,
      'The tensors have different dimensions')
   fails(function(t) return t:eq(torch.Tensor{1}, 1) end,
      'values have different types (first: userdata, second: number)')
   passes(function(t) return t:eq(torch.Storage{1, 2}, torch.Storage{1, 2}) end)
   fails(function(t) return t:eq(torch.Storage{1}, torch.Storage{1, 2}) end,
      'The storages have different sizes')
   fails(function(t) return t:eq(torch.FloatStorage{1}, torch.LongStorage{1}) end,
      'The storages have different types')
   fails(function(t) return t:eq(torch.Storage{1}, torch.Storage{3}) end,
      'StorageEQ(==) violation: max diff=2')
end

function tests.assertTensorEq_and_Ne()
   passes(function(t) return t:assertTensorEq(torch.ones(2), torch.ones(2)) end)
   fails(function(t) return t:assertTensorEq(torch.ones(2), torch.ones(2):float()) end,
      'The tensors have different types')
   fails(function(t) return t:assertTensorEq(torch.ones(2), torch.ones(3)) end,
      'The tensors have different sizes')
   -- small types are compared as doubles: 1 - 2 is not 255 here
   fails(function(t) return t:assertTensorEq(torch.ByteTensor{1}, torch.ByteTensor{2}) end,
      'max diff=1,')
   passes(function(t) return t:assertTensorNe(torch.ones(2), torch.zeros(2)) end)
   fails(function(t) return t:assertTensorNe(torch.ones(2), torch.ones(2)) end,
      'TensorNE(==) violation: max diff=0, tolerance=0')
   passes(function(t) return t:assertTensorEq(torch.Tensor(), torch.Tensor()) end)
   tester:assertErrorPattern(function() torch.Tester():assertTensorEq(torch.ones(1), 2) end,
      'Second argument should be a Tensor')
end

-- Kept from the original for old scripts: {{1}} and {1} are equal to assertTensorEq (with a
-- warning), though not to eq.
function tests.assertTensorEq_ignores_dimensions_with_a_warning()
   local inner = torch.Tester()
   inner:add(function() inner:assertTensorEq(torch.Tensor{{1}}, torch.Tensor{1}) end, 'dims')
   local output, ok = quietly(function() inner:run() end)
   tester:eq(ok, true)
   tester:assert(output:find('but different dimensions', 1, true) ~= nil)
   tester:assert(output:find('[+warning]', 1, true) ~= nil)
end

function tests.assertTableEq_and_Ne()
   passes(function(t) return t:assertTableEq({1, 2, {3}}, {1, 2, {3}}) end)
   fails(function(t) return t:assertTableEq({1, 2}, {2, 1}) end, 'At table location 1')
   passes(function(t) return t:assertTableNe({1, 2}, {1, 2, 3}) end)
   fails(function(t) return t:assertTableNe({1}, {1}) end, 'The tables are equal')
   tester:assertErrorPattern(function() torch.Tester():assertTableEq(1, {}) end,
      'First argument should be a Table')
end

function tests.error_assertions()
   local function raises() error('plain message', 0) end
   local function returns() end
   passes(function(t) return t:assertError(raises) end)
   fails(function(t) return t:assertError(returns, 'needs an error') end,
      'needs an error\nERROR violation: err=nil')
   passes(function(t) return t:assertErrorMsg(raises, 'plain message') end)
   fails(function(t) return t:assertErrorMsg(raises, 'plain') end,
      'ERROR violation: err=plain message')
   passes(function(t) return t:assertErrorPattern(raises, 'in m') end)
   fails(function(t) return t:assertErrorPattern(raises, '^message') end, 'ERROR violation')
   local object = {code = 7}
   passes(function(t)
      return t:assertErrorObj(function() error(object) end, function(e) return e.code == 7 end)
   end)
   passes(function(t) return t:assertNoError(returns) end)
   fails(function(t) return t:assertNoError(raises) end, 'ERROR violation: err=plain message')
end

function tests.tolerance_and_message_in_either_order()
   passes(function(t) return t:eq(1, 1.1, 0.2, 'msg') end)
   passes(function(t) return t:eq(1, 1.1, 'msg', 0.2) end)
   fails(function(t) return t:eq(1, 2, 'first', 0.5) end, 'first\nEQ failed')
   tester:assertErrorPattern(function() torch.Tester():eq(1, 1, 'a', 'b') end,
      'already have message')
   tester:assertErrorPattern(function() torch.Tester():eq(1, 1, 1, 2) end,
      'already have tolerance')
   tester:assertErrorPattern(function() torch.Tester():eq(1, 1, -1) end,
      'tolerance cannot be negative')
end

function tests.extra_arguments_are_an_error_in_the_test()
   local inner = torch.Tester()
   inner:add(function() inner:assert(true, 'message', 'extra') end, 'extra')
   local output, ok = quietly(function() inner:run() end)
   tester:eq(ok, false)
   tester:eq(inner.testError.extra, 1)
   tester:assert(output:find('Unexpected arguments passed to test function', 1, true) ~= nil)
end

-------------------------------------------------------------------------------------------
-- exiting the process on failure (TORCH7_COMPAT_TEST_EXIT=1)

-- Runs `inner` with os.exit recorded and the environment variable set to `setting`.
-- Returns the exit status asked for (nil if none) and whether run() returned and what.
local function run_under_exit_setting(inner, setting)
   local saved_exit, saved_getenv = os.exit, os.getenv
   local outcome = {}
   local exit_signal = {}
   os.exit = function(status)
      outcome.exit_status = status
      error(exit_signal, 0)
   end
   os.getenv = function(name)
      if name == 'TORCH7_COMPAT_TEST_EXIT' then return setting end
      return saved_getenv(name)
   end
   local _
   _, outcome.returned, outcome.result = quietly(function() return inner:run() end)
   os.exit, os.getenv = saved_exit, saved_getenv
   return outcome
end

-- A run that is not inside another run decides the process's fate: these happen here,
-- before the main run starts, and the tests below check what they did.
local top_level = {
   failing_with_exit = run_under_exit_setting(failing_suite(), '1'),
   failing_without_exit = run_under_exit_setting(failing_suite(), nil),
   passing_with_exit = run_under_exit_setting(torch.Tester():add(function() end, 'ok'), '1'),
}

local function raised_test_failure(outcome)
   return not outcome.returned
      and tostring(outcome.result):find('An error was found while running tests!', 1, true)
      ~= nil
end

function tests.a_failing_top_level_run_exits_with_1_when_asked()
   tester:eq(top_level.failing_with_exit.exit_status, 1)
end

function tests.without_the_setting_a_failing_run_raises()
   tester:eq(top_level.failing_without_exit.exit_status, nil)
   tester:assert(raised_test_failure(top_level.failing_without_exit))
end

function tests.a_passing_run_never_exits()
   local outcome = top_level.passing_with_exit
   tester:eq(outcome.exit_status, nil)
   tester:eq({outcome.returned, outcome.result}, {true, true})
end

function tests.a_run_inside_a_test_raises_instead_of_exiting()
   local outcome = run_under_exit_setting(failing_suite(), '1')
   tester:eq(outcome.exit_status, nil)
   tester:assert(raised_test_failure(outcome))
end

tester:add(tests)
tester:run()
