-- nn.MixtureTable([dim]): a mixture of experts, sum_i g_i * e_i, from the table
-- {gater, experts}: gater holds the weights g (a vector, or a batch of them), experts is a
-- table of tensors e_i or one tensor with the experts along dimension dim (default 2 for a
-- batch, 1 otherwise).

local MixtureTable, parent = torch.class('nn.MixtureTable', 'nn.Module')

function MixtureTable:__init(dim)
   parent.__init(self)
   self.dim = dim
   self.size = torch.LongStorage()
   self.batchSize = 0
   self.size2 = torch.LongStorage()
   self.backwardSetup = false
   self.gradInput = {}
end

function MixtureTable:updateOutput(input)
   local gater, experts = input[1], input[2]
   self._gaterView = self._gaterView or gater.new()
   self._expert = self._expert or gater.new()
   self._expertView = self._expertView or gater.new()
   self.dimG = 2
   local batchSize = gater:size(1)
   if gater:dim() < 2 then
      self.dimG = 1
      self.dim = self.dim or 1
      batchSize = 1
   end
   self.dim = self.dim or 2
   self.batchSize = batchSize
   local first = self.table or torch.type(experts) == 'table'
   local dims = first and experts[1]:dim() + 1 or experts:dim()
   -- the gater seen with the experts' shape: sizes 1 but the batch and expert dimensions
   self.size:resize(dims):fill(1)
   if self.dimG > 1 then self.size[1] = gater:size(1) end
   self.size[self.dim] = gater:size(self.dimG)
   self._gaterView:view(gater, self.size)
   if first then
      self.table = true
      if gater:size(self.dimG) ~= #experts then
         error(string.format('nn.MixtureTable: Should be one gater output per expert: '
            .. '%d gater outputs, %d experts', gater:size(self.dimG), #experts), 3)
      end
      self.output:resizeAs(experts[1]):zero()
      for i, expert in ipairs(experts) do
         self.output:addcmul(expert, self._gaterView:select(self.dim, i):expandAs(expert))
      end
   else
      self._expert:cmul(self._gaterView:expandAs(experts), experts)
      self.output:sum(self._expert, self.dim)
      self.output:resizeAs(experts:select(self.dim, 1))
   end
   return self.output
end

-- d/dg_i = sum(gradOutput * e_i) per sample; d/de_i = g_i * gradOutput.
function MixtureTable:updateGradInput(input, gradOutput)
   local gater, experts = input[1], input[2]
   nn.utils.recursiveResizeAs(self.gradInput, input)
   local gaterGrad, expertGrads = self.gradInput[1], self.gradInput[2]
   self._sum = self._sum or gater.new()
   self._expertView2 = self._expertView2 or gater.new()
   self._expert2 = self._expert2 or gater.new()
   gaterGrad:resizeAs(gater)
   if self.table then
      for i, expert in ipairs(experts) do
         expertGrads[i] = expertGrads[i] or expert:clone()
         expertGrads[i]:resizeAs(expert)
      end
      for i = #experts + 1, #expertGrads do expertGrads[i] = nil end
      for i, expertGrad in ipairs(expertGrads) do
         self._expert:cmul(gradOutput, experts[i])
         if self.dimG == 1 then
            self._expertView:view(self._expert, -1)
         else
            self._expertView:view(self._expert, gradOutput:size(1), -1)
         end
         self._sum:sum(self._expertView, self.dimG)
         if self.dimG == 1 then
            gaterGrad[i] = self._sum:select(self.dimG, 1)
         else
            gaterGrad:select(self.dimG, i):copy(self._sum:select(self.dimG, 1))
         end
         expertGrad:cmul(self._gaterView:select(self.dim, i):expandAs(expertGrad), gradOutput)
      end
   else
      self.size2:resize(experts:dim()):copy(experts:size())
      self.size2[self.dim] = 1
      local grad = self._expertView:view(gradOutput, self.size2):expandAs(experts)
      self._expert:cmul(grad, experts)
      local products = self._expert:transpose(self.dim, self.dimG)
      if not products:isContiguous() then
         products = self._expert2:resizeAs(products):copy(products)
      end
      if self.dimG == 1 then
         self._expertView2:view(products, gater:size(1), -1)
      else
         self._expertView2:view(products, gater:size(1), gater:size(2), -1)
      end
      gaterGrad:sum(self._expertView2, self.dimG + 1)
      gaterGrad:resizeAs(gater)
      expertGrads:cmul(self._gaterView:expandAs(experts), grad)
   end
   return self.gradInput
end

function MixtureTable:type(typename, tensorCache)
   self._gaterView, self._expert, self._expertView = nil, nil, nil
   self._sum, self._expert2, self._expertView2 = nil, nil, nil
   return parent.type(self, typename, tensorCache)
end

function MixtureTable:clearState()
   nn.utils.clear(self, {'_gaterView', '_expert', '_expertView', '_sum', '_expert2',
      '_expertView2'})
   return parent.clearState(self)
end

return MixtureTable
