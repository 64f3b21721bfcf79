-- nn.TrimZero(module, nInputDim[, silent]): nn.MaskZero's results (samples whose input is
-- all zeros get zero outputs and no gradient) computed by running module on the other
-- samples only: in batch mode the masked rows are left out of every tensor of the input
-- (and of gradOutput) and put back as zeros in the output (and gradInput). Faster than
-- MaskZero when many rows are padding (sequences of very different lengths), slower when
-- few are. A sample (no batch dimension) is zeroed and run, as by MaskZero.

local TrimZero, parent = torch.class('nn.TrimZero', 'nn.MaskZero')

function TrimZero:__init(module, nInputDim, silent)
   parent.__init(self, module, nInputDim, silent)
   self.temp = torch.Tensor()
   self.gradTemp = torch.Tensor()
end

-- The rows of each tensor of input listed in indices (into, reused).
local function gather(into, input, indices)
   if torch.type(input) == 'table' then
      into = torch.type(into) == 'table' and into or {}
      for k, v in ipairs(input) do into[k] = gather(into[k], v, indices) end
      for k = #input + 1, #into do into[k] = nil end
      return into
   end
   into = torch.isTensor(into) and into or input.new()
   return into:index(input, 1, indices)
end

-- Each tensor of trimmed, its rows put back at indices of rows rows, the others zeros.
local function scatter(into, trimmed, indices, rows)
   if torch.type(trimmed) == 'table' then
      into = torch.type(into) == 'table' and into or {}
      for k, v in ipairs(trimmed) do into[k] = scatter(into[k], v, indices, rows) end
      for k = #trimmed + 1, #into do into[k] = nil end
      return into
   end
   into = torch.isTensor(into) and into or trimmed.new()
   local size = trimmed:size()
   size[1] = rows
   into:resize(size):zero()
   if indices:nElement() > 0 then into:indexCopy(1, indices, trimmed) end
   return into
end

-- The rows kept (the unmasked ones); when none is, row 1 runs (zeroed, its result dropped)
-- so that module still takes its step.
function TrimZero:keptRows()
   local kept = self.zeroMask:view(-1):eq(0):nonzero()
   self._rows = self.zeroMask:nElement()
   self._kept = kept:nElement() > 0 and kept:view(-1) or torch.LongTensor()
   self._run = kept:nElement() > 0 and self._kept or torch.LongTensor{1}
end

function TrimZero:trim(into, input)
   if not self.batchmode then return self:recursiveMask(into, input, self.zeroMask) end
   into = gather(into, input, self._run)
   if self._kept:nElement() == 0 then rnn.recursiveFill(into, 0) end
   return into
end

function TrimZero:untrim(into, trimmed)
   if not self.batchmode then return self:recursiveMask(into, trimmed, self.zeroMask) end
   return scatter(into, trimmed, self._kept, self._rows)
end

function TrimZero:updateOutput(input)
   self:updateZeroMask(input)
   if self.batchmode then self:keptRows() end
   self.temp = self:trim(self.temp, input)
   self.output = self:untrim(self.output, self.modules[1]:updateOutput(self.temp))
   return self.output
end

function TrimZero:updateGradInput(input, gradOutput)
   self.temp = self:trim(self.temp, input)
   self.gradTemp = self:trim(self.gradTemp, gradOutput)
   self.gradInput = self:untrim(self.gradInput,
      self.modules[1]:updateGradInput(self.temp, self.gradTemp))
   return self.gradInput
end

function TrimZero:accGradParameters(input, gradOutput, scale)
   self.temp = self:trim(self.temp, input)
   self.gradTemp = self:trim(self.gradTemp, gradOutput)
   self.modules[1]:accGradParameters(self.temp, self.gradTemp, scale)
end

function TrimZero:type(typename, ...)
   self._kept, self._run = nil, nil
   return parent.type(self, typename, ...)
end

return TrimZero
