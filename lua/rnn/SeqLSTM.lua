-- nn.SeqLSTM(inputSize, outputSize): an LSTM over a whole sequence per forward, batched:
-- input seqlen x batch x inputSize (batch x seqlen x ... with batchfirst = true), output
-- seqlen x batch x outputSize. The input may also be {h0, x} or {c0, h0, x} with initial
-- states of batch x outputSize; the gradient then is {grad_h0, x} or {grad_c0, grad_h0,
-- grad_x}. One weight, (inputSize + outputSize) x 4 outputSize, holds the input's rows
-- then the previous output's; the columns of the gates are, in order, input i, forget f,
-- output o and candidate g (bias: forget gate 1, others 0):
--   c[t] = f * c[t-1] + i * g,   h[t] = o * tanh(c[t])
-- remember() as for nn.Sequencer; maskZero(): all-zero input rows zero the state (their
-- gates are zeroed too, so no gradient goes back through them). nn.SeqLSTMP extends it
-- with a projection of o * tanh(c[t]) (hiddensize) to the output (outputsize).

local SeqLSTM, parent = torch.class('nn.SeqLSTM', 'nn.Module')

-- Whether the output is a projection of the hidden state (nn.SeqLSTMP).
SeqLSTM.projects = false

function SeqLSTM:__init(inputsize, hiddensize, outputsize)
   parent.__init(self)
   outputsize = outputsize or hiddensize
   if outputsize ~= hiddensize and not self.projects then
      error('nn.SeqLSTM: outputsize ~= hiddensize needs a projection: use nn.SeqLSTMP', 2)
   end
   -- the cell and the gates have H units, the output R (H without a projection)
   local D, H, R = inputsize, hiddensize, outputsize
   self.inputsize, self.hiddensize, self.outputsize = D, H, R
   self.weight = torch.Tensor(D + R, 4 * H)
   self.gradWeight = torch.Tensor(D + R, 4 * H)
   self.bias = torch.Tensor(4 * H)
   self.gradBias = torch.Tensor(4 * H):zero()
   self:reset()
   self.cell = torch.Tensor()          -- seqlen x batch x H
   self.gates = torch.Tensor()         -- seqlen x batch x 4H
   self.buffer1 = torch.Tensor()
   self.buffer2 = torch.Tensor()
   self.buffer3 = torch.Tensor()
   self.grad_a_buffer = torch.Tensor()
   self.h0 = torch.Tensor()
   self.c0 = torch.Tensor()
   self._remember = 'neither'
   self.grad_c0 = torch.Tensor()
   self.grad_h0 = torch.Tensor()
   self.grad_x = torch.Tensor()
   self.gradInput = {self.grad_c0, self.grad_h0, self.grad_x}
   self.batchfirst = false
   self.maskzero = false
end

function SeqLSTM:reset(std)
   return self:resetGates(std, self.inputsize, self.outputsize)
end

-- Weights drawn from N(0, std) (default 1 / sqrt(D + H)); biases 0 except the second
-- gate's, 1 (the forget gate here, the update gate of nn.SeqGRU).
function SeqLSTM:resetGates(std, D, H)
   std = std or 1.0 / math.sqrt(D + H)
   self.bias:zero()
   self.bias:narrow(1, H + 1, H):fill(1)
   self.weight:normal(0, std)
   return self
end

function SeqLSTM:resetStates()
   self.h0 = self.h0.new()
   self.c0 = self.c0.new()
end

SeqLSTM.remember = nn.AbstractSequencer.remember
SeqLSTM.hasMemory = nn.AbstractSequencer.hasMemory

local function check_size(x, sizes, what)
   local ok = x:dim() == #sizes
   for i, size in ipairs(sizes) do ok = ok and x:size(i) == size end
   if not ok then
      error(string.format('%s: expected size %s, got %s', what, table.concat(sizes, 'x'),
         table.concat(x:size():totable(), 'x')), 4)
   end
end

-- Splits the input into the initial states given with it (at most maxStates: {c0, h0, x},
-- {h0, x} or x) and x, and gives x and gradOutput as time x batch x size, sizes checked.
function SeqLSTM:prepareSize(input, gradOutput, maxStates, D, H)
   maxStates = maxStates or 2
   D, H = D or self.inputsize, H or self.outputsize
   local states, x = {}, input
   if torch.type(input) == 'table' and #input >= 2 and #input <= maxStates + 1 then
      for i = 1, #input - 1 do states[i] = input[i] end
      x = input[#input]
   elseif not torch.isTensor(input) then
      error('invalid input: expecting x' .. (maxStates == 2 and ', {h0, x} or {c0, h0, x}'
         or ' or {h0, x}'), 3)
   end
   if x:dim() ~= 3 then error('Only supports batch mode (3D input)', 3) end
   if self.batchfirst then
      x = x:transpose(1, 2)
      gradOutput = gradOutput and gradOutput:transpose(1, 2)
   end
   local T, N = x:size(1), x:size(2)
   check_size(x, {T, N, D}, 'input')
   -- {c0, h0, x}: the cell has hiddensize units (more than the output's with a projection)
   for i, state in ipairs(states) do
      local size = (#states == 2 and i == 1) and self.hiddensize or H
      check_size(state, {N, size}, 'initial state')
   end
   if gradOutput then check_size(gradOutput, {T, N, H}, 'gradOutput') end
   return states, x, gradOutput
end

-- {c0, h0, x} or {h0, x}: the initial cell and output (nil where not given).
local function initial_states(states)
   if #states == 2 then return states[1], states[2] end
   return nil, states[1]
end

-- The state to start from: given, set by the user, carried over, or zeros.
function SeqLSTM:initialState(given, state, user, last, N, H)
   if given then return given end
   if user then
      assert(user:size(1) == N, 'batch sizes must be consistent with the initial state')
      return state:resizeAs(user):copy(user)
   end
   if state:nElement() == 0 or not self:hasMemory() then
      return state:resize(N, H):zero()
   end
   assert(last:size(2) == N, 'batch sizes must be constant to remember states')
   return state:copy(last[last:size(1)])
end

-- x (time x batch x inputSize) as a (time * batch) x inputSize matrix, copied into a
-- buffer when its layout needs it (batchfirst inputs are transposed views).
function SeqLSTM:flatInput(x)
   if not x:isContiguous() then
      self._x = self._x or x.new()
      x = self._x:resizeAs(x):copy(x)
   end
   return x:view(x:size(1) * x:size(2), x:size(3))
end

-- The one backward pass a forward allows: x and gradOutput as time x batch, and the scale
-- (only 1 is supported: the gradients of the parameters are computed together).
function SeqLSTM:backwardInputs(input, gradOutput, scale)
   self.recompute_backward = false
   scale = scale or 1.0
   assert(scale == 1.0, 'must have scale=1')
   local _, x, grad_h = self:prepareSize(input, gradOutput)
   assert(grad_h, 'Expecting gradOutput')
   return x, grad_h, scale
end

-- The output of the step before each step (h0 before the first), as a (time * batch) x
-- outputSize matrix.
function SeqLSTM:previousOutputs(h0, h)
   local T, N, H = h:size(1), h:size(2), h:size(3)
   self._prev_h = self._prev_h or h.new()
   local previous = self._prev_h:resize(T, N, H)
   previous[1]:copy(h0)
   if T > 1 then previous:narrow(1, 2, T - 1):copy(h:narrow(1, 1, T - 1)) end
   return previous:view(T * N, H)
end

-- From the gradients of all steps' gates (a (time * batch) x gates matrix): the gradient of
-- the input (returned), and those of the input's weights Wx and of the bias (added).
function SeqLSTM:inputGradients(x, gradGates, Wx, grad_Wx, scale)
   local T, N, D = x:size(1), x:size(2), x:size(3)
   self._grad_x = self._grad_x or self.weight.new()
   local grad_x = self._grad_x:resize(T, N, D)
   grad_x:view(T * N, D):mm(gradGates, Wx:t())
   grad_Wx:addmm(scale, self:flatInput(x):t(), gradGates)
   self.buffer3:resize(1, gradGates:size(2)):sum(gradGates, 1)
   self.gradBias:add(scale, self.buffer3)
   return grad_x
end

-- mask (batch) marks the samples whose input row is all zeros.
function SeqLSTM:zeroRows(x)
   self._zeroMask = self._zeroMask or x.new()
   self._zeroMask:norm(x, 2, 2)
   self.zeroMask = self.zeroMask or torch.ByteTensor()
   self.zeroMask:resize(self._zeroMask:size()):copy(self._zeroMask:eq(0))
   return self.zeroMask
end

local function mask_rows(tensor, mask)
   tensor:maskedFill(mask:expandAs(tensor), 0)
end

function SeqLSTM:updateOutput(input)
   self.recompute_backward = true
   local states, x = self:prepareSize(input)
   local c0, h0 = initial_states(states)
   local T, N = x:size(1), x:size(2)
   local D, H, R = self.inputsize, self.hiddensize, self.outputsize
   self._output = self._output or self.weight.new()
   self._return_grad_c0 = c0 ~= nil
   self._return_grad_h0 = h0 ~= nil
   c0 = self:initialState(c0, self.c0, self.userPrevCell, self.cell, N, H)
   h0 = self:initialState(h0, self.h0, self.userPrevOutput, self._output, N, R)
   self._c0, self._h0 = c0, h0

   local Wx, Wh = self.weight:narrow(1, 1, D), self.weight:narrow(1, D + 1, R)
   local h, c = self._output, self.cell
   h:resize(T, N, R)
   c:resize(T, N, H)
   -- with a projection: o * tanh(c[t]) of every step, projected to h[t]
   local hidden = h
   if self.projects then
      self._hidden = self._hidden or self.weight.new()
      hidden = self._hidden:resize(T, N, H)
   end
   -- the input's part of every step's gates in one matrix product
   self.gates:resize(T, N, 4 * H):view(T * N, 4 * H):addmm(
      self.bias:view(1, 4 * H):expand(T * N, 4 * H), self:flatInput(x), Wx)
   -- tanh(c[t]) of every step, for the backward pass
   self._tanh_c = self._tanh_c or self.weight.new()
   local tanh_c = self._tanh_c:resize(T, N, H)
   local prev_h, prev_c = h0, c0
   for t = 1, T do
      local gates, next_h, next_c = self.gates[t], h[t], c[t]
      gates:addmm(prev_h, Wh)
      gates:narrow(2, 1, 3 * H):sigmoid()
      local g = gates:narrow(2, 3 * H + 1, H):tanh()
      local i, f = gates:narrow(2, 1, H), gates:narrow(2, H + 1, H)
      local o = gates:narrow(2, 2 * H + 1, H)
      next_c:cmul(i, g):addcmul(f, prev_c)
      hidden[t]:cmul(tanh_c[t]:tanh(next_c), o)
      if self.maskzero then
         local mask = self:zeroRows(x[t]):view(N, 1)
         mask_rows(hidden[t], mask)
         mask_rows(next_c, mask)
         mask_rows(gates, mask)
      end
      if self.projects then next_h:mm(hidden[t], self.weightO) end
      prev_h, prev_c = next_h, next_c
   end
   self.userPrevOutput = nil
   self.userPrevCell = nil
   self.output = self.batchfirst and self._output:transpose(1, 2) or self._output
   return self.output
end

function SeqLSTM:backward(input, gradOutput, scale)
   local x, grad_h
   x, grad_h, scale = self:backwardInputs(input, gradOutput, scale)
   local T, N = x:size(1), x:size(2)
   local D, H, R = self.inputsize, self.hiddensize, self.outputsize
   local h0, c0 = self._h0, self._c0
   local h, c = self._output, self.cell
   local Wx, Wh = self.weight:narrow(1, 1, D), self.weight:narrow(1, D + 1, R)
   local grad_Wx = self.gradWeight:narrow(1, 1, D)
   local grad_Wh = self.gradWeight:narrow(1, D + 1, R)

   -- gradients arriving at h[t] and c[t] from the later steps
   local grad_next_h = self.buffer1:resize(N, R)
   if self.gradPrevOutput then grad_next_h:copy(self.gradPrevOutput) else grad_next_h:zero() end
   local grad_next_c = self.buffer2:resize(N, H)
   if self.userNextGradCell then grad_next_c:copy(self.userNextGradCell)
   else grad_next_c:zero() end
   -- the gradients of every step's gates (pre-activation), kept for the products below
   local grad_gates = self.grad_a_buffer:resize(T, N, 4 * H)

   for t = T, 1, -1 do
      local prev_c = t == 1 and c0 or c[t - 1]
      grad_next_h:add(grad_h[t])
      -- the gradient of o * tanh(c[t]): through the projection when there is one
      local grad_hidden = grad_next_h
      if self.projects then
         self.gradWeightO:addmm(scale, self._hidden[t]:t(), grad_next_h)
         self._grad_hidden = self._grad_hidden or grad_next_h.new()
         grad_hidden = self._grad_hidden:resize(N, H):mm(grad_next_h, self.weightO:t())
      end
      local gates, grad_a = self.gates[t], grad_gates[t]
      local i, f = gates:narrow(2, 1, H), gates:narrow(2, H + 1, H)
      local o, g = gates:narrow(2, 2 * H + 1, H), gates:narrow(2, 3 * H + 1, H)
      local grad_ai, grad_af = grad_a:narrow(2, 1, H), grad_a:narrow(2, H + 1, H)
      local grad_ao, grad_ag = grad_a:narrow(2, 2 * H + 1, H), grad_a:narrow(2, 3 * H + 1, H)
      local tanh_c = self._tanh_c[t]

      -- dc += dh * o * (1 - tanh(c)^2)
      grad_ai:cmul(tanh_c, tanh_c):mul(-1):add(1):cmul(o):cmul(grad_hidden)
      grad_next_c:add(grad_ai)
      -- pre-activation gradients: sigmoid' = s (1 - s), tanh' = 1 - t^2
      grad_ao:fill(1):add(-1, o):cmul(o):cmul(tanh_c):cmul(grad_hidden)
      grad_ai:fill(1):add(-1, i):cmul(i):cmul(g):cmul(grad_next_c)
      grad_af:fill(1):add(-1, f):cmul(f):cmul(prev_c):cmul(grad_next_c)
      grad_ag:cmul(g, g):mul(-1):add(1):cmul(i):cmul(grad_next_c)
      grad_next_h:mm(grad_a, Wh:t())
      grad_next_c:cmul(f)
   end

   -- the products over all steps at once
   local all = grad_gates:view(T * N, 4 * H)
   local grad_x = self:inputGradients(x, all, Wx, grad_Wx, scale)
   grad_Wh:addmm(scale, self:previousOutputs(h0, h):t(), all)
   self.grad_h0:resizeAs(h0):copy(grad_next_h)
   self.grad_c0:resizeAs(c0):copy(grad_next_c)
   self.grad_x = self.batchfirst and grad_x:transpose(1, 2) or grad_x
   self.gradPrevOutput = nil
   self.userNextGradCell = nil
   self.userGradPrevCell = self.grad_c0
   self.userGradPrevOutput = self.grad_h0
   if self._return_grad_c0 then
      self.gradInput = {self.grad_c0, self.grad_h0, self.grad_x}
   elseif self._return_grad_h0 then
      self.gradInput = {self.grad_h0, self.grad_x}
   else
      self.gradInput = self.grad_x
   end
   return self.gradInput
end

-- updateGradInput and accGradParameters both run the one backward pass, once.
function SeqLSTM:updateGradInput(input, gradOutput)
   if self.recompute_backward then self:backward(input, gradOutput, 1.0) end
   return self.gradInput
end

function SeqLSTM:accGradParameters(input, gradOutput, scale)
   if self.recompute_backward then self:backward(input, gradOutput, scale) end
end

function SeqLSTM:forget()
   self.c0:resize(0)
   self.h0:resize(0)
end

function SeqLSTM:training()
   if self.train == false then self:forget() end
   parent.training(self)
end

function SeqLSTM:evaluate()
   if self.train ~= false then self:forget() end
   parent.evaluate(self)
end

function SeqLSTM:maskZero()
   self.maskzero = true
   return self
end

function SeqLSTM:clearState()
   for _, name in ipairs({'cell', 'gates', 'buffer1', 'buffer2', 'buffer3', 'grad_a_buffer',
         'grad_c0', 'grad_h0', 'grad_x'}) do
      self[name]:set()
   end
   self.output:set()
   self._output, self._grad_x, self._tanh_c = nil, nil, nil
   self._x, self._prev_h = nil, nil
   self._hidden, self._grad_hidden = nil, nil
   self._h0, self._c0 = nil, nil
   self.gradInput = nil
   self.zeroMask, self._zeroMask = nil, nil
end

function SeqLSTM:type(typename, ...)
   self.zeroMask, self._zeroMask = nil, nil
   return parent.type(self, typename, ...)
end

-- An nn.FastLSTM with the same weights (its gates in FastLSTM's order i, g, f, o and its
-- weights transposed).
function SeqLSTM:toFastLSTM()
   local D, H = self.inputsize, self.outputsize
   local lstm = nn.FastLSTM(D, H)
   local params, gradParams = lstm:parameters()
   -- SeqLSTM's gate k (i, f, o, g) goes to FastLSTM's block position[k]
   local position = {1, 3, 4, 2}
   for k = 1, 4 do
      local from, to = (k - 1) * H + 1, (position[k] - 1) * H + 1
      for _, pair in ipairs({{self.weight, self.bias, params},
            {self.gradWeight, self.gradBias, gradParams}}) do
         local weight, bias, target = pair[1], pair[2], pair[3]
         target[1]:narrow(1, to, H):copy(weight:narrow(1, 1, D):narrow(2, from, H):t())
         target[2]:narrow(1, to, H):copy(bias:narrow(1, from, H))
         target[3]:narrow(1, to, H):copy(weight:narrow(1, D + 1, H):narrow(2, from, H):t())
      end
   end
   return lstm
end

return SeqLSTM
