-- nn.SeqLSTMP(inputsize, hiddensize, outputsize): nn.SeqLSTM with a projection layer (Sak
-- et al., "Long Short-Term Memory Based Recurrent Neural Network Architectures for Large
-- Vocabulary Speech Recognition"): the cell and the gates have hiddensize units, and the
-- output (also fed back to the gates) is
--   h[t] = (o * tanh(c[t])) * weightO,   weightO: hiddensize x outputsize
-- so that a large memory costs fewer recurrent weights (weight: (inputsize + outputsize) x
-- 4 hiddensize). Initial states given with the input: c0 batch x hiddensize, h0 batch x
-- outputsize.

local SeqLSTMP, parent = torch.class('nn.SeqLSTMP', 'nn.SeqLSTM')

SeqLSTMP.projects = true
SeqLSTMP.dpnn_parameters = {'weight', 'bias', 'weightO'}
SeqLSTMP.dpnn_gradParameters = {'gradWeight', 'gradBias', 'gradWeightO'}

function SeqLSTMP:__init(inputsize, hiddensize, outputsize)
   if not (inputsize and hiddensize and outputsize) then
      error('nn.SeqLSTMP: expecting input, hidden and output size', 2)
   end
   self.weightO = torch.Tensor(hiddensize, outputsize)
   self.gradWeightO = torch.Tensor(hiddensize, outputsize)
   parent.__init(self, inputsize, hiddensize, outputsize)
end

-- Weights from N(0, std), by default 1 / sqrt(inputsize + hiddensize) for the gates' and
-- 1 / sqrt(hiddensize + outputsize) for the projection's; the forget gate's bias 1.
function SeqLSTMP:reset(std)
   self:resetGates(std or 1.0 / math.sqrt(self.inputsize + self.hiddensize),
      self.inputsize, self.hiddensize)
   self.weightO:normal(0, std or 1.0 / math.sqrt(self.hiddensize + self.outputsize))
   return self
end

function SeqLSTMP:parameters()
   return {self.weight, self.bias, self.weightO},
      {self.gradWeight, self.gradBias, self.gradWeightO}
end

function SeqLSTMP:toFastLSTM()
   error('nn.SeqLSTMP: toFastLSTM is not supported (FastLSTM has no projection)', 2)
end

return SeqLSTMP
