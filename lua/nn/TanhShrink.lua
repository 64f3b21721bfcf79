-- nn.TanhShrink: x - tanh(x).

local TanhShrink, parent = torch.class('nn.TanhShrink', 'nn.Module')

function TanhShrink:__init()
   parent.__init(self)
   self.tanh = nn.Tanh()
end

function TanhShrink:updateOutput(input)
   local th = self.tanh:updateOutput(input)
   return self.output:resizeAs(input):copy(input):add(-1, th)
end

function TanhShrink:updateGradInput(input, gradOutput)
   local dth = self.tanh:updateGradInput(input, gradOutput)
   return self.gradInput:resizeAs(input):copy(gradOutput):add(-1, dth)
end

return TanhShrink
