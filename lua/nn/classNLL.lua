-- What ClassNLLCriterion and SpatialClassNLLCriterion share: their constructor's weights,
-- sizeAverage and buffers, their length (the number of class weights) and how they take
-- targets.

local classNLL = {}

function classNLL.init(self, weights, sizeAverage)
   self.sizeAverage = (sizeAverage == nil) and true or sizeAverage
   if weights then
      assert(weights:dim() == 1, 'weights input should be 1-D Tensor')
      self.weights = weights
   end
   self.output_tensor = torch.zeros(1)
   self.total_weight_tensor = torch.ones(1)
   self.target = torch.zeros(1):long()
end

function classNLL.len(self)
   return self.weights and #self.weights or 0
end

-- The targets as a LongTensor kept in self.target (a number becomes a 1-element tensor).
function classNLL.targetTensor(self, target)
   if type(target) == 'number' then
      self.target = self.target:long()      -- type() may have converted it
      self.target:resize(1)
      self.target[1] = target
   else
      self.target = target:long()
   end
   return self.target
end

return classNLL
