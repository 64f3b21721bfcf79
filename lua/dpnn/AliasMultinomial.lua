-- torch.AliasMultinomial(probs): torchx's sampler of a fixed discrete distribution by
-- Walker's alias method, which nn.NCEModule uses to draw its noise: the set-up costs O(n)
-- once, then every draw O(1). Defined here when torchx is not loaded, with torchx's
-- fields (J the aliases, q the thresholds), so that saved NCEModules load. The draws are
-- torch.multinomialAlias's; the tables are built here, as torchx did, because
-- torch.multinomialAliasSetup (as Torch7's C code it follows) gives every column whose
-- alias is outcome 1 a threshold of 1, taking that share from outcome 1.

if torch.AliasMultinomial then return torch.AliasMultinomial end

local AliasMultinomial = torch.class('torch.AliasMultinomial')

function AliasMultinomial:__init(probs)
   self.J, self.q = self:setup(probs)
end

-- The alias and threshold tables of probs (a vector, normalised here).
function AliasMultinomial:setup(probs)
   if not torch.isTensor(probs) or probs:dim() ~= 1 then
      error('torch.AliasMultinomial: expecting a vector of probabilities', 3)
   end
   local total = probs:sum()
   if probs:min() < 0 or not (total > 0) then
      error('torch.AliasMultinomial: expecting non-negative probabilities of positive sum', 3)
   end
   -- Column i keeps outcome i with probability q[i] and gives the rest to J[i]: each
   -- column below 1 is filled up by an outcome above 1, which may then fall below 1.
   local n = probs:size(1)
   local q = torch.DoubleTensor(n):copy(probs):mul(n / total):totable()
   local alias, below, above = {}, {}, {}
   for i = 1, n do
      alias[i] = i
      table.insert(q[i] < 1 and below or above, i)
   end
   while #below > 0 and #above > 0 do
      local small, large = table.remove(below), above[#above]
      alias[small] = large
      q[large] = q[large] - (1 - q[small])
      if q[large] < 1 then table.insert(below, table.remove(above)) end
   end
   -- what is left differs from 1 by rounding only
   for _, i in ipairs(below) do q[i] = 1 end
   for _, i in ipairs(above) do q[i] = 1 end
   return torch.LongTensor(alias), torch.DoubleTensor(q)
end

-- One index drawn from the distribution.
function AliasMultinomial:draw()
   self._one = self._one or torch.LongTensor(1)
   return self:batchdraw(self._one)[1]
end

-- output (a LongTensor of any size) filled with independent draws.
function AliasMultinomial:batchdraw(output)
   if torch.type(output) ~= 'torch.LongTensor' or output:nElement() == 0 then
      error('torch.AliasMultinomial: expecting a non-empty LongTensor to fill', 2)
   end
   if output:isContiguous() then
      torch.multinomialAlias(output:view(-1), {self.J, self.q})
   else
      self._draws = self._draws or torch.LongTensor()
      self._draws:resize(output:nElement())
      torch.multinomialAlias(self._draws, {self.J, self.q})
      output:copy(self._draws:view(output:size()))
   end
   return output
end

return AliasMultinomial
