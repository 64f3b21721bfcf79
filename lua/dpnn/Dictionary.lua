-- nn.Dictionary: dpnn's sparse lookup table, deprecated by dpnn itself in favour of
-- nn.LookupTable. Constructing one is an error, as in dpnn's last release; one read from
-- an old model file works as the nn.LookupTable it extends.

local Dictionary = torch.class('nn.Dictionary', 'nn.LookupTable')

function Dictionary:__init()
   error('nn.Dictionary is deprecated (DEPRECATED Jan 14, 2016): use nn.LookupTable', 2)
end

return Dictionary
