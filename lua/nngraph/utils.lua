-- Small helpers of nngraph (require 'nngraph.utils' returns them, as in the original).

local utils = {}

-- A torch object (its class name), or false/nil.
function utils.istorchclass(x)
   return type(x) == 'table' and torch.typename(x)
end

-- A plain Lua table, not a torch object.
function utils.istable(x)
   return type(x) == 'table' and not torch.typename(x)
end

-- The message for a value found where an nngraph.Node was expected (item idx of the list
-- named `array`).
function utils.expectingNodeErrorMessage(badVal, array, idx)
   if badVal == nil then
      return string.format('%s[%d] is nil (typo / bad index?)', array, idx)
   elseif torch.isTypeOf(badVal, 'nn.Module') then
      return string.format('%s[%d] is an nn.Module, specifically a %s, but the only valid '
         .. 'thing to pass is an instance of nngraph.Node. Did you forget a second set of '
         .. 'parens, which convert a nn.Module to a nngraph.Node?', array, idx,
         torch.typename(badVal))
   end
   return string.format('%s[%d] should be an nngraph.Node but is of type %s', array, idx,
      torch.typename(badVal) or type(badVal))
end

-- The largest positive integer key (lists with holes count up to their last item).
function utils.tableMaxN(tbl)
   local n = 0
   for k in pairs(tbl) do
      if type(k) == 'number' and k > n and k == math.floor(k) then n = k end
   end
   return n
end

-- Our own Lua files lie under this folder: frames running them are not user code.
local LIBRARY_ROOT = debug.getinfo(1, 'S').source:match('^@(.*/)nngraph/[^/]*$')

-- The first stack frame (above the caller) running user code, for the labels that tell
-- where a node was declared; nil if there is none.
function utils.userFrame()
   for level = 3, math.huge do
      local info = debug.getinfo(level, 'Sl')
      if not info then return nil end
      local in_library = LIBRARY_ROOT
         and info.source:sub(1, #LIBRARY_ROOT + 1) == '@' .. LIBRARY_ROOT
      if info.what ~= 'C' and not in_library then return info end
   end
end

return utils
