-- nn.SeqBRNN(inputDim, hiddenDim[, batchFirst[, merge]]): a bidirectional nn.SeqLSTM: one
-- SeqLSTM over the sequence (seqlen x batch x inputDim; batch first with batchFirst),
-- another over it reversed, their outputs merged step by step (merge, default
-- nn.CAddTable()).

local SeqBRNN, parent = torch.class('nn.SeqBRNN', 'nn.Container')

function SeqBRNN:__init(inputDim, hiddenDim, batchFirst, merge)
   parent.__init(self)
   self.forwardModule = nn.SeqLSTM(inputDim, hiddenDim)
   self.backwardModule = nn.SeqLSTM(inputDim, hiddenDim)
   self.merge = merge or nn.CAddTable()
   self.dim = 1
   local reversed = nn.Sequential()
      :add(nn.SeqReverseSequence(self.dim))
      :add(self.backwardModule)
      :add(nn.SeqReverseSequence(self.dim))
   local brnn = nn.Sequential()
      :add(nn.ConcatTable():add(self.forwardModule):add(reversed))
      :add(self.merge)
   if batchFirst then
      brnn:insert(nn.Transpose({1, 2}), 1)
      brnn:insert(nn.Transpose({1, 2}))
   end
   self.output = torch.Tensor()
   self.gradInput = torch.Tensor()
   self.module = brnn
   self.modules[1] = brnn
end

nn.Decorator.decorate(SeqBRNN)

return SeqBRNN
