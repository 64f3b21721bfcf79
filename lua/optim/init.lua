-- require 'optim': optimisation algorithms over a flat parameter tensor. Each takes
-- (opfunc, x, config, state): opfunc(x) returns f(x) and df/dx; x is updated in place;
-- state carries what the method remembers between calls (config doubles as the state when
-- no state is given).

require 'torch'

optim = optim or {}

require 'optim.sgd'
require 'optim.Logger'

return optim
