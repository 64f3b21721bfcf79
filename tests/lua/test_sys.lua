-- The sys package: time, sleeping, shell commands and colours, against the system's own
-- clock and shell, and the ANSI escape sequences the original's colours were.

require 'torch'
require 'sys'

local tester = torch.Tester()
local tests = torch.TestSuite()

function tests.clock_is_seconds_since_the_epoch()
   local before = os.time()
   local now = sys.clock()
   tester:assertge(now, before - 1)
   tester:assertle(now, os.time() + 1)
   tester:assert(now ~= math.floor(now) or sys.clock() ~= now, 'sub-second precision')
end

function tests.sleep_waits_about_as_long_as_asked()
   local start = sys.clock()
   sys.sleep(0.25)
   local slept = sys.clock() - start
   tester:assertge(slept, 0.24)
   tester:assertlt(slept, 2)
   start = sys.clock()
   sys.usleep(50000)
   tester:assertge(sys.clock() - start, 0.045)
end

function tests.tic_toc_measure_elapsed_time()
   sys.tic()
   sys.sleep(0.1)
   local elapsed = sys.toc()
   tester:assertge(elapsed, 0.09)
   tester:assertlt(elapsed, 2)
end

function tests.execute_returns_trimmed_output_with_stderr()
   tester:eq(sys.execute('echo "  hello  "'), 'hello')
   tester:eq(sys.execute('(echo oops 1>&2)'), 'oops')
   tester:eq(sys.fexecute('printf "a\\nb\\n"'), 'a\nb')
   tester:eq(sys.fexecute('printf "first\\nsecond\\n"', '*l'), 'first')
end

function tests.uname_and_os()
   tester:eq(sys.uname(), 'linux')
   tester:eq(sys.OS, 'linux')
end

function tests.split_drops_a_leading_empty_piece_only()
   tester:assertTableEq(sys.split('a,b,,c', ','), {'a', 'b', '', 'c'})
   tester:assertTableEq(sys.split(',a', ','), {'a'})
   tester:assertTableEq(sys.split('one  two', ' +'), {'one', 'two'})
end

function tests.isNaN()
   tester:assert(sys.isNaN(0 / 0))
   tester:assert(not sys.isNaN(1))
end

function tests.colors_are_ansi_sequences()
   tester:eq(sys.COLORS.none, '\27[0m')
   tester:eq(sys.COLORS.red, '\27[0;31m')
   tester:eq(sys.COLORS.Red, '\27[1;31m')
   tester:eq(sys.COLORS._red, '\27[41m')
   tester:eq(sys.COLORS.white, '\27[0;37m')
   tester:eq(sys.COLORS._white, '\27[47m')
end

function tests.fpath_is_this_file()
   local folder, name = sys.fpath()
   tester:eq(name, 'test_sys.lua')
   tester:eq(paths.basename(folder), 'lua')
   tester:eq(sys.dirname('/a/b/c'), '/a/b')
   tester:eq(sys.concat('/a', 'b'), '/a/b')
end

tester:add(tests)
tester:run()
