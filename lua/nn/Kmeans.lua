-- nn.Kmeans(k, dim[, scale]): k-means clustering as a module. The k x dim weight holds the
-- centroids; forward gives each sample's nearest centroid (and self.loss the within-cluster
-- squared error); accGradParameters moves the centroids toward the mean of their samples
-- (scale 1 gives the k-means update with updateParameters(1)).

local Kmeans, parent = torch.class('nn.Kmeans', 'nn.Module')

function Kmeans:__init(k, dim, scale)
   parent.__init(self)
   self.k = k
   self.dim = dim
   self.scale = scale
   assert(k > 0, 'Clusters cannot be 0 or negative.')
   assert(dim > 0, 'Dimensionality cannot be 0 or negative.')
   self.weight = torch.Tensor(self.k, self.dim)
   self.gradWeight = torch.Tensor(self.weight:size())
   self.loss = 0
   self.clusterSampleCount = torch.Tensor(self.k)
   self:reset()
end

function Kmeans:reset(stdev)
   stdev = stdev or 1
   self.weight:uniform(-stdev, stdev)
end

local function check_input(self, input)
   assert(input:nDimension() == 2, 'Incorrect input dimensionality. Expecting 2D.')
   assert(input:size(2) == self.dim, "Dimensionality of input and weight don't match.")
end

-- Centroids from k samples drawn at random.
function Kmeans:initRandom(input)
   check_input(self, input)
   local n = input:size(1)
   assert(n >= self.k, 'Need atleast k samples for initialization.')
   local indices = torch.zeros(self.k):random(1, n)
   for i = 1, self.k do self.weight[i]:copy(input[indices[i]]) end
end

-- k-means++-like start: each next centroid drawn among the (1 - p) fraction of samples
-- farthest from the centroids chosen so far (p default 0.95).
function Kmeans:initKmeansPlus(input, p)
   self.p = p or self.p or 0.95
   assert(self.p >= 0 and self.p <= 1, 'P value should be between 0-1.')
   check_input(self, input)
   local n = input:size(1)
   local pcount = math.max(math.ceil((1 - self.p) * n), 1)
   self.weight[1]:copy(input[torch.random(n)])
   local distances = self.weight.new(n):fill(math.huge)
   local difference = self.weight.new()
   for k = 2, self.k do
      local centre = self.weight[k - 1]
      for i = 1, n do
         difference:resizeAs(centre):copy(input[i]):add(-1, centre)
         distances[i] = math.min(difference:dot(difference), distances[i])
      end
      local _, order = distances:sort(true)
      self.weight[k]:copy(input[order[torch.random(pcount)]])
   end
end

function Kmeans:updateOutput(input)
   check_input(self, input)
   assert(input:isContiguous(), 'Input is not contiguous.')
   local batch = input:size(1)
   -- squared distances of every sample to every centroid: k x batch
   self._expandedSamples = self._expandedSamples or self.weight.new()
   self._expandedSamples:resize(self.k, batch, self.dim)
      :copy(input:view(1, batch, self.dim):expand(self.k, batch, self.dim))
   self._expandedSamples:add(-1, self.weight:view(self.k, 1, self.dim):expand(self.k, batch,
      self.dim))
   self._expandedSamples:cmul(self._expandedSamples)
   self._clusterDistances = self._clusterDistances or self.weight.new()
   self._clusterDistances:sum(self._expandedSamples, 3)
   self._clusterDistances:resize(self.k, batch)
   self._minScore = self._minScore or self.weight.new()
   self._minIndx = self._minIndx or torch.LongTensor()
   self._minScore:min(self._minIndx, self._clusterDistances, 1)
   self._minIndx:resize(batch)
   self.output:resize(batch):copy(self._minIndx)
   self.loss = self._minScore:sum()
   return self.output
end

function Kmeans:updateGradInput(input)
   return self.gradInput:resize(input:size()):zero()
end

-- Each centroid's gradient: -scale times the mean of (sample - centroid) over its samples.
function Kmeans:accGradParameters(input, gradOutput, scale)
   scale = self.scale or scale or 1
   assert(scale > 0, ' Scale has to be positive.')
   local batch = input:size(1)
   self._cscAdder = self._cscAdder or self.weight.new()
   self._cscAdder:resize(batch):fill(1)
   self.clusterSampleCount:zero():indexAdd(1, self._minIndx, self._cscAdder)
   self._gradWeight = self._gradWeight or self.gradWeight.new()
   self._gradWeight:index(self.weight, 1, self._minIndx):mul(-1):add(input):mul(-scale)
   self._gradWeight2 = self._gradWeight2 or self.gradWeight.new()
   self._gradWeight2:resizeAs(self.gradWeight):zero()
      :indexAdd(1, self._minIndx, self._gradWeight)
   self._ccounts = self._ccounts or self.clusterSampleCount.new()
   self._ccounts:resize(self.k):copy(self.clusterSampleCount):add(1e-7)
   self._gradWeight2:cdiv(self._ccounts:view(self.k, 1):expandAs(self.gradWeight))
   self.gradWeight:add(self._gradWeight2)
end

function Kmeans:clearState()
   for _, name in ipairs({'_expandedSamples', '_clusterDistances', '_minScore', '_minIndx',
         '_cscAdder', '_gradWeight', '_gradWeight2', '_ccounts'}) do
      self[name] = nil
   end
   return parent.clearState(self)
end

function Kmeans:type(typename, tensorCache)
   self:clearState()
   return parent.type(self, typename, tensorCache)
end

return Kmeans
