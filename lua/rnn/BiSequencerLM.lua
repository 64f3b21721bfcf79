-- nn.BiSequencerLM(forward[, backward[, merge]]): a bidirectional sequencer for language
-- models, where the output of step t must not see the input of step t. Over a sequence
-- x[1..T] (a table, T >= 2), forward runs over x[1..T-1] in order and backward over
-- x[2..T] in reverse order; the output of step t merges forward's output after x[t-1]
-- (zeros at t = 1) with backward's after x[t+1] (zeros at t = T). forward and backward are
-- recurrent modules (put in an nn.Sequencer) or modules taking whole sequences (a
-- Sequencer or a stack of them); backward defaults to a reset clone of forward, merge to
-- nn.JoinTable(1, 1) (a number n: nn.JoinTable(1, n)). Do not stack BiSequencerLMs: stack
-- the forward and backward sequencers and give those.

local BiSequencerLM, parent = torch.class('nn.BiSequencerLM', 'nn.AbstractSequencer')

local function sequencerOf(module)
   if torch.isTypeOf(module, 'nn.AbstractRecurrent') then return nn.Sequencer(module) end
   return module
end

-- elements first .. last of list, as a new table
local function slice(list, first, last)
   local result = {}
   for i = first, last do result[#result + 1] = list[i] end
   return result
end

function BiSequencerLM:__init(forward, backward, merge)
   nn.BiSequencer.setDirections(self, forward, backward, merge)
   self.fwdSeq = sequencerOf(self.forwardModule)
   self.bwdSeq = sequencerOf(self.backwardModule)
   self.mergeSeq = nn.Sequencer(self.mergeModule)
   self._fwd = self.fwdSeq
   self._bwd = nn.Sequential()
      :add(nn.ReverseTable())
      :add(self.bwdSeq)
      :add(nn.ReverseTable())
   self._merge = nn.Sequential():add(nn.ZipTable()):add(self.mergeSeq)
   parent.__init(self)
   self.modules = {self._fwd, self._bwd, self._merge}
   self.output = {}
   self.gradInput = {}
end

function BiSequencerLM:updateOutput(input)
   if torch.type(input) ~= 'table' then
      error('BiSequencerLM: expecting a table (a sequence) as input, got '
         .. torch.type(input), 2)
   end
   local T = #input
   if T < 2 then error('BiSequencerLM: expecting a sequence of at least 2 steps', 2) end
   local fwdOutput = self._fwd:updateOutput(slice(input, 1, T - 1))
   local bwdOutput = self._bwd:updateOutput(slice(input, 2, T))
   self._firstStep = rnn.recursiveResizeAs(self._firstStep, fwdOutput[1])
   rnn.recursiveFill(self._firstStep, 0)
   self._lastStep = rnn.recursiveResizeAs(self._lastStep, bwdOutput[1])
   rnn.recursiveFill(self._lastStep, 0)
   -- {{zeros, fwd[1], ..., fwd[T-1]}, {bwd[2], ..., bwd[T], zeros}}
   local fromForward, fromBackward = slice(fwdOutput, 1, T - 1), slice(bwdOutput, 1, T - 1)
   table.insert(fromForward, 1, self._firstStep)
   fromBackward[T] = self._lastStep
   self._mergeInput = {fromForward, fromBackward}
   self.output = self._merge:updateOutput(self._mergeInput)
   return self.output
end

function BiSequencerLM:updateGradInput(input, gradOutput)
   local T = #input
   local mergeGradInput = self._merge:updateGradInput(self._mergeInput, gradOutput)
   -- the gradients arriving at the outputs of forward and backward (their steps 1..T-1)
   self._gradForward = slice(mergeGradInput[1], 2, T)
   self._gradBackward = slice(mergeGradInput[2], 1, T - 1)
   local fwdGradInput = self._fwd:updateGradInput(slice(input, 1, T - 1), self._gradForward)
   local bwdGradInput = self._bwd:updateGradInput(slice(input, 2, T), self._gradBackward)
   -- x[t] reached forward's step t (t < T) and backward's step t - 1 (t > 1)
   self._sums = self._sums or {}
   self.gradInput = {fwdGradInput[1]}
   for t = 2, T - 1 do
      self._sums[t] = rnn.recursiveCopy(self._sums[t], fwdGradInput[t])
      self.gradInput[t] = rnn.recursiveAdd(self._sums[t], bwdGradInput[t - 1])
   end
   self.gradInput[T] = bwdGradInput[T - 1]
   return self.gradInput
end

function BiSequencerLM:accGradParameters(input, gradOutput, scale)
   local T = #input
   self._merge:accGradParameters(self._mergeInput, gradOutput, scale)
   self._fwd:accGradParameters(slice(input, 1, T - 1), self._gradForward, scale)
   self._bwd:accGradParameters(slice(input, 2, T), self._gradBackward, scale)
end

function BiSequencerLM:__tostring__()
   local function show(module) return tostring(module):gsub('\n', '\n    |    ') end
   return torch.type(self) .. ' {\n'
      .. '  (  fwd  ): ' .. show(self._fwd) .. '\n'
      .. '  (  bwd  ): ' .. show(self._bwd) .. '\n'
      .. '  ( merge ): ' .. show(self._merge) .. '\n'
      .. '}'
end

return BiSequencerLM
