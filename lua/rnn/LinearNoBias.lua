-- nn.LinearNoBias(inputSize, outputSize): nn.Linear without its bias (y = W x).

local LinearNoBias, parent = torch.class('nn.LinearNoBias', 'nn.Linear')

function LinearNoBias:__init(inputSize, outputSize)
   parent.__init(self, inputSize, outputSize, false)
end

return LinearNoBias
