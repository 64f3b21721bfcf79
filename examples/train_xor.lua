-- A classic Torch7 training script, written against the original API: an MLP learns XOR
-- with optim.sgd (momentum), the data made on the spot.
--
--    th examples/train_xor.lua [-iterations 2000] [-learningRate 0.1] [-seed 1]

require 'torch'
require 'nn'
require 'optim'

local cmd = torch.CmdLine()
cmd:text('Train a small MLP on XOR')
cmd:option('-iterations', 2000, 'number of sgd steps')
cmd:option('-learningRate', 0.1, 'learning rate')
cmd:option('-momentum', 0.9, 'momentum')
cmd:option('-hidden', 8, 'hidden units')
cmd:option('-seed', 1, 'random seed')
local opt = cmd:parse(arg or {})

torch.manualSeed(opt.seed)

local model = nn.Sequential()
model:add(nn.Linear(2, opt.hidden))
model:add(nn.Tanh())
model:add(nn.Linear(opt.hidden, 1))
local criterion = nn.MSECriterion()
print(model)

local inputs = torch.Tensor{{0, 0}, {0, 1}, {1, 0}, {1, 1}}
local targets = torch.Tensor{{0}, {1}, {1}, {0}}

local params, gradParams = model:getParameters()
local state = {learningRate = opt.learningRate, momentum = opt.momentum}

local function feval(x)
   if x ~= params then params:copy(x) end
   gradParams:zero()
   local outputs = model:forward(inputs)
   local loss = criterion:forward(outputs, targets)
   model:backward(inputs, criterion:backward(outputs, targets))
   return loss, gradParams
end

local timer = torch.Timer()
for i = 1, opt.iterations do
   local _, fs = optim.sgd(feval, params, state)
   if i % (opt.iterations / 4) == 0 or i == 1 then
      print(string.format('iteration %5d  loss %g', i, fs[1]))
   end
end

print('predictions:')
print(model:forward(inputs))
print(string.format('trained in %.2f s', timer:time().real))
