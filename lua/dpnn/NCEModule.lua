-- nn.NCEModule(inputSize, outputSize, k, unigrams[, Z]): a Linear + SoftMax output layer over
-- a large vocabulary, trained by noise-contrastive estimation (Mnih and Teh, 2012; Chen et
-- al., "Recurrent neural network language model training with noise contrastive
-- estimation for speech recognition", 2015) with nn.NCECriterion. Instead of normalising
-- over every class, each target is contrasted with k classes drawn from the noise
-- distribution unigrams (class frequencies, normalised in place):
--    P_model(c | x) = exp(w_c . x + b_c) / Z
-- with a fixed Z (given, or estimated from the first batch when Z <= 0 or absent).
-- input = {x (batch x inputSize), targets (batch, LongTensor)}; the output is
--    {P_model(targets), P_model(noise), P_noise(targets), P_noise(noise)}
-- of sizes batch, batch x k, batch, batch x k. With batchnoise (the default) the batch
-- shares its k noise classes; otherwise each example draws its own.
-- In evaluate() mode with normalized = true the output is the full softmax over the classes
-- (the log-softmax with logsoftmax = true), for perplexities.

local NCEModule, parent = torch.class('nn.NCEModule', 'nn.Linear')
NCEModule.version = 6

-- The per-batch buffers a medium serialization leaves out, and the fields sharedClone shares.
NCEModule.dpnn_mediumEmpty = {}
for _, name in ipairs(parent.dpnn_mediumEmpty) do
   table.insert(NCEModule.dpnn_mediumEmpty, name)
end
for _, name in ipairs({'sampleidx', 'sampleprob', '_noiseidx', '_noiseprob', '_weight',
      '_gradWeight', '_gradOutput', '_tgradOutput'}) do
   table.insert(NCEModule.dpnn_mediumEmpty, name)
end
NCEModule.dpnn_parameters = {'weight', 'bias', 'unigrams', 'Z'}

function NCEModule:__init(inputSize, outputSize, k, unigrams, Z)
   if torch.type(k) ~= 'number' then
      error('nn.NCEModule: expecting a number k (noise samples) at arg 3', 2)
   end
   if not torch.isTensor(unigrams) or unigrams:nElement() ~= outputSize then
      error('nn.NCEModule: expecting a tensor of outputSize unigram frequencies at arg 4', 2)
   end
   parent.__init(self, inputSize, outputSize)
   self.k = k
   self.unigrams = unigrams
   self.Z = torch.Tensor{Z or -1}
   self.batchnoise = true
   self:fastNoise()
   self.output = {torch.Tensor(), torch.Tensor(), torch.Tensor(), torch.Tensor()}
   self.gradInput = {torch.Tensor(), torch.Tensor()}
end

-- Weights uniform in +-stdv (1/sqrt(inputSize) by default); without stdv the biases start at
-- -log(outputSize), so that exp(linear) starts near the uniform 1/outputSize (fits Z = 1).
function NCEModule:reset(stdv)
   if stdv then
      self.weight:uniform(-stdv, stdv)
      self.bias:uniform(-stdv, stdv)
   else
      stdv = 1 / math.sqrt(self.weight:size(2))
      self.weight:uniform(-stdv, stdv)
      self.bias:fill(-math.log(self.bias:size(1)))
   end
   return self
end

-- The noise sampler (normalises unigrams in place).
function NCEModule:fastNoise()
   self.unigrams:div(self.unigrams:sum())
   self.aliasmultinomial = torch.AliasMultinomial(self.unigrams)
end

function NCEModule:checkInput(inputTable)
   local input, target = inputTable[1], inputTable[2]
   if not (torch.isTensor(input) and input:dim() == 2 and torch.isTensor(target)
         and target:dim() == 1 and target:size(1) == input:size(1)) then
      error('nn.NCEModule: expecting input {batch x inputSize, targets of batch size}', 3)
   end
   if input:size(2) ~= self.weight:size(2) then
      error(string.format('nn.NCEModule: expecting inputs of %d features, got %d',
         self.weight:size(2), input:size(2)), 3)
   end
   return input, target
end

-- sampleprob (resized as sampleidx) filled with the noise probabilities of sampleidx.
function NCEModule:noiseProb(sampleprob, sampleidx)
   self._noiseidx = self._noiseidx or torch.LongTensor()
   self._noiseidx:resize(sampleidx:size()):copy(sampleidx)
   self._noiseprob = self._noiseprob or self.unigrams.new()
   self._noiseprob:index(self.unigrams, 1, self._noiseidx:view(-1))
   sampleprob:resize(sampleidx:size()):copy(self._noiseprob)
   return sampleprob
end

-- sampleidx resized to batchsize x k and filled with noise classes.
function NCEModule:noiseSample(sampleidx, batchsize, k)
   sampleidx:resize(batchsize, k)
   if torch.type(sampleidx) == 'torch.LongTensor' then
      self.aliasmultinomial:batchdraw(sampleidx)
   else
      self._noiseidx = self._noiseidx or torch.LongTensor()
      self.aliasmultinomial:batchdraw(self._noiseidx:resize(batchsize, k))
      sampleidx:copy(self._noiseidx)
   end
   return sampleidx
end

-- The first batch fixes an unset Z: the mean of exp(linear) over the sampled classes
-- times the number of classes estimates the sum over all of them.
function NCEModule:normaliseBy(unnormalised)
   if self.Z[1] <= 0 then
      self.Z[1] = unnormalised:mean() * self.weight:size(1)
      print('normalization constant Z approximated to ' .. self.Z[1])
   end
   unnormalised:div(self.Z[1])
end

function NCEModule:fullSoftMax(input)
   local batchsize, classes = input:size(1), self.weight:size(1)
   self.linout = self.linout or input.new()
   self.linout:resize(batchsize, classes):mm(input, self.weight:t())
   self.linout:add(self.bias:view(1, classes):expand(batchsize, classes))
   self.output = torch.isTensor(self.output) and self.output or input.new()
   local shifted = self.output:resizeAs(self.linout):copy(self.linout)
   shifted:add(-1, torch.max(self.linout, 2):expand(batchsize, classes))
   if self.logsoftmax then
      local logSum = torch.exp(shifted):sum(2):log()
      shifted:add(-1, logSum:expand(batchsize, classes))
   else
      shifted:exp()
      shifted:cdiv(shifted:sum(2):expand(batchsize, classes))
   end
   return self.output
end

function NCEModule:outputTable(input)
   if torch.type(self.output) ~= 'table' or #self.output ~= 4 then
      self.output = {input.new(), input.new(), input.new(), input.new()}
   end
   return self.output
end

function NCEModule:updateOutput(inputTable)
   local input, target = self:checkInput(inputTable)
   if self.train == false and self.normalized then return self:fullSoftMax(input) end
   local output = self:outputTable(input)
   local batchsize, inputsize, k = input:size(1), input:size(2), self.k
   self.sampleidx = self.sampleidx or torch.LongTensor()
   self.sampleprob = self.sampleprob or input.new()
   if self.batchnoise then
      -- the k noise classes, then the batch's targets
      self.sampleidx:resize(k + batchsize)
      self:noiseSample(self.sampleidx:narrow(1, 1, k), 1, k)
      self.sampleidx:narrow(1, k + 1, batchsize):copy(target)
      self._weight = self._weight or input.new()
      self._weight:index(self.weight, 1, self.sampleidx)
      self._bias = self._bias or input.new()
      self._bias:index(self.bias, 1, self.sampleidx)
      local noiseWeight = self._weight:narrow(1, 1, k)
      local targetWeight = self._weight:narrow(1, k + 1, batchsize)
      local Pmt = output[1]:resize(batchsize)
      Pmt:sum(torch.cmul(input, targetWeight), 2)
      Pmt:resize(batchsize):add(self._bias:narrow(1, k + 1, batchsize)):exp()
      local Pms = output[2]:resize(batchsize, k)
      Pms:copy(self._bias:narrow(1, 1, k):view(1, k):expand(batchsize, k))
      Pms:addmm(input, noiseWeight:t()):exp()
      self:normaliseBy(Pms)
      Pmt:div(self.Z[1])
      self:noiseProb(self.sampleprob, self.sampleidx)
      output[3]:set(self.sampleprob:narrow(1, k + 1, batchsize))
      output[4]:set(self.sampleprob:narrow(1, 1, k):view(1, k):expand(batchsize, k))
   else
      -- per example: its target, then its k noise classes
      self.sampleidx:resize(batchsize, k + 1)
      self.sampleidx:select(2, 1):copy(target)
      self._sampleidx = self._sampleidx or torch.LongTensor()
      self:noiseSample(self._sampleidx, batchsize, k)
      self.sampleidx:narrow(2, 2, k):copy(self._sampleidx)
      local flat = self.sampleidx:view(-1)
      self._weight = self._weight or input.new()
      self._weight:index(self.weight, 1, flat):resize(batchsize, k + 1, inputsize)
      self._bias = self._bias or input.new()
      self._bias:index(self.bias, 1, flat):resize(batchsize, k + 1)
      self._pm = self._pm or input.new()
      self._pm:resize(batchsize, 1, k + 1):copy(self._bias)
      self._pm:baddbmm(input:view(batchsize, 1, inputsize), self._weight:transpose(2, 3))
      self._pm:resize(batchsize, k + 1):exp()
      self:normaliseBy(self._pm)
      output[1]:set(self._pm:select(2, 1))
      output[2]:set(self._pm:narrow(2, 2, k))
      self:noiseProb(self.sampleprob, self.sampleidx)
      output[3]:set(self.sampleprob:select(2, 1))
      output[4]:set(self.sampleprob:narrow(2, 2, k))
   end
   return output
end

-- d P_model / d linear = P_model: the gradients of the linear outputs are kept in
-- _tgradOutput (targets) and _gradOutput (noise; both in one batch x (k + 1) tensor without
-- batchnoise) for accGradParameters.
function NCEModule:updateGradInput(inputTable, gradOutput)
   local input, target = self:checkInput(inputTable)
   local batchsize, inputsize, k = input:size(1), input:size(2), self.k
   local dPmt, dPms = gradOutput[1], gradOutput[2]
   self.gradInput[1] = self.gradInput[1] or input.new()
   local gradInput = self.gradInput[1]
   self._gradOutput = self._gradOutput or input.new()
   if self.batchnoise then
      self._tgradOutput = self._tgradOutput or input.new()
      self._tgradOutput:cmul(dPmt, self.output[1])
      self._gradOutput:cmul(dPms, self.output[2])
      local targetWeight = self._weight:narrow(1, k + 1, batchsize)
      gradInput:resizeAs(input):cmul(targetWeight,
         self._tgradOutput:view(batchsize, 1):expand(batchsize, inputsize))
      gradInput:addmm(self._gradOutput, self._weight:narrow(1, 1, k))
   else
      self._gradOutput:resize(batchsize, k + 1)
      self._gradOutput:select(2, 1):copy(dPmt)
      self._gradOutput:narrow(2, 2, k):copy(dPms)
      self._gradOutput:cmul(self._pm)
      gradInput:resize(batchsize, 1, inputsize):zero()
      gradInput:baddbmm(self._gradOutput:view(batchsize, 1, k + 1), self._weight)
      gradInput:resizeAs(input)
   end
   -- nothing flows back to the targets
   self.gradInput[2] = self.gradInput[2] or input.new()
   self.gradInput[2]:resize(target:size()):zero()
   return self.gradInput
end

function NCEModule:accGradParameters(inputTable, gradOutput, scale)
   local input = self:checkInput(inputTable)
   scale = scale or 1
   local batchsize, inputsize, k = input:size(1), input:size(2), self.k
   self._gradWeight = self._gradWeight or input.new()
   if self.batchnoise then
      local noiseidx = self.sampleidx:narrow(1, 1, k)
      local targets = self.sampleidx:narrow(1, k + 1, batchsize)
      local gradWeight = self._gradWeight:resize(k + batchsize, inputsize)
      gradWeight:narrow(1, 1, k):mm(self._gradOutput:t(), input):mul(scale)
      gradWeight:narrow(1, k + 1, batchsize):cmul(input,
         self._tgradOutput:view(batchsize, 1):expand(batchsize, inputsize)):mul(scale)
      self.gradWeight:indexAdd(1, self.sampleidx, gradWeight)
      self.gradBias:indexAdd(1, targets, torch.mul(self._tgradOutput, scale))
      self.gradBias:indexAdd(1, noiseidx, self._gradOutput:sum(1):view(k):mul(scale))
   else
      local gradWeight = self._gradWeight:resize(batchsize, k + 1, inputsize):zero()
      gradWeight:baddbmm(0, gradWeight, scale, self._gradOutput:view(batchsize, k + 1, 1),
         input:view(batchsize, 1, inputsize))
      local flat = self.sampleidx:view(-1)
      self.gradWeight:indexAdd(1, flat, gradWeight:view(batchsize * (k + 1), inputsize))
      self.gradBias:indexAdd(1, flat, torch.mul(self._gradOutput, scale):view(-1))
   end
end

-- The noise distribution and its sampler keep their types (the sampler needs a
-- LongTensor and a DoubleTensor).
function NCEModule:type(typename, cache)
   if typename then self:clearState() end
   local unigrams, sampler = self.unigrams, self.aliasmultinomial
   self.unigrams, self.aliasmultinomial = nil, nil
   parent.type(self, typename, cache)
   self.unigrams, self.aliasmultinomial = unigrams, sampler
   return self
end

function NCEModule:clearState()
   for _, name in ipairs({'sampleidx', 'sampleprob', '_sampleidx', '_noiseidx', '_noiseprob',
         '_weight', '_bias', '_pm', '_gradWeight', '_gradOutput', '_tgradOutput', 'linout'}) do
      self[name] = nil
   end
   if torch.isTensor(self.output) then
      self.output:set()
   else
      for _, output in ipairs(self.output) do output:set() end
   end
   for _, gradInput in ipairs(self.gradInput) do gradInput:set() end
   return self
end

function NCEModule:multicuda()
   error('nn.NCEModule: multicuda (weights split over two GPUs with torchx.MultiCudaTensor) '
      .. 'is not supported', 2)
end

return NCEModule
