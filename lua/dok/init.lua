-- dok: what legacy packages (image among them) used of Torch7's documentation package:
-- argument unpacking with usage text, and errors in its format. The documentation browser
-- itself is th's help (torch7_compat.help).

local xlua = require 'xlua'

local dok = rawget(_G, 'dok') or {}
rawset(_G, 'dok', dok)

-- As xlua's, except that a call with no arguments at all takes every default (the
-- original's dok did; csvigo's query() relies on it).
function dok.unpack(args, funcname, description, ...)
   if #args == 0 then args = {{}} end
   return xlua.unpack(args, funcname, description, ...)
end
dok.usage = xlua.usage

function dok.error(message, domain)
   xlua.error(message, domain)
end

return dok
