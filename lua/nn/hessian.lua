-- nn.hessian: estimates of the diagonal of the Hessian (LeCun's diagonal approximation,
-- the second derivatives' cross terms dropped), for conditioning learning rates per
-- parameter. Experimental in the original too, so off until nn.hessian.enable() adds the
-- methods: updateDiagHessianInput, accDiagHessianParameters, initDiagHessianParameters
-- (and parameters()/getParameters() also returning the diagonal Hessian's tensors).
--
-- For a module linear in its parameters, the diagonal Hessian with respect to the input
-- is the input gradient computed with the weights squared, and with respect to the
-- weights, the parameter gradient of the input squared: both are the module's own
-- backward pass run on squared tensors swapped into place.

nn.hessian = {}

-- Swaps the fields a[i] and b[i] of module.
local function swap(module, a, b)
   for i = 1, #a do module[a[i]], module[b[i]] = module[b[i]], module[a[i]] end
end

-- gw: gradient field names; hw: the Hessian fields they accumulate into.
local function accDiagHessianParameters(module, input, diagHessianOutput, gw, hw)
   if #gw ~= #hw then error('Number of gradients is not equal to number of hessians', 2) end
   module.inputSq = module.inputSq or input.new()
   torch.cmul(module.inputSq:resizeAs(input), input, input)
   for i = 1, #gw do
      module[hw[i]] = module[hw[i]] or module[gw[i]].new():resizeAs(module[gw[i]])
   end
   swap(module, gw, hw)
   local output = module.output
   module.output = output.new():resizeAs(output)
   module.forward(module, module.inputSq)
   module.accGradParameters(module, module.inputSq, diagHessianOutput, 1)
   swap(module, gw, hw)
   module.output = output
end

-- w: weight field names; wsq: fields for their squares.
local function updateDiagHessianInput(module, input, diagHessianOutput, w, wsq)
   if #w ~= #wsq then error('Number of weights is not equal to number of weights squares', 2) end
   module.diagHessianInput = module.diagHessianInput or input.new()
   module.diagHessianInput:resizeAs(input):zero()
   local gradInput = module.gradInput
   module.gradInput = module.diagHessianInput
   for i = 1, #w do
      module[wsq[i]] = module[wsq[i]] or module[w[i]].new()
      torch.cmul(module[wsq[i]]:resizeAs(module[w[i]]), module[w[i]], module[w[i]])
   end
   swap(module, w, wsq)
   module.updateGradInput(module, input, diagHessianOutput)
   swap(module, w, wsq)
   module.gradInput = gradInput
end

-- Element-wise modules: (f'(x))^2 times diagHessianOutput.
local function updateDiagHessianInputPointWise(module, input, diagHessianOutput)
   local ones = diagHessianOutput.new():resizeAs(diagHessianOutput):fill(1)
   updateDiagHessianInput(module, input, ones, {}, {})
   module.diagHessianInput:cmul(module.diagHessianInput):cmul(diagHessianOutput)
end

local function initDiagHessianParameters(module, gw, hw)
   module.diagHessianInput = module.diagHessianInput or module.gradInput.new()
   for i = 1, #gw do
      module[hw[i]] = module[hw[i]] or module[gw[i]].new():resizeAs(module[gw[i]])
   end
end

nn.hessian.accDiagHessianParameters = accDiagHessianParameters
nn.hessian.updateDiagHessianInput = updateDiagHessianInput
nn.hessian.updateDiagHessianInputPointWise = updateDiagHessianInputPointWise
nn.hessian.initDiagHessianParameters = initDiagHessianParameters

local GRADS, HESSIANS = {'gradWeight', 'gradBias'}, {'diagHessianWeight', 'diagHessianBias'}

-- The methods of a module linear in weight (and bias), squared weights named by `squared`.
local function linear_methods(class, weights, squares)
   class.updateDiagHessianInput = function(self, input, diagHessianOutput)
      updateDiagHessianInput(self, input, diagHessianOutput, weights, squares)
      return self.diagHessianInput
   end
   class.accDiagHessianParameters = function(self, input, diagHessianOutput)
      accDiagHessianParameters(self, input, diagHessianOutput, GRADS, HESSIANS)
   end
   class.initDiagHessianParameters = function(self)
      initDiagHessianParameters(self, GRADS, HESSIANS)
   end
end

-- Appends `items` (a tensor or nested lists) to `list`.
local function append(list, items)
   if torch.type(items) == 'table' then
      for i = 1, #items do append(list, items[i]) end
   else
      list[#list + 1] = items
   end
end

local function install()
   function nn.Module.updateDiagHessianInput(self)
      error(torch.typename(self) .. ':updateDiagHessianInput() is undefined', 2)
   end
   function nn.Module.accDiagHessianParameters() end
   function nn.Module.initDiagHessianParameters() end

   function nn.Sequential.initDiagHessianParameters(self)
      for _, module in ipairs(self.modules) do module:initDiagHessianParameters() end
   end

   function nn.Sequential.updateDiagHessianInput(self, input, diagHessianOutput)
      local current = diagHessianOutput
      for i = #self.modules, 2, -1 do
         current = self.modules[i]:updateDiagHessianInput(self.modules[i - 1].output, current)
      end
      current = self.modules[1]:updateDiagHessianInput(input, current)
      self.diagHessianInput = current
      return current
   end

   function nn.Sequential.accDiagHessianParameters(self, input, diagHessianOutput)
      local current = diagHessianOutput
      for i = #self.modules, 2, -1 do
         self.modules[i]:accDiagHessianParameters(self.modules[i - 1].output, current)
         current = self.modules[i].diagHessianInput
      end
      self.modules[1]:accDiagHessianParameters(input, current)
   end

   function nn.Criterion.updateDiagHessianInput(self)
      error(torch.typename(self) .. ':updateDiagHessianInput() is undefined', 2)
   end

   -- the MSE's second derivative is the constant 2 (over the element count)
   function nn.MSECriterion.updateDiagHessianInput(self, input)
      self.diagHessianInput = self.diagHessianInput or input.new()
      local value = self.sizeAverage and 2 / input:nElement() or 2
      self.diagHessianInput:resizeAs(input):fill(value)
      return self.diagHessianInput
   end
   nn.WeightedMSECriterion.updateDiagHessianInput = nn.MSECriterion.updateDiagHessianInput

   function nn.L1Cost.updateDiagHessianInput(self, input)
      self.diagHessianInput = self.diagHessianInput or input.new()
      self.diagHessianInput:resizeAs(input):fill(1)
      self.diagHessianInput[torch.eq(input, 0)] = 0
      return self.diagHessianInput
   end

   linear_methods(nn.Linear, {'weight'}, {'weightSq'})
   linear_methods(nn.SpatialConvolution, {'weight'}, {'weightSq'})
   linear_methods(nn.SpatialConvolutionLocal, {'weight'}, {'weightSq'})
   linear_methods(nn.SpatialFullConvolution, {'weight'}, {'weightSq'})
   linear_methods(nn.SpatialConvolutionMap, {'weight', 'bias'}, {'weightSq', 'biasSq'})
   linear_methods(nn.SpatialFullConvolutionMap, {'weight'}, {'weightSq'})

   for _, class in ipairs({nn.Tanh, nn.Square, nn.Sqrt}) do
      class.updateDiagHessianInput = function(self, input, diagHessianOutput)
         updateDiagHessianInputPointWise(self, input, diagHessianOutput)
         return self.diagHessianInput
      end
   end

   function nn.TanhShrink.updateDiagHessianInput(self, input, diagHessianOutput)
      updateDiagHessianInputPointWise(self.tanh, input, diagHessianOutput)
      self.diagHessianInput = self.diagHessianInput or input.new():resizeAs(input)
      torch.add(self.diagHessianInput, self.tanh.diagHessianInput, diagHessianOutput)
      return self.diagHessianInput
   end

   function nn.Reshape.updateDiagHessianInput(self, input, diagHessianOutput)
      self.diagHessianInput = self.diagHessianInput or input.new()
      self.diagHessianInput:set(diagHessianOutput:contiguous()):resizeAs(input)
      return self.diagHessianInput
   end

   -- parameters() and getParameters() also give the diagonal Hessian's tensors
   function nn.Module.parameters(self)
      if self.weight and self.bias then
         return {self.weight, self.bias}, {self.gradWeight, self.gradBias},
            {self.diagHessianWeight, self.diagHessianBias}
      elseif self.weight then
         return {self.weight}, {self.gradWeight}, {self.diagHessianWeight}
      elseif self.bias then
         return {self.bias}, {self.gradBias}, {self.diagHessianBias}
      end
   end

   function nn.Module.getParameters(self)
      local parameters, gradParameters, hessianParameters = self:parameters()
      local flatParameters = nn.Module.flatten(parameters)
      local flatGradParameters = nn.Module.flatten(gradParameters)
      local flatHessianParameters
      if hessianParameters and hessianParameters[1] then
         flatHessianParameters = nn.Module.flatten(hessianParameters)
      end
      return flatParameters, flatGradParameters, flatHessianParameters
   end

   function nn.Sequential.parameters(self)
      local w, gw, hw = {}, {}, {}
      for _, module in ipairs(self.modules) do
         local mw, mgw, mhw = module:parameters()
         if mw then
            append(w, mw)
            append(gw, mgw)
            append(hw, mhw)
         end
      end
      return w, gw, hw
   end
end

local enabled = false

function nn.hessian.enable()
   if not enabled then
      install()
      enabled = true
   end
end

return nn.hessian
