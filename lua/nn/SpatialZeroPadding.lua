-- nn.SpatialZeroPadding(pad_l[, pad_r, pad_t, pad_b]): zeros added around each plane of a
-- 3-D or 4-D input (the others default to pad_l); negative values crop instead.

local SpatialZeroPadding, parent = torch.class('nn.SpatialZeroPadding', 'nn.Module')

function SpatialZeroPadding:__init(pad_l, pad_r, pad_t, pad_b)
   parent.__init(self)
   self.pad_l = pad_l
   self.pad_r = pad_r or self.pad_l
   self.pad_t = pad_t or self.pad_l
   self.pad_b = pad_b or self.pad_l
end

-- The part of `inner` (input-sized) and of `outer` (output-sized) that correspond.
function SpatialZeroPadding:overlap(inner, outer)
   local h = inner:dim() - 1
   local w = h + 1
   local function trim(t, dim, before, after)
      if before < 0 then t = t:narrow(dim, 1 - before, t:size(dim) + before) end
      if after < 0 then t = t:narrow(dim, 1, t:size(dim) + after) end
      return t
   end
   inner = trim(trim(inner, h, self.pad_t, self.pad_b), w, self.pad_l, self.pad_r)
   outer = trim(trim(outer, h, -self.pad_t, -self.pad_b), w, -self.pad_l, -self.pad_r)
   return inner, outer
end

function SpatialZeroPadding:updateOutput(input)
   local n = input:dim()
   if n ~= 3 and n ~= 4 then error('input must be 3 or 4-dimensional', 2) end
   local size = input:size()
   size[n - 1] = size[n - 1] + self.pad_t + self.pad_b
   size[n] = size[n] + self.pad_l + self.pad_r
   if size[n] < 1 or size[n - 1] < 1 then error('input is too small', 2) end
   self.output:resize(size):zero()
   local inner, outer = self:overlap(input, self.output)
   outer:copy(inner)
   return self.output
end

function SpatialZeroPadding:updateGradInput(input, gradOutput)
   if input:dim() ~= 3 and input:dim() ~= 4 then
      error('input must be 3 or 4-dimensional', 2)
   end
   self.gradInput:resizeAs(input):zero()
   local inner, outer = self:overlap(self.gradInput, gradOutput)
   inner:copy(outer)
   return self.gradInput
end

function SpatialZeroPadding:__tostring__()
   return torch.type(self) .. string.format('(l=%d, r=%d, t=%d, b=%d)', self.pad_l,
      self.pad_r, self.pad_t, self.pad_b)
end

return SpatialZeroPadding
