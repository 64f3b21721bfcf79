-- require 'rnn': Element-Research's recurrent modules for nn (its last release before the
-- torch/rnn rewrite): modules stepped one time step per forward (Recurrent, Recurrence,
-- LSTM, FastLSTM, GRU, MuFuRu, Recursor, NormStabilizer), sequencers applying a module to
-- a whole sequence (Sequencer, BiSequencer, BiSequencerLM, Repeater, RecurrentAttention,
-- SequencerCriterion, RepeaterCriterion), whole-sequence layers (SeqLSTM, SeqLSTMP,
-- SeqGRU, SeqBRNN, SeqReverseSequence), zero masking of padded steps (MaskZero, TrimZero,
-- LookupTableMaskZero, MaskZeroCriterion), helpers (ZeroGrad, CopyGrad, ExpandAs,
-- LinearNoBias, SAdd), and nn.Dropout's lazy and mono options (variational dropout: the
-- p argument of LSTM, FastLSTM and GRU).

require 'dpnn'

rnn = rnn or {}
rnn.version = 2.1

require 'rnn.recursiveUtils'
require 'rnn.Module'
require 'rnn.Dropout'

require 'rnn.ZeroGrad'
require 'rnn.LinearNoBias'
require 'rnn.SAdd'
require 'rnn.CopyGrad'
require 'rnn.ExpandAs'

require 'rnn.MaskZero'
require 'rnn.TrimZero'
require 'rnn.LookupTableMaskZero'
require 'rnn.AbstractRecurrent'
require 'rnn.Recurrent'
require 'rnn.LSTM'
require 'rnn.FastLSTM'
require 'rnn.GRU'
require 'rnn.MuFuRu'
require 'rnn.Recursor'
require 'rnn.Recurrence'
require 'rnn.NormStabilizer'

require 'rnn.AbstractSequencer'
require 'rnn.Repeater'
require 'rnn.Sequencer'
require 'rnn.BiSequencer'
require 'rnn.BiSequencerLM'
require 'rnn.RecurrentAttention'

require 'rnn.SeqLSTM'
require 'rnn.SeqLSTMP'
require 'rnn.SeqGRU'
require 'rnn.SeqReverseSequence'
require 'rnn.SeqBRNN'

require 'rnn.SequencerCriterion'
require 'rnn.RepeaterCriterion'
require 'rnn.MaskZeroCriterion'

nn.rnn = rnn

return rnn
