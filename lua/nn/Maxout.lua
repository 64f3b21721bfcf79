-- nn.Maxout(inputSize, outputSize, maxoutNumber[, preprocess]): maxoutNumber linear maps
-- to outputSize, then the element-wise maximum over them (Goodfellow et al., 2013);
-- preprocess, a module, runs on the maps before the maximum.

local Maxout, parent = torch.class('nn.Maxout', 'nn.Sequential')

function Maxout:__init(inputSize, outputSize, maxoutNumber, preprocess)
   parent.__init(self)
   self:add(nn.Linear(inputSize, outputSize * maxoutNumber))
   self:add(nn.View(maxoutNumber, outputSize):setNumInputDims(1))
   if preprocess then self:add(preprocess) end
   self:add(nn.Max(1, 2))
end

return Maxout
