"""A Python module inside a Lua nn.Sequential, trained by a Lua script with optim.

    python python/python_module_in_lua.py

The Python module (a t7.nn.Module whose forward uses t7 operations) becomes a Lua module
with nn.PythonModule: Lua's forward runs the Python forward under the tape, Lua's backward
runs the tape backward, and getParameters/optim see the Python parameters (they are moved
into Lua's one flat parameter storage, the Python module keeps using them).
"""
import numpy as np

import torch7_compat as t7
from torch7_compat.autograd.dispatch import dispatch
from torch7_compat.nn import functional as F


class GatedLinear(t7.nn.Module):
    """y = (x @ W.T + b) * sigmoid(x @ G.T + c): a gated layer written in Python."""

    def __init__(self, size):
        super().__init__()
        self.value = t7.nn.Linear(size, size).double()
        self.gate = t7.nn.Linear(size, size).double()

    def forward(self, x):
        return dispatch("mul", (self.value(x), F.sigmoid(self.gate(x))), {})


TRAIN = """
local gated = ...
require 'nn'
require 'torch7_compat.python_module'
local optim = require 'optim'
torch.manualSeed(1)

local model = nn.Sequential()
model:add(nn.Linear(2, 8)):add(nn.Tanh())
model:add(nn.PythonModule(gated))            -- the Python module, as a Lua module
model:add(nn.Linear(8, 1))
print(model)

-- learn y = sin(x1) * cos(x2)
local x = torch.rand(200, 2):mul(4):add(-2)
local y = torch.cmul(torch.sin(x:select(2, 1)), torch.cos(x:select(2, 2))):view(200, 1)
local criterion = nn.MSECriterion()
local params, grads = model:getParameters()
print('parameters: ' .. params:nElement())
for epoch = 1, 300 do
   local _, losses = optim.adam(function()
      grads:zero()
      local loss = criterion:forward(model:forward(x), y)
      model:backward(x, criterion:backward(model.output, y))
      return loss, grads
   end, params, {learningRate = 0.02})
   if epoch % 100 == 0 then print(string.format('epoch %3d  mse %.5f', epoch, losses[1])) end
end
return criterion:forward(model:forward(x), y)
"""


def main():
    gated = GatedLinear(8)
    before = gated.gate.weight.numpy().copy()
    final = t7.lua.execute(TRAIN, gated)
    changed = not np.allclose(before, gated.gate.weight.numpy())
    print("final mse %.5f; the Python module's own weights changed: %s" % (final, changed))


if __name__ == "__main__":
    main()
