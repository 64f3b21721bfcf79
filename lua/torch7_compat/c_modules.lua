-- require for C modules (package.cpath): as Lua's own searchers, except that the LuaJIT API
-- is first made visible to the module (torch7_compat/system_lua.py), and that a module
-- which cannot load says why.

local boot = package.loaded['torch7_compat.boot']

-- luaopen_ name of a module: dots become underscores, anything up to a '-' is dropped
local function open_name(name)
   return 'luaopen_' .. name:gsub('^[^-]*%-', ''):gsub('%.', '_')
end

local function load_from(path, name)
   local ok, message = pcall(boot.prepare_c_module, path)
   if not ok then
      error(string.format("module '%s' found at %s cannot be loaded: %s", name, path,
         tostring(message)), 0)
   end
   local loader, why = package.loadlib(path, open_name(name))
   if not loader then
      error(string.format("module '%s' found at %s cannot be loaded: %s", name, path, why), 0)
   end
   return loader
end

-- a.b in a/b.so
local function search_c(name)
   local path, tried = package.searchpath(name, package.cpath)
   if not path then return tried end
   return load_from(path, name)
end

-- a.b as luaopen_a_b in a.so
local function search_c_root(name)
   local root = name:match('^([^.]+)%.')
   if not root then return nil end
   local path, tried = package.searchpath(root, package.cpath)
   if not path then return tried end
   return load_from(path, name)
end

package.loaders[3] = search_c
package.loaders[4] = search_c_root
