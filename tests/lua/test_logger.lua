-- optim.Logger: the text log as the original writes it (names then rows, %11.4e values,
-- each followed by a tab) and its plots beside the log file.

require 'torch'
require 'optim'

local tester = torch.Tester()
local tests = torch.TestSuite()

local folder = paths.tmpname()

local function read(file)
   local f = assert(io.open(file))
   local text = f:read('*a')
   f:close()
   return text
end

function tests.named_columns_and_rows()
   local file = folder .. '/run/train.log'
   local logger = optim.Logger(file)
   logger:setNames{'train error', 'test error'}
   logger:add{0.5, 0.25}
   logger:add{1e-3, 12345.678}
   tester:eq(read(file), 'train error\ttest error\t\n'
      .. string.format('%11.4e\t%11.4e\t\n', 0.5, 0.25)
      .. string.format('%11.4e\t%11.4e\t\n', 1e-3, 12345.678))
   tester:eq(read(file):match('\n(.-)\t'), ' 5.0000e-01')
end

function tests.columns_from_the_first_row_and_strings()
   local file = folder .. '/keys.log'
   local logger = optim.Logger(file)
   logger:add{loss = 2, epoch = 'one'}
   logger:add{loss = 1, epoch = 'two'}
   tester:eq(read(file), 'epoch\tloss\t\none\t' .. string.format('%11.4e', 2) .. '\t\ntwo\t'
      .. string.format('%11.4e', 1) .. '\t\n')
   tester:assertErrorPattern(function() logger:add{loss = {}} end, 'can only log numbers')
end

function tests.plot_writes_eps_and_png_beside_the_log()
   local file = folder .. '/plot.log'
   local logger = optim.Logger(file)
   logger:setNames{'a', 'b'}
   for i = 1, 5 do logger:add{i, 10 - i} end
   logger:style{'-', '+'}
   logger:display(false)
   logger:plot()
   tester:eq(read(file .. '.png'):sub(1, 4), '\137PNG')
   tester:eq(read(file .. '.eps'):sub(1, 4), '%!PS')
end

tester:add(tests)
tester:run()
paths.rmall(folder, 'yes')
