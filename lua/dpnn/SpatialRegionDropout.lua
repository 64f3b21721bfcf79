-- nn.SpatialRegionDropout([p]): in training, zeroes a band of floor(p * size) rows or
-- columns along one edge of every image (top, bottom, left or right, drawn with
-- torch.random(4) per forward), as a badly placed bounding box would, and scales the rest
-- by 1 / (1 - p); p defaults to 0.2. Images are planes x height x width or batches of them.
-- In evaluation the input passes unchanged.

local SpatialRegionDropout, parent = torch.class('nn.SpatialRegionDropout', 'nn.Module')

local function check_ratio(p)
   if p >= 1 or p < 0 then
      error('<SpatialRegionDropout> illegal percentage, must be 0 <= p < 1', 3)
   end
end

function SpatialRegionDropout:__init(p)
   parent.__init(self)
   self.p = p or 0.2
   check_ratio(self.p)
   self.train = true
   self.noise = torch.Tensor()
end

function SpatialRegionDropout:setp(p)
   check_ratio(p)
   self.p = p
end

-- Which edge loses its band: 1 top rows, 2 bottom rows, 3 left columns, 4 right columns.
local edge_dimension = {0, 0, 1, 1}
local at_the_end = {false, true, false, true}

function SpatialRegionDropout:updateOutput(input)
   local dim = input:dim()
   if dim ~= 3 and dim ~= 4 then
      error('Input must be 4D (nbatch, nfeat, h, w) or 3D (nfeat, h, w)', 2)
   end
   self.output:resizeAs(input):copy(input)
   if self.train then
      self.regionType = torch.random(4)
      local along = dim - 1 + edge_dimension[self.regionType]
      local size = input:size(along)
      local band = math.floor(size * self.p)
      self.noise:resizeAs(input):fill(1 / (1 - self.p))
      if band > 0 then
         local first = at_the_end[self.regionType] and size - band + 1 or 1
         self.noise:narrow(along, first, band):zero()
      end
      self.output:cmul(self.noise)
   end
   return self.output
end

function SpatialRegionDropout:updateGradInput(input, gradOutput)
   if not self.train then error('Backpropagation is only defined for training.', 2) end
   self.gradInput:resizeAs(gradOutput):copy(gradOutput):cmul(self.noise)
   return self.gradInput
end

function SpatialRegionDropout:__tostring__()
   return string.format('%s p: %f', torch.type(self), self.p)
end

return SpatialRegionDropout
