"""The Python halves of Lua packages of the wider Torch7 ecosystem (lfs, cjson, hdf5, matio,
csvigo): one module per package, called from lua/<package>/init.lua through
lua/torch7_compat/python.lua."""
