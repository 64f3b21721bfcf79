-- nn.GradientReversal([lambda]): the identity forward; backward, the gradient times
-- -lambda (default 1) (Ganin and Lempitsky, 2015).

local GradientReversal, parent = torch.class('nn.GradientReversal', 'nn.Module')

GradientReversal.__version = 2

function GradientReversal:__init(lambda)
   parent.__init(self)
   self.lambda = lambda or 1
end

function GradientReversal:setLambda(lambda)
   self.lambda = lambda
end

function GradientReversal:updateOutput(input)
   self.output:set(input)
   return self.output
end

function GradientReversal:updateGradInput(input, gradOutput)
   return self.gradInput:mul(gradOutput, -self.lambda)
end

-- Version 1 had no lambda.
function GradientReversal:read(file, version)
   parent.read(self, file)
   if version < 2 then self.lambda = 1 end
end

return GradientReversal
