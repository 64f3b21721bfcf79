-- dok: what legacy packages (image among them) used of Torch7's documentation package:
-- argument unpacking with usage text, and errors in its format. The documentation browser
-- itself is th's help (torch7_compat.help).

local xlua = require 'xlua'

local dok = rawget(_G, 'dok') or {}
rawset(_G, 'dok', dok)

dok.unpack = xlua.unpack
dok.usage = xlua.usage

function dok.error(message, domain)
   xlua.error(message, domain)
end

return dok
