-- nn.GPU(module, device[, outdevice]): runs module on a given GPU in the original. On this
-- CPU-only implementation it is a plain container that runs its module, keeping the device
-- numbers, so that scripts and saved models using it work unchanged.

local GPU, parent = torch.class('nn.GPU', 'nn.Container')

function GPU:__init(module, device, outdevice)
   parent.__init(self)
   assert(torch.type(device) == 'number')
   self.device = device
   self.outdevice = outdevice or device
   assert(torch.isTypeOf(module, 'nn.Module'))
   self.modules[1] = module
end

-- There is one device: the module stays where it is.
function GPU:setDevice(device)
   self.device = device or self.device
   return self
end

function GPU:updateOutput(input)
   self.output = self.modules[1]:updateOutput(input)
   return self.output
end

function GPU:updateGradInput(input, gradOutput)
   self.gradInput = self.modules[1]:updateGradInput(input, gradOutput)
   return self.gradInput
end

function GPU:accGradParameters(input, gradOutput, scale)
   self.modules[1]:accGradParameters(input, gradOutput, scale)
end

function GPU:type(typename, typecache)
   if typename then
      self.output, self.gradInput, self._input, self._gradOutput = nil, nil, nil, nil
   end
   return parent.type(self, typename, typecache)
end

function GPU:clearState()
   nn.utils.clear(self, 'output', 'gradInput')
   self._input = nil
   self._gradOutput = nil
   return parent.clearState(self)
end

-- The saved form: a header {type, device}, then the fields (the original's layout).
function GPU:write(file)
   local object = {}
   for k, v in pairs(self) do object[k] = v end
   file:writeObject({self._type, self.device})
   file:writeObject(object)
end

function GPU:read(file)
   file:readObject()       -- the header: devices do not matter here
   for k, v in pairs(file:readObject()) do self[k] = v end
end

function GPU:__tostring__()
   local inner = self.modules[1]
   local text = inner.__tostring__ and inner:__tostring__() or torch.type(inner)
   return torch.type(self) .. '(' .. self.device .. ') @ ' .. text
end

function GPU:accUpdateGradParameters()
   error('Not Implemented for ' .. torch.type(self), 2)
end

function GPU:sharedAccUpdateGradParameters()
   error('Not Implemented for ' .. torch.type(self), 2)
end

return GPU
