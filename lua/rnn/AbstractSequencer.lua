-- nn.AbstractSequencer: the base of modules that take a whole sequence per forward.
-- remember(mode) says when the hidden state carries over from one forward to the next:
-- 'both', 'train', 'eval' or 'neither' (the default; 'both' when called without mode).

local AbstractSequencer, parent = torch.class('nn.AbstractSequencer', 'nn.Container')

local REMEMBER_MODES = {both = true, train = true, eval = true, neither = true}

function AbstractSequencer:remember(remember)
   self._remember = remember == nil and 'both' or remember
   if not REMEMBER_MODES[self._remember] then
      error('AbstractSequencer : unrecognized value for remember : '
         .. tostring(self._remember), 2)
   end
   return self
end

-- Whether the hidden state carries over in the current mode (training or evaluation).
function AbstractSequencer:hasMemory()
   if self.train ~= false then
      return self._remember == 'both' or self._remember == 'train'
   end
   return self._remember == 'both' or self._remember == 'eval'
end

-- A sequencer sets the BPTT length of what it holds to each sequence's length.
function AbstractSequencer:maxBPTTstep(rho)
end

-- A sequencer is cloned whole, also inside a step clone.
function AbstractSequencer:sharedClone(shareParams, shareGradParams)
   return parent.sharedClone(self, shareParams, shareGradParams)
end

function AbstractSequencer:getStepModule()
   error('DEPRECATED 27 Oct 2015. Wrap your internal modules into a Recursor instead', 2)
end

return AbstractSequencer
