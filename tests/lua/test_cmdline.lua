-- torch.CmdLine: parsing, the help layout, the experiment-name string of the original's
-- documentation, errors (which print and exit), and the log that print also writes to.

require 'torch'

local tester = torch.Tester()
local tests = torch.TestSuite()

-- The original's documentation example.
local function example_cmdline()
   local cmd = torch.CmdLine()
   cmd:text()
   cmd:text('Training a simple network')
   cmd:option('-seed', 123, 'initial random seed')
   cmd:option('-booloption', false, 'boolean option')
   cmd:option('-stroption', 'mystring', 'string option')
   return cmd
end

-- Runs f with stdout, stderr and os.exit intercepted (help and errors print, then exit).
-- Returns what went to stdout, to stderr, and the exit status (nil if f did not exit).
local function intercepted(f)
   local stdout, stderr = {}, {}
   local saved_write, saved_print, saved_stderr, saved_exit = io.write, print, io.stderr, os.exit
   io.write = function(...)
      for i = 1, select('#', ...) do stdout[#stdout + 1] = tostring((select(i, ...))) end
   end
   print = function(...)
      local words = {}
      for i = 1, select('#', ...) do words[i] = tostring((select(i, ...))) end
      stdout[#stdout + 1] = table.concat(words, '\t') .. '\n'
   end
   io.stderr = {write = function(_, text) stderr[#stderr + 1] = text end}
   local exit_signal = {}
   os.exit = function(status)
      exit_signal.status = status or 0
      error(exit_signal, 0)
   end
   local ok, err = pcall(f)
   io.write, print, io.stderr, os.exit = saved_write, saved_print, saved_stderr, saved_exit
   if not ok and err ~= exit_signal then error(err, 0) end
   return table.concat(stdout), table.concat(stderr), exit_signal.status
end

function tests.parse_gives_the_defaults_without_dashes()
   tester:eq(example_cmdline():parse({}), {seed = 123, booloption = false, stroption = 'mystring'})
end

function tests.parse_reads_options_by_type()
   local params = example_cmdline():parse({'-seed', '456', '-booloption', '-stroption', 'x'})
   tester:eq(params, {seed = 456, booloption = true, stroption = 'x'})
   tester:eq(type(params.seed), 'number')
end

function tests.a_boolean_option_flips_its_default()
   local cmd = torch.CmdLine()
   cmd:option('-verbose', true, 'talk')
   tester:eq(cmd:parse({'-verbose'}).verbose, false)
end

function tests.arguments_are_positional()
   local cmd = example_cmdline()
   cmd:argument('-input', 'the data file')
   cmd:argument('-output', 'where to write')
   local params = cmd:parse({'in.t7', '-seed', '1', 'out.t7'})
   tester:eq(params.input, 'in.t7')
   tester:eq(params.output, 'out.t7')
   tester:eq(params.seed, 1)
end

function tests.options_need_a_default_of_their_type()
   local cmd = torch.CmdLine()
   tester:assertErrorPattern(function() cmd:option('-lr') end, 'option %-lr has no default value')
   tester:assertErrorPattern(function() cmd:option('-lr', 'fast', 'rate', 'number') end,
      'option %-lr has wrong default type value')
end

-- Keys padded to the widest one (an argument counts with its <>), defaults in brackets,
-- text lines as they were given.
function tests.help_layout()
   local cmd = example_cmdline()
   cmd:argument('-input', 'the data file')
   local stdout = intercepted(function() cmd:help({[0] = 'train.lua'}) end)
   tester:eq(stdout, table.concat({
      'Usage: train.lua [options] <input>',
      '',
      'Training a simple network',
      '  -seed       initial random seed [123]',
      '  -booloption boolean option [false]',
      '  -stroption  string option [mystring]',
      '  <input>     the data file',
      ''}, '\n'))
end

function tests.help_options_print_help_and_exit_successfully()
   for _, flag in ipairs({'-h', '--help', '-help'}) do
      local stdout, _, status = intercepted(function()
         example_cmdline():parse({[0] = 'train.lua', flag})
      end)
      tester:eq(status, 0, flag)
      tester:assert(stdout:find('Usage: train.lua [options]', 1, true) == 1, flag)
   end
end

function tests.bad_command_lines_explain_and_exit_with_1()
   local cases = {
      {{'-seed', 'abc'}, 'invalid type for option -seed (should be number)'},
      {{'-seed'}, 'missing argument for option -seed'},
      {{'extra'}, 'invalid argument: extra'},
   }
   for _, case in ipairs(cases) do
      local stdout, stderr, status = intercepted(function() example_cmdline():parse(case[1]) end)
      tester:eq(status, 1, case[2])
      tester:eq(stderr, case[2])
      tester:assert(stdout:find('Usage: [options]', 1, true) ~= nil, 'the help follows')
   end
   local cmd = example_cmdline()
   cmd:argument('-input')
   local _, stderr, status = intercepted(function() cmd:parse({}) end)
   tester:eq(status, 1)
   tester:eq(stderr, 'not enough arguments')
end

function tests.string_names_the_options_that_differ()
   local cmd = example_cmdline()
   local params = cmd:parse({'-seed', '456', '-stroption', 'mycustomstring'})
   local name
   intercepted(function() name = cmd:string('experiment', params, {dir = true}) end)
   tester:eq(name, 'experiment,seed=456,stroption=mycustomstring')
   intercepted(function() name = cmd:string('experiment', cmd:parse({}), {dir = true}) end)
   tester:eq(name, 'experiment', 'nothing differs from the defaults')
   intercepted(function() name = cmd:string('exp', cmd:parse({'-booloption'}), {}) end)
   tester:eq(name, 'exp,booloption=t')
end

function tests.string_puts_arguments_first_and_skips_ignored_keys()
   local cmd = torch.CmdLine('_', '-')
   cmd:option('-seed', 1, 'seed')
   cmd:argument('-input', 'data')
   local params = cmd:parse({'-seed', '2', 'data.t7'})
   params.dir = 'somewhere'
   local name
   local stdout = intercepted(function() name = cmd:string('exp', params, {dir = true}) end)
   tester:eq(name, 'exp_input-data.t7_seed-2')
   tester:assert(stdout:find('-- ignore option dir', 1, true) ~= nil)
end

-- print as the log finds it: what it shows on the screen goes to screen_lines when set.
local real_print = print
local screen_lines
local function screen_print(...)
   if not screen_lines then return real_print(...) end
   local words = {}
   for i = 1, select('#', ...) do words[i] = tostring((select(i, ...))) end
   screen_lines[#screen_lines + 1] = table.concat(words, '\t')
end

-- Starts a log of `cmd` to a temporary file, runs `body`, restores print; returns the
-- file's lines and the lines shown on the screen.
local function logged(cmd, params, body)
   local file = paths.tmpname()
   screen_lines = {}
   print = screen_print
   local ok, err = pcall(function()
      cmd:log(file, params)
      body()
   end)
   print = real_print
   local shown = screen_lines
   screen_lines = nil
   if not ok then
      os.remove(file)
      error(err, 0)
   end
   local lines = {}
   for line in io.lines(file) do lines[#lines + 1] = line end
   os.remove(file)
   return lines, shown
end

function tests.log_copies_print_into_the_file()
   local lines, shown = logged(torch.CmdLine(), {seed = 123}, function() print('hello', 1) end)
   tester:assert(lines[1]:match('^%[program started on .+%] $') ~= nil, lines[1])
   tester:eq({unpack(lines, 2)},
      {'[command line arguments] ', 'seed 123 ', '[----------------------] ', 'hello 1 '})
   tester:eq(shown[#shown], 'hello\t1', 'the screen still gets the output')
end

function tests.silent_log_writes_the_file_only()
   local cmd = torch.CmdLine()
   cmd:silent()
   local lines, shown = logged(cmd, nil, function() print('quiet') end)
   tester:eq(lines[#lines], 'quiet ')
   tester:eq(#shown, 0)
end

function tests.addTime_prefixes_log_lines()
   local cmd = torch.CmdLine()
   cmd:addTime('proj', '%Y')
   local lines = logged(cmd, nil, function() print('dated') end)
   local last = lines[#lines]
   tester:eq(last:sub(1, 12), os.date('%Y') .. '[proj]: ')
   tester:assert(last:find('dated', 1, true) ~= nil)
   tester:assertErrorPattern(function() cmd:addTime('x', 5) end, 'Argument has to be string')
end

tester:add(tests)
tester:run()
