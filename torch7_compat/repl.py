"""The interactive `th>` prompt (a plain one: statements run, expressions print their
values, incomplete chunks continue on the next line, errors keep the prompt alive)."""
import sys

_REPL_LUA = """
local repl = {}
local function traceback(err) return debug.traceback(tostring(err), 2) end

-- Compiles a line: as an expression first (to print its value), then as a statement.
-- Returns the chunk, or nil and 'incomplete' or the syntax error.
function repl.compile(code)
   local chunk = loadstring('return ' .. code, '=stdin')
   if chunk then return chunk, nil end
   local err
   chunk, err = loadstring(code, '=stdin')
   if chunk then return chunk, nil end
   if err:match("'<eof>'$") then return nil, 'incomplete' end
   return nil, err
end

function repl.run(chunk)
   local results = {xpcall(chunk, traceback)}
   if not results[1] then
      io.stderr:write(results[2], '\\n')
      return
   end
   local n = table.maxn(results)
   if n > 1 then
      rawset(_G, '_', results[2])
      local parts = {}
      for i = 2, n do parts[#parts + 1] = tostring(results[i]) end
      print(table.concat(parts, '\\t'))
   end
   io.stdout:flush()
end

return repl
"""


def run_repl(lua):
    repl = lua.execute(_REPL_LUA)
    try:
        import readline  # noqa: F401  (line editing and history for input())
    except ImportError:
        pass
    buffer = ""
    while True:
        try:
            line = input("th> " if not buffer else ">> ")
        except EOFError:
            print()
            return 0
        except KeyboardInterrupt:
            print()
            buffer = ""
            continue
        code = buffer + line
        chunk, err = repl.compile(code)
        if chunk is None and err == "incomplete":
            buffer = code + "\n"
            continue
        buffer = ""
        if chunk is None:
            sys.stdout.flush()
            sys.stderr.write(err + "\n")
            continue
        repl.run(chunk)
