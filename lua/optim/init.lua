-- require 'optim': optimisation algorithms over a flat parameter tensor. Each takes
-- (opfunc, x, config, state): opfunc(x) returns f(x) and df/dx; x is updated in place;
-- state carries what the method remembers between calls (config doubles as the state when
-- no state is given).

require 'torch'

optim = optim or {}

require 'optim.sgd'
require 'optim.cg'
require 'optim.asgd'
require 'optim.nag'
require 'optim.fista'
require 'optim.lbfgs'
require 'optim.adagrad'
require 'optim.rprop'
require 'optim.adam'
require 'optim.adamax'
require 'optim.rmsprop'
require 'optim.adadelta'
require 'optim.cmaes'
require 'optim.de'

require 'optim.lswolfe'
require 'optim.polyinterp'
require 'optim.checkgrad'

require 'optim.ConfusionMatrix'
require 'optim.Logger'

return optim
