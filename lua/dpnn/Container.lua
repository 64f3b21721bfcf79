-- What dpnn adds to nn.Container: adding several modules at once, and sparse parameters
-- gathered from the children with their places in the whole.

local Container = nn.Container

function Container:extend(...)
   for _, module in ipairs({...}) do self:add(module) end
   return self
end

-- The children's sparse parameters, each child's numbered after the previous children's
-- (a sparse child reports how many places it spans as its fourth result).
function Container:sparseParameters()
   local params, gradParams, scales, size = {}, {}, {}, 0
   for _, module in ipairs(self.modules) do
      local mParams, mGradParams, mScales, mSize = module:sparseParameters()
      if mParams then
         for k, param in pairs(mParams) do
            params[size + k] = param
            gradParams[size + k] = mGradParams[k]
            scales[size + k] = mScales and mScales[k]
         end
         size = size + (mSize or #mParams)
      end
   end
   return params, gradParams, scales, size
end

return Container
