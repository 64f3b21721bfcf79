-- nn.SeqGRU(inputSize, outputSize): a GRU over a whole sequence per forward, batched:
-- input seqlen x batch x inputSize (or {h0, x}), output seqlen x batch x outputSize
-- (batch first with batchfirst = true). One weight, (inputSize + outputSize) x
-- 3 outputSize, holds the input's rows then the previous output's; the columns are the
-- reset gate r, the update gate z and the candidate h (bias: z's 1, others 0):
--   h = tanh(Wx x + bh + Wh (r * s[t-1])),   s[t] = (1 - z) * h + z * s[t-1]
-- remember(), forget() and maskZero() as nn.SeqLSTM's.

local SeqGRU, parent = torch.class('nn.SeqGRU', 'nn.Module')

function SeqGRU:__init(inputSize, outputSize)
   parent.__init(self)
   self.inputSize = inputSize
   self.outputSize = outputSize
   local D, H = inputSize, outputSize
   self.weight = torch.Tensor(D + H, 3 * H)
   self.gradWeight = torch.Tensor(D + H, 3 * H):zero()
   self.bias = torch.Tensor(3 * H)
   self.gradBias = torch.Tensor(3 * H):zero()
   self:reset()
   self.gates = torch.Tensor()         -- seqlen x batch x 3H
   self.buffer1 = torch.Tensor()
   self.buffer2 = torch.Tensor()
   self.buffer3 = torch.Tensor()
   self.grad_a_buffer = torch.Tensor()
   self.h0 = torch.Tensor()
   self._remember = 'neither'
   self.grad_h0 = torch.Tensor()
   self.grad_x = torch.Tensor()
   self.gradInput = {self.grad_h0, self.grad_x}
   self.batchfirst = false
   self.maskzero = false
end

function SeqGRU:reset(std)
   return self:resetGates(std, self.inputSize, self.outputSize)
end

function SeqGRU:resetStates()
   self.h0 = self.h0.new()
end

for _, name in ipairs({'resetGates', 'remember', 'hasMemory', 'initialState', 'zeroRows',
      'flatInput', 'backwardInputs', 'previousOutputs', 'inputGradients', 'training', 'evaluate',
      'maskZero'}) do
   SeqGRU[name] = nn.SeqLSTM[name]
end

function SeqGRU:forget()
   self.h0:resize(0)
end

-- x or {h0, x}
function SeqGRU:prepareSize(input, gradOutput)
   return nn.SeqLSTM.prepareSize(self, input, gradOutput, 1, self.inputSize, self.outputSize)
end

function SeqGRU:updateOutput(input)
   self.recompute_backward = true
   local states, x = self:prepareSize(input)
   local h0 = states[1]
   local T, N = x:size(1), x:size(2)
   local D, H = self.inputSize, self.outputSize
   self._output = self._output or self.weight.new()
   self._return_grad_h0 = h0 ~= nil
   h0 = self:initialState(h0, self.h0, self.userPrevOutput, self._output, N, H)
   self._h0 = h0

   local Wx, Wh = self.weight:narrow(1, 1, D), self.weight:narrow(1, D + 1, H)
   local Wh_rz, Wh_h = Wh:narrow(2, 1, 2 * H), Wh:narrow(2, 2 * H + 1, H)
   local h = self._output:resize(T, N, H)
   -- the input's part of every step's gates in one matrix product
   self.gates:resize(T, N, 3 * H):view(T * N, 3 * H):addmm(
      self.bias:view(1, 3 * H):expand(T * N, 3 * H), self:flatInput(x), Wx)
   -- r * s[t-1] of every step, for the backward pass
   self._reset_h = self._reset_h or self.weight.new()
   local reset_h = self._reset_h:resize(T, N, H)
   local prev_h = h0
   for t = 1, T do
      local gates, next_h = self.gates[t], h[t]
      local rz = gates:narrow(2, 1, 2 * H)
      rz:addmm(prev_h, Wh_rz):sigmoid()
      local r, z = gates:narrow(2, 1, H), gates:narrow(2, H + 1, H)
      local candidate = gates:narrow(2, 2 * H + 1, H)
      candidate:addmm(reset_h[t]:cmul(r, prev_h), Wh_h):tanh()
      -- s[t] = h - z * h + z * s[t-1]
      next_h:copy(candidate):addcmul(-1, z, candidate):addcmul(z, prev_h)
      if self.maskzero then
         local mask = self:zeroRows(x[t]):view(N, 1)
         next_h:maskedFill(mask:expandAs(next_h), 0)
         gates:maskedFill(mask:expandAs(gates), 0)
      end
      prev_h = next_h
   end
   self.userPrevOutput = nil
   self.output = self.batchfirst and self._output:transpose(1, 2) or self._output
   return self.output
end

function SeqGRU:backward(input, gradOutput, scale)
   local x, grad_h
   x, grad_h, scale = self:backwardInputs(input, gradOutput, scale)
   local T, N = x:size(1), x:size(2)
   local D, H = self.inputSize, self.outputSize
   local h0, h = self._h0, self._output
   local Wx, Wh = self.weight:narrow(1, 1, D), self.weight:narrow(1, D + 1, H)
   local Wh_rz, Wh_h = Wh:narrow(2, 1, 2 * H), Wh:narrow(2, 2 * H + 1, H)
   local grad_Wx = self.gradWeight:narrow(1, 1, D)
   local grad_Wh = self.gradWeight:narrow(1, D + 1, H)
   local grad_next_h = self.buffer1:resize(N, H)
   if self.gradPrevOutput then grad_next_h:copy(self.gradPrevOutput) else grad_next_h:zero() end
   local temp = self.buffer2:resize(N, H)
   self._grad_reset_h = self._grad_reset_h or self.weight.new()
   local grad_reset_h = self._grad_reset_h:resize(N, H)
   -- the gradients of every step's gates (pre-activation), kept for the products below
   local grad_gates = self.grad_a_buffer:resize(T, N, 3 * H)

   for t = T, 1, -1 do
      local prev_h = t == 1 and h0 or h[t - 1]
      grad_next_h:add(grad_h[t])
      if self.maskzero then
         -- a masked step's state was zeroed: nothing flows back through it
         local mask = self:zeroRows(x[t]):view(N, 1)
         grad_next_h:maskedFill(mask:expandAs(grad_next_h), 0)
      end
      local gates, grad_a = self.gates[t], grad_gates[t]
      local r, z = gates:narrow(2, 1, H), gates:narrow(2, H + 1, H)
      local candidate = gates:narrow(2, 2 * H + 1, H)
      local grad_ar, grad_az = grad_a:narrow(2, 1, H), grad_a:narrow(2, H + 1, H)
      local grad_ah = grad_a:narrow(2, 2 * H + 1, H)
      -- candidate: ds * (1 - z) * (1 - h^2)
      grad_ah:cmul(candidate, candidate):mul(-1):add(1)
      temp:fill(1):add(-1, z):cmul(grad_next_h)
      grad_ah:cmul(temp)
      -- the gradient reaching r * s[t-1]; the reset gate's: that * s[t-1] * r (1 - r)
      grad_reset_h:mm(grad_ah, Wh_h:t())
      grad_ar:cmul(grad_reset_h, prev_h)
      temp:fill(1):add(-1, r):cmul(r)
      grad_ar:cmul(temp)
      -- update gate: ds * (s[t-1] - h) * z (1 - z)
      grad_az:fill(1):add(-1, z):cmul(z):cmul(grad_next_h)
      temp:copy(prev_h):add(-1, candidate)
      grad_az:cmul(temp)
      -- to s[t-1]: directly (z), through r * s[t-1], and through the gates
      grad_next_h:cmul(z):addcmul(grad_reset_h, r)
         :addmm(grad_a:narrow(2, 1, 2 * H), Wh_rz:t())
   end

   -- the products over all steps at once
   local all = grad_gates:view(T * N, 3 * H)
   local grad_x = self:inputGradients(x, all, Wx, grad_Wx, scale)
   grad_Wh:narrow(2, 1, 2 * H):addmm(scale, self:previousOutputs(h0, h):t(),
      all:narrow(2, 1, 2 * H))
   grad_Wh:narrow(2, 2 * H + 1, H):addmm(scale, self._reset_h:view(T * N, H):t(),
      all:narrow(2, 2 * H + 1, H))
   self.grad_h0:resizeAs(h0):copy(grad_next_h)
   self.grad_x = self.batchfirst and grad_x:transpose(1, 2) or grad_x
   self.gradPrevOutput = nil
   self.userGradPrevOutput = self.grad_h0
   self.gradInput = self._return_grad_h0 and {self.grad_h0, self.grad_x} or self.grad_x
   return self.gradInput
end

SeqGRU.updateGradInput = nn.SeqLSTM.updateGradInput
SeqGRU.accGradParameters = nn.SeqLSTM.accGradParameters

function SeqGRU:clearState()
   for _, name in ipairs({'gates', 'buffer1', 'buffer2', 'buffer3', 'grad_a_buffer',
         'grad_h0', 'grad_x'}) do
      self[name]:set()
   end
   self.output:set()
   self._output, self._grad_x, self._h0, self._x, self._prev_h = nil, nil, nil, nil, nil
   self._reset_h, self._grad_reset_h = nil, nil
   self.gradInput = nil
   self.zeroMask, self._zeroMask = nil, nil
   self.userGradPrevOutput, self.gradPrevOutput = nil, nil
end

SeqGRU.type = nn.SeqLSTM.type

-- An nn.GRU with the same weights.
function SeqGRU:toGRU()
   local D, H = self.inputSize, self.outputSize
   local gru = nn.GRU(D, H)
   local params, gradParams = gru:parameters()
   for _, pair in ipairs({{self.weight, self.bias, params},
         {self.gradWeight, self.gradBias, gradParams}}) do
      local weight, bias, target = pair[1], pair[2], pair[3]
      local Wx, Wh = weight:narrow(1, 1, D), weight:narrow(1, D + 1, H)
      target[1]:copy(Wx:narrow(2, 1, 2 * H):t())
      target[2]:copy(bias:narrow(1, 1, 2 * H))
      target[3]:copy(Wh:narrow(2, 1, 2 * H):t())
      target[4]:copy(Wx:narrow(2, 2 * H + 1, H):t())
      target[5]:copy(bias:narrow(1, 2 * H + 1, H))
      target[6]:copy(Wh:narrow(2, 2 * H + 1, H):t())
   end
   return gru
end

return SeqGRU
