-- Integer tensor types have no nn kernels: reaching for one (t.nn.X) says so.

local integer_only = {
   __index = function(_, key)
      error('nn.' .. key .. ' is only supported for Float or Double Tensors.', 2)
   end
}

for _, name in ipairs({'ByteTensor', 'CharTensor', 'ShortTensor', 'IntTensor', 'LongTensor'}) do
   local class = torch[name]
   class.nn = setmetatable({}, integer_only)
end
