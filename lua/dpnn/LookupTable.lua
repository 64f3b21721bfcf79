-- nn.LookupTable's rows are its embeddings, one per index: maxParamNorm bounds each
-- embedding (rows) by maxOutNorm, and the columns by maxInNorm.

local LookupTable = nn.LookupTable

function LookupTable:maxParamNorm(maxOutNorm, maxInNorm)
   maxOutNorm = self.maxOutNorm or maxOutNorm or self.maxInNorm or maxInNorm
   if not (maxOutNorm or maxInNorm) then return end
   if maxOutNorm and maxOutNorm > 0 then self.weight:renorm(2, 2, maxOutNorm) end
   if maxInNorm and maxInNorm > 0 then self.weight:renorm(2, 1, maxInNorm) end
end

return LookupTable
