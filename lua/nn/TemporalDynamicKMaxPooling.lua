-- nn.TemporalDynamicKMaxPooling(minK[, factor]): keeps, per feature, the k largest values
-- along the frames, in their original order (Kalchbrenner et al., 2014), with k =
-- max(minK, ceil(factor * frames)). Input: frames x features, or a batch of them.

local TemporalDynamicKMaxPooling, parent = torch.class('nn.TemporalDynamicKMaxPooling',
   'nn.Module')

function TemporalDynamicKMaxPooling:__init(minK, factor)
   parent.__init(self)
   self.minK = minK
   self.factor = factor or 0
end

function TemporalDynamicKMaxPooling:updateOutput(input)
   assert(input:dim() == 2 or input:dim() == 3, 'Only 2D or 3D(batch mode) accepted')
   local seqDim = input:dim() - 1
   local k = math.max(self.minK, math.ceil(self.factor * input:size(seqDim)))
   assert(input:size(seqDim) >= self.minK, 'Input sequence length (' .. input:size(seqDim)
      .. ') too small for desired k value (' .. k .. ')')
   local _, order = input:sort(seqDim, true)
   self.indices = order:narrow(seqDim, 1, k):sort(seqDim)
   self.output = input:gather(seqDim, self.indices)
   return self.output
end

function TemporalDynamicKMaxPooling:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   local seqDim = input:dim() - 1
   self.gradInput:resizeAs(input):zero()
   self.gradInput:scatter(seqDim, self.indices, gradOutput)
   return self.gradInput
end

function TemporalDynamicKMaxPooling:clearState()
   nn.utils.clear(self, 'indices')
   return parent.clearState(self)
end

return TemporalDynamicKMaxPooling
