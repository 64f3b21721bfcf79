-- nn.Serial(module[, tensortype]): decorates a module so that saving it leaves out what its
-- serial mode (module:lightSerial(), mediumSerial(), heavySerial()) names, and converts
-- the saved copy to tensortype (e.g. 'torch.FloatTensor'); the module itself is untouched.

local Serial, parent = torch.class('nn.Serial', 'nn.Decorator')

function Serial:__init(module, tensortype)
   parent.__init(self, module)
   if tensortype and not tensortype:find('torch.*Tensor') then
      error('Expecting tensortype (e.g. torch.LongTensor) at arg1', 2)
   end
   self.tensortype = tensortype
end

function Serial:write(file)
   local state = self:getSerialState()
   -- the state shares self's tensors, and some classes' type() clears their buffers first:
   -- converted, it is a copy
   if self.tensortype then state = nn.utils.deepCopy(state):type(self.tensortype) end
   local fields = {}
   for key, value in pairs(state) do fields[key] = value end
   file:writeObject(fields)
end

return Serial
