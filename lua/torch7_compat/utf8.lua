-- Whether a Lua string (bytes) is valid UTF-8 by the rules Python's strict decoder applies:
-- no overlong forms, no surrogates (U+D800..DFFF), nothing above U+10FFFF. Strings that pass
-- cross to Python as str; the others cannot be decoded there (torch7_compat.bridge).

local byte, find = string.byte, string.find

local utf8 = {}

-- For each lead byte of a multi-byte sequence: how many continuation bytes follow, and the
-- range the first of them must lie in (the rest lie in 0x80..0xBF).
local SEQUENCES = {}
for lead = 0xC2, 0xDF do SEQUENCES[lead] = {1, 0x80, 0xBF} end
SEQUENCES[0xE0] = {2, 0xA0, 0xBF}
for lead = 0xE1, 0xEF do SEQUENCES[lead] = {2, 0x80, 0xBF} end
SEQUENCES[0xED] = {2, 0x80, 0x9F}
SEQUENCES[0xF0] = {3, 0x90, 0xBF}
for lead = 0xF1, 0xF3 do SEQUENCES[lead] = {3, 0x80, 0xBF} end
SEQUENCES[0xF4] = {3, 0x80, 0x8F}

function utf8.is_valid(s)
   local i = find(s, '[\128-\255]')
   while i do
      local sequence = SEQUENCES[byte(s, i)]
      if not sequence then return false end
      local count, low, high = sequence[1], sequence[2], sequence[3]
      local second = byte(s, i + 1)
      if not second or second < low or second > high then return false end
      for k = 2, count do
         local b = byte(s, i + k)
         if not b or b < 0x80 or b > 0xBF then return false end
      end
      i = find(s, '[\128-\255]', i + count + 1)
   end
   return true
end

return utf8
