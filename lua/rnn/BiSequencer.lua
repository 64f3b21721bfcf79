-- nn.BiSequencer(forward[, backward[, merge]]): a bidirectional sequencer. forward runs
-- over the sequence in order, backward (default: a reset clone of forward) in reverse
-- order, and at each step merge (a module, or a number n for nn.JoinTable(1, n); default
-- nn.JoinTable(1, 1)) combines their two outputs.

local BiSequencer, parent = torch.class('nn.BiSequencer', 'nn.AbstractSequencer')

-- Sets self.forwardModule, backwardModule and mergeModule from the constructor's
-- arguments (also nn.BiSequencerLM's), with their defaults.
function BiSequencer:setDirections(forward, backward, merge)
   local name = torch.type(self):gsub('^nn%.', '')
   if not torch.isTypeOf(forward, 'nn.Module') then
      error(name .. ': expecting nn.Module instance at arg 1', 3)
   end
   self.forwardModule = forward
   self.backwardModule = backward
   if not backward then
      self.backwardModule = forward:clone()
      self.backwardModule:reset()
   end
   if not torch.isTypeOf(self.backwardModule, 'nn.Module') then
      error(name .. ': expecting nn.Module instance at arg 2', 3)
   end
   if merge == nil or torch.type(merge) == 'number' then
      self.mergeModule = nn.JoinTable(1, merge or 1)
   elseif torch.isTypeOf(merge, 'nn.Module') then
      self.mergeModule = merge
   else
      error(name .. ': expecting nn.Module or number instance at arg 3', 3)
   end
end

function BiSequencer:__init(forward, backward, merge)
   self:setDirections(forward, backward, merge)
   self.fwdSeq = nn.Sequencer(self.forwardModule)
   self.bwdSeq = nn.Sequencer(self.backwardModule)
   self.mergeSeq = nn.Sequencer(self.mergeModule)
   local reversed = nn.Sequential()
      :add(nn.ReverseTable())
      :add(self.bwdSeq)
      :add(nn.ReverseTable())
   local brnn = nn.Sequential()
      :add(nn.ConcatTable():add(self.fwdSeq):add(reversed))
      :add(nn.ZipTable())
      :add(self.mergeSeq)
   parent.__init(self)
   self.output = {}
   self.gradInput = {}
   self.module = brnn
   self.modules[1] = brnn
end

nn.Decorator.decorate(BiSequencer)

return BiSequencer
