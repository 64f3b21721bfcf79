-- nn.LayerNormalization(nOutput[, bias[, eps[, affine]]]): each sample centred and scaled
-- to a root-mean-square of 1 over its nOutput features (Ba et al., 2016), then, with
-- affine (the default), multiplied by a learnt gain (starting at 1) and shifted by a learnt
-- bias (starting at `bias`, default 0).

local LayerNormalization, parent = torch.class('nn.LayerNormalization', 'nn.Sequential')

function LayerNormalization:__init(nOutput, bias, eps, affine)
   parent.__init(self)
   eps = eps or 1e-10
   if affine == nil then affine = true end
   bias = bias or 0
   local mean = nn.Sequential():add(nn.Mean(1, 1)):add(nn.Replicate(nOutput, 1, 1))
   self:add(nn.ConcatTable():add(nn.Identity()):add(mean))
   self:add(nn.CSubTable())
   self:add(nn.Normalize(2, eps))
   self:add(nn.MulConstant(math.sqrt(nOutput)))
   if affine then
      local gain = nn.CMul(nOutput)
      gain.weight:fill(1)
      local shift = nn.Add(nOutput, false)
      shift.bias:fill(bias)
      self:add(gain)
      self:add(shift)
   end
end

return LayerNormalization
