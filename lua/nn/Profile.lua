-- nn.Profile(module[, print_interval[, name]]): runs module and prints, every
-- print_interval (default 100) forward or backward passes, the time they took.

local Profile, parent = torch.class('nn.Profile', 'nn.Decorator')

function Profile:__init(module, print_interval, name)
   parent.__init(self, module)
   self.print_interval = print_interval or 100
   self.name = name or torch.type(module)
   self.module = module
   self.numFwds = 0
   self.numBwds = 0
   self.summedFwdTime = 0
   self.summedBwdTime = 0
   self.timer = torch.Timer()
end

-- Counts one pass of `kind` ('Fwd' or 'Bwd') that took `seconds`, printing when due.
function Profile:account(kind, seconds, label)
   local count, total = 'num' .. kind .. 's', 'summed' .. kind .. 'Time'
   self[total] = self[total] + seconds
   self[count] = self[count] + 1
   if self[count] % self.print_interval == 0 then
      print(string.format('%s took %.3f seconds for %d %s passes', self.name, self[total],
         self.print_interval, label))
      self[count] = 0
      self[total] = 0
   end
end

function Profile:updateOutput(input)
   self.timer:reset()
   self.output = self.module:updateOutput(input)
   self:account('Fwd', self.timer:time().real, 'forward')
   return self.output
end

function Profile:updateGradInput(input, gradOutput)
   self.timer:reset()
   self.gradInput = self.module:updateGradInput(input, gradOutput)
   self:account('Bwd', self.timer:time().real, 'backward')
   return self.gradInput
end

return Profile
