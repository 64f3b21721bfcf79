-- nn.SpatialDilatedMaxPooling(kW, kH[, dW, dH, padW, padH, dilationW, dilationH]): a
-- SpatialMaxPooling whose window taps are dilation apart (default 1).

local SpatialDilatedMaxPooling, parent = torch.class('nn.SpatialDilatedMaxPooling',
   'nn.SpatialMaxPooling')

function SpatialDilatedMaxPooling:__init(kW, kH, dW, dH, padW, padH, dilationW, dilationH)
   parent.__init(self, kW, kH, dW, dH, padW, padH)
   self.dilationW = dilationW or 1
   self.dilationH = dilationH or 1
end

return SpatialDilatedMaxPooling
