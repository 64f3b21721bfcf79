-- nn.Decorator(module): a container of one module that passes everything through to it;
-- the base of modules that change how another runs (nn.Bottle, nn.NaN, ...).

local Decorator, parent = torch.class('nn.Decorator', 'nn.Container')

function Decorator:__init(module)
   parent.__init(self)
   self.modules[1] = module
end

function Decorator:updateOutput(input)
   self.output = self.modules[1]:updateOutput(input)
   return self.output
end

function Decorator:updateGradInput(input, gradOutput)
   self.gradInput = self.modules[1]:updateGradInput(input, gradOutput)
   return self.gradInput
end

function Decorator:accGradParameters(input, gradOutput, scale)
   self.modules[1]:accGradParameters(input, gradOutput, scale)
end

function Decorator:accUpdateGradParameters(input, gradOutput, lr)
   self.modules[1]:accUpdateGradParameters(input, gradOutput, lr)
end

function Decorator:sharedAccUpdateGradParameters(input, gradOutput, lr)
   self.modules[1]:sharedAccUpdateGradParameters(input, gradOutput, lr)
end

function Decorator:__tostring__()
   local inner = self.modules[1]
   local text = inner.__tostring__ and inner:__tostring__() or torch.type(inner)
   return torch.type(self) .. ' @ ' .. text
end

-- Gives another class a Decorator's pass-through methods.
function Decorator.decorate(class)
   for _, name in ipairs({'updateOutput', 'updateGradInput', 'accGradParameters',
         'accUpdateGradParameters', 'sharedAccUpdateGradParameters', '__tostring__'}) do
      class[name] = nn.Decorator[name]
   end
end

return Decorator
