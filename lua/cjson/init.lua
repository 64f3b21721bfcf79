-- require 'cjson': encode and decode raise their errors (lua/cjson/core.lua).
return require('cjson.core')(false)
