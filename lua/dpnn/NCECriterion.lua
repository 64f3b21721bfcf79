-- nn.NCECriterion(): the loss of noise-contrastive estimation, for nn.NCEModule's output
-- {Pmt, Pms, Pnt, Pns} (model and noise probabilities of the targets and of the k noise
-- classes; the target argument is not used). NCE trains a classifier telling the data
-- from k times as many noise draws:
--    P(data | target)  = Pmt / (Pmt + k Pnt)
--    P(noise | sample) = k Pns / (Pms + k Pns)
--    loss = -(sum ln P(data | target) + sum ln P(noise | sample))
-- (divided by the batch size with sizeAverage). Its gradients with respect to the model
-- probabilities are
--    d loss / d Pmt = -k Pnt / (Pmt (Pmt + k Pnt)),    d loss / d Pms = 1 / (Pms + k Pns);
-- the noise probabilities get zeros.

local NCECriterion, parent = torch.class('nn.NCECriterion', 'nn.Criterion')

-- Keeps the divisions finite when a probability underflows to zero.
local tiny = 1e-7

function NCECriterion:__init()
   parent.__init(self)
   self.sizeAverage = true
   self.gradInput = {torch.Tensor(), torch.Tensor(), torch.Tensor(), torch.Tensor()}
end

local function unpackInput(input)
   if torch.type(input) ~= 'table' or #input ~= 4 then
      error('nn.NCECriterion: expecting input {Pmt, Pms, Pnt, Pns} (an nn.NCEModule\'s output)',
         3)
   end
   local Pmt, Pms, Pnt, Pns = input[1], input[2], input[3], input[4]
   if Pmt:dim() ~= 1 or Pms:dim() ~= 2 or Pnt:dim() ~= 1 or Pns:dim() ~= 2 then
      error('nn.NCECriterion: expecting Pmt, Pnt of one dimension and Pms, Pns of two', 3)
   end
   return Pmt, Pms, Pnt, Pns, Pms:size(2)
end

function NCECriterion:updateOutput(input, target)
   local Pmt, Pms, Pnt, Pns, k = unpackInput(input)
   -- the denominators, kept for the backward
   self._Pomdiv = self._Pomdiv or Pmt.new()
   self._Pomdiv:resizeAs(Pmt):copy(Pmt):add(k, Pnt):add(tiny)
   self._Pondiv = self._Pondiv or Pms.new()
   self._Pondiv:resizeAs(Pms):copy(Pms):add(k, Pns):add(tiny)
   self._Pom = self._Pom or Pmt.new()
   self._Pom:cdiv(Pmt, self._Pomdiv)
   self._Pon = self._Pon or Pns.new()
   self._Pon:resizeAs(Pns):copy(Pns):mul(k):cdiv(self._Pondiv)
   self.output = -(self._Pom:log():sum() + self._Pon:log():sum())
   if self.sizeAverage then self.output = self.output / Pmt:size(1) end
   return self.output
end

function NCECriterion:updateGradInput(input, target)
   local Pmt, Pms, Pnt, Pns, k = unpackInput(input)
   if not self._Pomdiv then
      error('nn.NCECriterion: backward needs the forward just before it', 2)
   end
   local gradPmt, gradPms = self.gradInput[1], self.gradInput[2]
   gradPmt:resizeAs(Pnt):copy(Pnt):mul(-k):cdiv(self._Pomdiv):cdiv(torch.add(Pmt, tiny))
   gradPms:resizeAs(Pms):copy(Pms):cdiv(self._Pondiv):cdiv(torch.add(Pms, tiny))
   self.gradInput[3]:resizeAs(Pnt):zero()
   self.gradInput[4]:resizeAs(Pns):zero()
   if self.sizeAverage then
      gradPmt:div(Pmt:size(1))
      gradPms:div(Pmt:size(1))
   end
   return self.gradInput
end

return NCECriterion
