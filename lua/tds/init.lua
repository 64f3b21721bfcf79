-- tds (torch/tds): containers outside Lua tables, as the original's were: tds.Hash, tds.Vec
-- and tds.AtomicCounter. Each object is an FFI cdata of its own type, so that #, pairs and
-- ipairs behave as the original's (LuaJIT honours __len and __pairs for cdata only); its
-- contents live in a Lua table found through the object. Elements may be numbers, strings,
-- booleans, tensors and tds containers; tables given to the constructors become containers.
-- Serialization is the original's (version 0: a long count, then the elements).

require 'torch'

local tds = require 'tds.env'
require 'tds.hash'
require 'tds.vec'
require 'tds.atomic'

-- files from tds's first versions named the hash class this way
torch.serialization.substitute('tds_hash', 'tds.Hash')

return tds
