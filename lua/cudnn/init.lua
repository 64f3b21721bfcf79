-- require 'cudnn': the cudnn.* module names that legacy GPU scripts use, as subclasses of
-- their nn counterparts running cunn's CUDA kernels (there is no cuDNN library behind
-- them), and cudnn.convert(net, cudnn | nn[, exclude]) to switch a network's modules
-- between the two families in place, as the original did.

require 'cunn'

local cudnn = {}
rawset(_G, 'cudnn', cudnn)

-- the original's tuning switches; our kernels have one algorithm each, so they are recorded
-- for scripts that read them back and otherwise change nothing
cudnn.benchmark = false
cudnn.fastest = false
cudnn.verbose = false

-- cudnn name -> the nn class it stands for
local COUNTERPARTS = {
   SpatialConvolution = 'nn.SpatialConvolution',
   SpatialMaxPooling = 'nn.SpatialMaxPooling',
   SpatialAveragePooling = 'nn.SpatialAveragePooling',
   SpatialBatchNormalization = 'nn.SpatialBatchNormalization',
   BatchNormalization = 'nn.BatchNormalization',
   ReLU = 'nn.ReLU',
   Tanh = 'nn.Tanh',
   Sigmoid = 'nn.Sigmoid',
   SoftMax = 'nn.SoftMax',
   LogSoftMax = 'nn.LogSoftMax',
}

for name, parent_name in pairs(COUNTERPARTS) do
   torch.class('cudnn.' .. name, parent_name, cudnn)
end

-- cudnn.SpatialConvolution(nIn, nOut, kW, kH, dW, dH, padW, padH, groups): groups other
-- than 1 are not implemented
function cudnn.SpatialConvolution:__init(nIn, nOut, kW, kH, dW, dH, padW, padH, groups)
   if groups and groups ~= 1 then
      error('cudnn.SpatialConvolution: groups other than 1 are not implemented', 2)
   end
   nn.SpatialConvolution.__init(self, nIn, nOut, kW, kH, dW, dH, padW, padH)
end

-- The original wrote cuDNN descriptors into modules; ours have none to clear.
function cudnn.SpatialConvolution:clearDesc() return self end

local function family_of(dst)
   if dst == cudnn then return 'cudnn' end
   if dst == nn then return 'nn' end
   error('cudnn.convert: the destination must be cudnn or nn', 3)
end

-- The class name a module takes in the `to` family, or nil when it has no counterpart.
local function counterpart(module, to)
   local name = torch.type(module)
   local short = name:match('^cudnn%.(.+)$') or name:match('^nn%.(.+)$')
   if not short or not COUNTERPARTS[short] then return nil end
   local target = to .. '.' .. short
   if target == name then return nil end
   return target
end

-- Converts net's modules (and net itself) in place: each keeps its fields and changes
-- class. exclude(module) returning true leaves a module (and what it contains) as it is.
function cudnn.convert(net, dst, exclude)
   local to = family_of(dst)
   local function convert(module)
      if exclude and exclude(module) then return module end
      local target = counterpart(module, to)
      if target then torch.setmetatable(module, target) end
      if type(module.modules) == 'table' then
         for i, child in ipairs(module.modules) do module.modules[i] = convert(child) end
      end
      return module
   end
   return convert(net)
end

return cudnn
