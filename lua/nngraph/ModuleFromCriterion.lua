-- nn.ModuleFromCriterion(criterion): a criterion as a module of a graph. The input is the
-- pair {prediction, target}; the output a one-element tensor holding the loss. The
-- gradient sent to the target is zero. Calling a criterion on nodes makes one.

local ModuleFromCriterion, parent = torch.class('nn.ModuleFromCriterion', 'nn.Module')

function ModuleFromCriterion:__init(criterion)
   parent.__init(self)
   self.criterion = criterion
   self.output = torch.Tensor(1)
   self.gradInput = {torch.Tensor(), torch.Tensor()}
end

function ModuleFromCriterion:updateOutput(input)
   local prediction, target = input[1], input[2]
   self.output[1] = self.criterion:updateOutput(prediction, target)
   return self.output
end

-- The criterion's gradient scaled by the (one-element) gradOutput; tables of predictions
-- get tables of gradients.
function ModuleFromCriterion:updateGradInput(input, gradOutput)
   local prediction, target = input[1], input[2]
   local gradPrediction = self.criterion:updateGradInput(prediction, target)
   local scale = gradOutput[1]
   if type(gradPrediction) == 'table' then
      if type(self.gradInput[1]) ~= 'table' then self.gradInput[1] = {} end
      local grads = self.gradInput[1]
      for i, g in ipairs(gradPrediction) do
         grads[i] = grads[i] or g.new()
         grads[i]:resizeAs(g):copy(g):mul(scale)
      end
   else
      self.gradInput[1]:resizeAs(gradPrediction):copy(gradPrediction):mul(scale)
   end
   self.gradInput[2]:resizeAs(target):zero()
   return self.gradInput
end

return ModuleFromCriterion
