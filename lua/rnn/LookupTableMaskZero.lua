-- nn.LookupTableMaskZero(nIndex, nOutput): an nn.LookupTable in which index 0 is allowed
-- and gives a zero vector (padding for nn.MaskZero). Row 1 of the weight holds index 0's
-- vector and is zeroed before every forward; index i is at row i + 1.

local LookupTableMaskZero, parent = torch.class('nn.LookupTableMaskZero', 'nn.LookupTable')

function LookupTableMaskZero:__init(nIndex, nOutput)
   parent.__init(self, nIndex + 1, nOutput)
end

function LookupTableMaskZero:updateOutput(input)
   self.weight[1]:zero()
   if self.__input and torch.type(self.__input) ~= torch.type(input) then
      self.__input = nil
   end
   self.__input = self.__input or input.new()
   self.__input:resizeAs(input):copy(input):add(1)
   return parent.updateOutput(self, self.__input)
end

function LookupTableMaskZero:accGradParameters(input, gradOutput, scale)
   parent.accGradParameters(self, self.__input, gradOutput, scale)
end

function LookupTableMaskZero:type(typename, cache)
   self.__input = nil
   return parent.type(self, typename, cache)
end

return LookupTableMaskZero
