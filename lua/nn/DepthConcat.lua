-- nn.DepthConcat(dimension): a Concat whose children's outputs may differ in their other
-- dimensions: the output takes the largest size in each, and each child's output sits
-- centred in its window, zeros around (as the Inception network's branches).

local DepthConcat = torch.class('nn.DepthConcat', 'nn.Concat')

function DepthConcat:windowNarrow(t, childOutput, offset)
   local window = t:narrow(self.dimension, offset, childOutput:size(self.dimension))
   for dim = 1, self.outputSize:size() do
      local size = childOutput:size(dim)
      if dim ~= self.dimension and self.outputSize[dim] ~= size then
         window = window:narrow(dim, math.floor((self.outputSize[dim] - size) / 2 + 1), size)
      end
   end
   return window
end

function DepthConcat:combineSize(outputs)
   for i, output in ipairs(outputs) do
      if i == 1 then
         self.outputSize:resize(output:dim()):copy(output:size())
      else
         for dim = 1, self.outputSize:size() do
            if dim == self.dimension then
               self.outputSize[dim] = self.outputSize[dim] + output:size(dim)
            else
               self.outputSize[dim] = math.max(self.outputSize[dim], output:size(dim))
            end
         end
      end
   end
end

function DepthConcat:fillGaps()
   self.output:zero()
end

return DepthConcat
