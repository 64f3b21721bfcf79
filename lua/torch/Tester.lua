-- torch.Tester: Torch7's unit-test runner. Tests are functions added one by one or as a
-- table (a torch.TestSuite); run() calls them, counts each assertion's success or failure,
-- prints a progress line per test and a report of every failure with where it happened.
--
-- Assertions take an optional tolerance and an optional message, in either order. They
-- return whether they passed; a failure is recorded, not raised (unless
-- setRethrowErrors(true)). The messages and the printed layout are the original's, since
-- scripts and people read them.
--
-- run() ends as the original's did: with an error ('An error was found while running
-- tests!') when a test failed or raised, so that `th test.lua` exits non-zero, and true
-- when all passed. In addition, with the environment variable TORCH7_COMPAT_TEST_EXIT=1 a
-- failed run exits the process with status 1 right after its report: the pytest collector
-- of tests/lua runs each file as `th file.lua` under that setting and reads the exit status,
-- which then holds even when a script catches run()'s error. A run started from inside
-- another run's test never exits (it is a test of the Tester itself); it raises.

require 'torch.TestSuite'

local Tester = torch.class('torch.Tester')

local NCOLS = 80

-- Colours only when run from a command line (the global arg exists) and sys is installed;
-- decided at the first run, since th sets arg after loading torch. Without them every
-- colour is nil and text stays plain.
local colours
local function choose_colours()
   local has_colours, sys_colours = pcall(require, 'sys.colors')
   if rawget(_G, 'arg') and has_colours then return sys_colours end
   return {}
end

local function coloured(text, colour)
   if colour then return colour .. text .. colours.none end
   return text
end

-- Runs in progress, all Testers together (see the header).
local runs_in_progress = 0

-- The original's tensors and storages were userdata; its messages and checks say so.
local function original_type(value)
   if type(value) == 'cdata' and torch.typename(value) then return 'userdata' end
   return type(value)
end

local function pluralize(count, noun)
   local text = count .. ' ' .. noun
   if count == 1 then return text end
   return text .. 's'
end

function Tester:__init()
   self.errors = {}
   self.tests = {}
   self.warnings = {}
   self._warningCount = {}
   self.disabledTests = {}
   self._currentTestName = ''
   -- Older scripts compare tensors of equal contents but different shapes ({{1}} and {1})
   -- with assertTensorEq and expect equality: kept, with a warning. eq is always strict.
   self._assertTensorEqIgnoresDims = true
end

-- Stop at the first test that fails or raises.
function Tester:setEarlyAbort(earlyAbort)
   self.earlyAbort = earlyAbort
end

-- Let errors (and failed assertions) propagate instead of recording them.
function Tester:setRethrowErrors(rethrow)
   self.rethrow = rethrow
end

-- Report only the counts, not each failure's text.
function Tester:setSummaryOnly(summaryOnly)
   self.summaryOnly = summaryOnly
end

-------------------------------------------------------------------------------------------
-- recording outcomes

function Tester:_success()
   local name = self._currentTestName
   self.assertionPass[name] = self.assertionPass[name] + 1
   return true
end

-- The two traceback lines just above the test runner's xpcall: the assertion's line in the
-- test and the test function (the assertion helpers are tail calls, so they leave no
-- frame). Outside a run there is no such line and no location.
local function test_location(trace)
   local lines = {}
   for line in trace:gmatch('[^\n]+') do lines[#lines + 1] = line end
   for i = 4, #lines do
      if lines[i]:find('xpcall', 2, true) then
         return lines[i - 2] .. '\n' .. lines[i - 1]
      end
   end
   return ''
end

-- Called by _failure and _warning only: level 3 is the code that called the assertion.
function Tester:_addDebugInfo(message)
   local location = test_location(debug.traceback('tester', 3))
   local name = self._currentTestName
   return (name ~= '' and name .. '\n' or '') .. message .. '\n' .. location
end

function Tester:_failure(message)
   if self.rethrow then error(message, 2) end
   local name = self._currentTestName
   self.assertionFail[name] = self.assertionFail[name] + 1
   self.errors[#self.errors + 1] = self:_addDebugInfo(message)
   return false
end

function Tester:_warning(message)
   local name = self._currentTestName
   self._warningCount[name] = (self._warningCount[name] or 0) + 1
   self.warnings[#self.warnings + 1] = self:_addDebugInfo(message)
end

function Tester:_assert_sub(condition, message)
   if condition then
      return self:_success()
   end
   return self:_failure(message)
end

-------------------------------------------------------------------------------------------
-- optional arguments of the assertions

-- The message of an assertion that takes no tolerance, followed by a newline when given.
local function message_only(message, ...)
   assert(next({...}) == nil, 'Unexpected arguments passed to test function')
   if message == nil then return '' end
   assert(type(message) == 'string', 'message parameter must be a string')
   if message == '' then return '' end
   return message .. '\n'
end

-- (tolerance, message) from up to one number and one string given in any order.
local function tolerance_and_message(default_tolerance, ...)
   local tolerance, message
   for i = 1, select('#', ...) do
      local value = select(i, ...)
      if type(value) == 'string' then
         if message then error('Unexpected string argument; already have message', 3) end
         message = value .. '\n'
      elseif type(value) == 'number' then
         if tolerance then error('Unexpected number argument; already have tolerance', 3) end
         assert(value >= 0, 'tolerance cannot be negative')
         tolerance = value
      elseif value ~= nil then
         error('Unrecognized argument; should be a tolerance or message', 3)
      end
   end
   return tolerance or default_tolerance, message or ''
end

-------------------------------------------------------------------------------------------
-- comparing values: each answers (equal, or unequal when negated; failure message)

local compare

-- The original had abs for these types only, and compared the others as doubles (which
-- also keeps a Byte difference from wrapping around).
local HAS_ABS = {['torch.IntTensor'] = true, ['torch.LongTensor'] = true,
                 ['torch.FloatTensor'] = true, ['torch.DoubleTensor'] = true}

-- Tensors of one type and element count: the largest absolute difference decides.
local function compare_contents(a, b, tolerance, negate, of_storages)
   if not HAS_ABS[a:type()] then a, b = a:double(), b:double() end
   local difference = a:clone():add(-1, b):abs():max()
   local success = difference <= tolerance
   if negate then success = not success end
   if success then return true end
   return false, string.format('%s%s violation: max diff=%s, tolerance=%s',
      of_storages and 'Storage' or 'Tensor', negate and 'NE(==)' or 'EQ(==)',
      tostring(difference), tostring(tolerance))
end

local function compare_tensors(a, b, tolerance, negate, ignore_dims)
   if not ignore_dims and a:dim() ~= b:dim() then
      return negate, 'The tensors have different dimensions'
   end
   if a:type() ~= b:type() then
      return negate, 'The tensors have different types'
   end
   if a:dim() == 0 and b:dim() == 0 then
      return not negate, 'Both tensors are empty'
   end
   local same_size
   if ignore_dims then
      same_size = a:nElement() == b:nElement()
   else
      same_size = a:isSameSizeAs(b)
   end
   if not same_size then
      return negate, 'The tensors have different sizes'
   end
   return compare_contents(a, b, tolerance, negate, false)
end

local function compare_storages(a, b, tolerance, negate)
   if a:size() ~= b:size() then
      return negate, 'The storages have different sizes'
   end
   local kind = torch.type(a)
   if kind ~= torch.type(b) then
      return negate, 'The storages have different types'
   end
   local as_tensor = torch[kind:match('^torch%.(%a+)Storage$') .. 'Tensor']
   return compare_contents(as_tensor(a), as_tensor(b), tolerance, negate, true)
end

-- Breadth first, so that of two deep structures (an nngraph, say) the difference reported
-- is the shallowest one. Keys must match both ways; values compare as in `compare`.
local function compare_tables(first, second, tolerance, negate)
   local queue, head = {{first, second}}, 1
   while queue[head] do
      local a, b, location = unpack(queue[head])
      head = head + 1
      local function where(key)
         return location and location .. '.' .. tostring(key) or tostring(key)
      end
      for key, value in pairs(a) do
         local other = b[key]
         if other == nil then
            return negate, string.format('Entry %s missing in second table (is %s in first)',
               where(key), tostring(value))
         end
         if type(value) == 'table' and type(other) == 'table' then
            queue[#queue + 1] = {value, other, where(key)}
         else
            local equal, message = compare(value, other, tolerance, false)
            if not equal then
               return negate, 'At table location ' .. where(key) .. ': ' .. message
            end
         end
      end
      for key, value in pairs(b) do
         if a[key] == nil then
            return negate, string.format('Entry %s missing in first table (is %s in second)',
               where(key), tostring(value))
         end
      end
   end
   return not negate, 'The tables are equal'
end

-- Deep comparison: types must match; numbers within the tolerance; tables recursively;
-- tensors and storages by contents; anything else with ==.
function compare(got, expected, tolerance, negate)
   local kind = original_type(got)
   if kind ~= original_type(expected) then
      if negate then return true end
      return false, 'EQ failed: values have different types (first: ' .. kind
         .. ', second: ' .. original_type(expected) .. ')'
   end
   if kind == 'number' then
      local equal = math.abs(got - expected) <= tolerance
      if equal ~= negate then return true end
      local message = string.format(negate and 'NE failed: %s == %s' or 'EQ failed: %s ~= %s',
         tostring(got), tostring(expected))
      if tolerance > 0 then message = message .. ' with tolerance=' .. tostring(tolerance) end
      return false, message
   end
   if kind == 'table' then
      return compare_tables(got, expected, tolerance, negate)
   end
   if torch.isTensor(got) then
      return compare_tensors(got, expected, tolerance, negate)
   end
   if torch.isStorage(got) then
      return compare_storages(got, expected, tolerance, negate)
   end
   if (got == expected) ~= negate then return true end
   return false, string.format(
      negate and 'NE failed: %s (%s) == %s (%s)' or 'EQ failed: %s (%s) ~= %s (%s)',
      tostring(got), original_type(got), tostring(expected), original_type(expected))
end

-------------------------------------------------------------------------------------------
-- assertions

function Tester:assert(condition, ...)
   local message = message_only(...)
   if type(condition) ~= 'boolean' then
      self:_warning(' :assert should only be used for boolean conditions. '
         .. 'To check for non-nil variables, do this explicitly: Tester:assert(var ~= nil).')
   end
   return self:_assert_sub(condition,
      string.format('%sBOOL violation condition=%s', message, tostring(condition)))
end

function Tester:_eqOrNeq(got, expected, negate, ...)
   local tolerance, message = tolerance_and_message(0, ...)
   local success, detail = compare(got, expected, tolerance, negate)
   return self:_assert_sub(success, message .. (detail or ''))
end

function Tester:assertGeneralEq(got, expected, ...)
   return self:_eqOrNeq(got, expected, false, ...)
end

function Tester:assertGeneralNe(got, unexpected, ...)
   return self:_eqOrNeq(got, unexpected, true, ...)
end

function Tester:eq(got, expected, ...)
   return self:assertGeneralEq(got, expected, ...)
end

function Tester:ne(got, unexpected, ...)
   return self:assertGeneralNe(got, unexpected, ...)
end

function Tester:assertlt(a, b, ...)
   local message = message_only(...)
   return self:_assert_sub(a < b,
      string.format('%sLT failed: %s >= %s', message, tostring(a), tostring(b)))
end

function Tester:assertgt(a, b, ...)
   local message = message_only(...)
   return self:_assert_sub(a > b,
      string.format('%sGT failed: %s <= %s', message, tostring(a), tostring(b)))
end

function Tester:assertle(a, b, ...)
   local message = message_only(...)
   return self:_assert_sub(a <= b,
      string.format('%sLE failed: %s > %s', message, tostring(a), tostring(b)))
end

function Tester:assertge(a, b, ...)
   local message = message_only(...)
   return self:_assert_sub(a >= b,
      string.format('%sGE failed: %s < %s', message, tostring(a), tostring(b)))
end

function Tester:asserteq(a, b, ...)
   local message = message_only(...)
   return self:_assert_sub(a == b,
      string.format('%sEQ failed: %s ~= %s', message, tostring(a), tostring(b)))
end

function Tester:assertne(a, b, ...)
   local message = message_only(...)
   local kind = original_type(a)
   if (kind == 'table' and original_type(b) == 'table') or kind == 'userdata' then
      self:_warning(' :assertne should only be used to compare basic lua objects (numbers, '
         .. 'booleans, etc). Consider using either :assertGeneralNe or :assert(a ~= b).')
   end
   return self:_assert_sub(a ~= b,
      string.format('%sNE failed: %s == %s', message, tostring(a), tostring(b)))
end

function Tester:assertalmosteq(a, b, ...)
   local tolerance, message = tolerance_and_message(1e-16, ...)
   return self:_assert_sub(math.abs(a - b) <= tolerance,
      string.format('%sALMOST_EQ failed: %s ~= %s with tolerance=%s',
         message, tostring(a), tostring(b), tostring(tolerance)))
end

function Tester:_assertTensorEqOrNeq(ta, tb, negate, ...)
   assert(torch.isTensor(ta), 'First argument should be a Tensor')
   assert(torch.isTensor(tb), 'Second argument should be a Tensor')
   local tolerance, message = tolerance_and_message(0, ...)
   local ignore_dims = self._assertTensorEqIgnoresDims
   local success, detail = compare_tensors(ta, tb, tolerance, negate, ignore_dims)
   if ignore_dims and not negate and success and not ta:isSameSizeAs(tb) then
      self:_warning('Tensors have the same content but different dimensions. '
         .. 'For backwards compatibility, they are considered equal, but this may change '
         .. 'in the future. Consider using :eq to check for equality instead.')
   end
   return self:_assert_sub(success, message .. (detail or ''))
end

function Tester:assertTensorEq(ta, tb, ...)
   return self:_assertTensorEqOrNeq(ta, tb, false, ...)
end

function Tester:assertTensorNe(ta, tb, ...)
   return self:_assertTensorEqOrNeq(ta, tb, true, ...)
end

function Tester:_assertTableEqOrNeq(ta, tb, negate, ...)
   assert(type(ta) == 'table', 'First argument should be a Table')
   assert(type(tb) == 'table', 'Second argument should be a Table')
   return self:_eqOrNeq(ta, tb, negate, ...)
end

function Tester:assertTableEq(ta, tb, ...)
   return self:_assertTableEqOrNeq(ta, tb, false, ...)
end

function Tester:assertTableNe(ta, tb, ...)
   return self:_assertTableEqOrNeq(ta, tb, true, ...)
end

-- Passes when f() raises an error object for which accept(err) is true.
function Tester:assertErrorObj(f, accept, ...)
   local message = message_only(...)
   local ok, err = pcall(f)
   return self:_assert_sub(not ok and accept(err),
      string.format('%sERROR violation: err=%s', message, tostring(err)))
end

function Tester:assertError(f, ...)
   return self:assertErrorObj(f, function() return true end, ...)
end

function Tester:assertErrorMsg(f, expected_message, ...)
   return self:assertErrorObj(f, function(err) return err == expected_message end, ...)
end

-- string.find with a pattern: a substring anywhere in the message matches.
function Tester:assertErrorPattern(f, pattern, ...)
   return self:assertErrorObj(f, function(err) return string.find(err, pattern) ~= nil end,
      ...)
end

function Tester:assertNoError(f, ...)
   local message = message_only(...)
   local ok, err = pcall(f)
   return self:_assert_sub(ok, string.format('%sERROR violation: err=%s', message,
      tostring(err)))
end

-------------------------------------------------------------------------------------------
-- adding and running tests

-- add(f, name): one test. add(table): each function in it, named by its key. The names
-- _setUp and _tearDown are not tests: they run before and after each test, given its name.
function Tester:add(f, name)
   if type(f) == 'table' then
      assert(name == nil, 'Name parameter is forbidden for a table of tests, '
         .. 'since its use is ambiguous')
      if f.__isTestSuite then
         f = f.__tests
      else
         self:_warning('Should use TestSuite rather than plain lua table')
      end
      for test_name, test in pairs(f) do
         -- which tests a name filter selects inside a nested table would be unclear
         assert(type(test) ~= 'table', 'Nested sets of tests are not supported')
         self:add(test, test_name)
      end
      return self
   end
   assert(type(f) == 'function', 'Only tables of functions and functions supported')
   if name == '_setUp' then
      assert(not self._setUp, 'Only one set-up function allowed')
      self._setUp = f
   elseif name == '_tearDown' then
      assert(not self._tearDown, 'Only one tear-down function allowed')
      self._tearDown = f
   else
      name = name or 'unknown'
      if self.tests[name] ~= nil then
         error('Test with name ' .. name .. ' already exists!')
      end
      self.tests[name] = f
   end
   return self
end

-- Tests named here are listed as skipped instead of run.
function Tester:disable(names)
   if type(names) == 'string' then names = {names} end
   assert(type(names) == 'table', 'Expecting name or list for disable')
   for _, name in ipairs(names) do
      assert(self.tests[name], "Unrecognized test '" .. name .. "'")
      self.disabledTests[name] = true
   end
   return self
end

-- The tests whose names match any of the given Lua patterns (all tests for nil).
function Tester:_getTests(patterns)
   if patterns == nil then return self.tests end
   if type(patterns) == 'string' then patterns = {patterns} end
   assert(type(patterns) == 'table',
      'Only accept a name or table of test names (or nil for all tests)')
   local selected = {}
   for _, pattern in ipairs(patterns) do
      local found = false
      for name, test in pairs(self.tests) do
         if name:match(pattern) then
            selected[name] = test
            found = true
         end
      end
      assert(found, "Couldn't find test '" .. pattern .. "'")
   end
   return selected
end

-- Calls a test, recording an error it raises with its traceback. Returns whether it ran
-- through, its error, and whether it also made no failed assertion.
function Tester:_pcall(test)
   local errors_before = #self.errors
   local ok, result = xpcall(test, debug.traceback)
   if not ok then
      self.errors[#self.errors + 1] =
         self._currentTestName .. '\n Function call failed\n' .. result .. '\n'
   end
   return ok, result, ok and errors_before == #self.errors
end

local function bracket(text)
   return '[' .. text .. ']'
end

function Tester:_run(tests)
   colours = colours or choose_colours()
   local count = 0
   for _ in pairs(tests) do count = count + 1 end
   local digits = #tostring(count)
   local counter_format = '%' .. digits .. 'd/' .. count .. ' '
   local counter_width = digits * 2 + 2

   io.write('Running ' .. pluralize(count, 'test') .. '\n')
   local i = 1
   for name, test in pairs(tests) do
      self._currentTestName = name
      -- counter, name, dots up to column 72, then the status: 80 columns in all
      local line = coloured(string.format(counter_format, i), colours.cyan) .. name .. ' '
         .. string.rep('.', NCOLS - 6 - 2 - counter_width - #name) .. ' '
      io.write(line .. bracket(coloured('WAIT', colours.cyan)))
      io.flush()

      local skipped = self.disabledTests[name]
      local ok, passed
      if not skipped then
         if self._setUp then self._setUp(name) end
         if self.rethrow then
            local errors_before = #self.errors
            test()
            ok, passed = true, errors_before == #self.errors
         else
            local _
            ok, _, passed = self:_pcall(test)
         end
         if self._tearDown then self._tearDown(name) end
      end

      -- the status overwrites WAIT on a terminal
      io.write('\r')
      io.write(line)
      if skipped then
         io.write(bracket(coloured('SKIP', colours.yellow)))
      elseif not ok then
         self.testError[name] = 1
         io.write(bracket(coloured('ERROR', colours.magenta)))
      elseif not passed then
         io.write(bracket(coloured('FAIL', colours.red)))
      else
         io.write(bracket(coloured('PASS', colours.green)))
         if self._warningCount[name] > 0 then
            io.write('\n' .. string.rep(' ', NCOLS - 10))
            io.write(bracket(coloured('+warning', colours.yellow)))
         end
      end
      io.write('\n')
      io.flush()

      if self.earlyAbort and i < count and not skipped and not (ok and passed) then
         io.write('Aborting on first error, not all tests have been executed\n')
         break
      end
      i = i + 1
      collectgarbage()
   end
end

-- The summary line, then (unless summary only) each failure and warning between dashes.
function Tester:_report(tests)
   local count, failures, errors, skipped, warnings = 0, 0, 0, 0, 0
   self.countasserts = 0
   for name in pairs(tests) do
      count = count + 1
      self.countasserts = self.countasserts + self.assertionFail[name]
         + self.assertionPass[name]
      if self.assertionFail[name] > 0 then failures = failures + 1 end
      if self.testError[name] > 0 then errors = errors + 1 end
      if self._warningCount[name] > 0 then warnings = warnings + 1 end
      if self.disabledTests[name] then skipped = skipped + 1 end
   end
   -- warnings given outside any test (adding a plain table)
   warnings = warnings + (self._warningCount[''] or 0)

   io.write('Completed ' .. pluralize(self.countasserts, 'assert'))
   io.write(' in ' .. pluralize(count, 'test') .. ' with ')
   io.write(coloured(pluralize(failures, 'failure'),
      failures == 0 and colours.green or colours.red))
   io.write(' and ')
   io.write(coloured(pluralize(errors, 'error'), errors == 0 and colours.green or colours.magenta))
   if warnings > 0 then
      io.write(' and ')
      io.write(coloured(pluralize(warnings, 'warning'), colours.yellow))
   end
   if skipped > 0 then
      io.write(' and ')
      io.write(coloured(skipped .. ' disabled', colours.yellow))
   end
   io.write('\n')

   if self.summaryOnly then return end
   local dashes = string.rep('-', NCOLS) .. '\n'
   local first = true
   local function section(text)
      if first then
         io.write(dashes)
         first = false
      end
      io.write(text .. '\n')
      io.write(dashes)
   end
   for _, text in ipairs(self.errors) do section(text) end
   for _, text in ipairs(self.warnings) do section(text) end
end

-- Runs the tests (all, or those whose names match the given pattern or patterns), then
-- reports. True when every test passed; otherwise an error, or exit (see the header).
function Tester:run(patterns)
   local tests = self:_getTests(patterns)
   self.assertionPass, self.assertionFail, self.testError = {}, {}, {}
   for name in pairs(tests) do
      self.assertionPass[name] = 0
      self.assertionFail[name] = 0
      self.testError[name] = 0
      self._warningCount[name] = 0
   end

   runs_in_progress = runs_in_progress + 1
   local ran, err = pcall(self._run, self, tests)
   runs_in_progress = runs_in_progress - 1
   if not ran then error(err, 0) end
   self:_report(tests)

   for name in pairs(tests) do
      if self.assertionFail[name] > 0 or self.testError[name] > 0 then
         if runs_in_progress == 0 and os.getenv('TORCH7_COMPAT_TEST_EXIT') == '1' then
            io.flush()
            os.exit(1)
         end
         error('An error was found while running tests!')
      end
   end
   return true
end

return Tester
