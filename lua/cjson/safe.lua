-- require 'cjson.safe': encode and decode return nil and the message instead of raising.
return require('cjson.core')(true)
