-- The paths package: name arithmetic as the shell's dirname/basename and the original's
-- docs describe it, and directory operations on a scratch folder removed afterwards.

require 'torch'

local tester = torch.Tester()
local tests = torch.TestSuite()

-- A fresh folder under the temporary directory; the test removes it itself.
local function scratch_folder()
   local folder = paths.tmpname()
   assert(paths.mkdir(folder))
   return folder
end

local function write_file(name, text)
   local f = assert(io.open(name, 'w'))
   f:write(text or '')
   f:close()
end

local function collect(iterator)
   local names = {}
   for name in iterator do names[#names + 1] = name end
   table.sort(names)
   return names
end

function tests.concat_without_arguments_is_the_working_directory()
   tester:eq(paths.concat(), paths.cwd())
   tester:eq(paths.cwd():sub(1, 1), '/')
end

function tests.concat_resolves_dots_and_slashes()
   tester:eq(paths.concat('/a', 'b', '../c'), '/a/c')
   tester:eq(paths.concat('/a/b/', './c//d/'), '/a/b/c/d')
   tester:eq(paths.concat('/a', '/b'), '/b')
   tester:eq(paths.concat('/', '..'), '/')
   tester:eq(paths.concat('x'), paths.cwd() .. '/x')
end

function tests.dirname_as_the_shell()
   tester:eq(paths.dirname('/a/b/c'), '/a/b')
   tester:eq(paths.dirname('a/b/'), 'a')
   tester:eq(paths.dirname('abc'), '.')
   tester:eq(paths.dirname('/abc'), '/')
   tester:eq(paths.dirname('/'), '/')
end

function tests.basename_strips_an_optional_suffix()
   tester:eq(paths.basename('/a/b/c.lua'), 'c.lua')
   tester:eq(paths.basename('/a/b/c.lua', 'lua'), 'c')
   tester:eq(paths.basename('/a/b/c.lua', '.lua'), 'c')
   tester:eq(paths.basename('c.txt', 'lua'), 'c.txt')
   tester:eq(paths.basename('lua', 'lua'), 'lua')
   tester:eq(paths.basename('a/b/'), 'b')
end

function tests.extname_is_nil_without_a_dot()
   tester:eq(paths.extname('a/b.tar.gz'), 'gz')
   tester:eq(paths.extname('/a/b'), nil)
end

function tests.string_arguments_are_checked()
   tester:assertErrorPattern(function() paths.dirname(nil) end, 'string expected')
   tester:assertErrorPattern(function() paths.concat('/a', {}) end, "bad argument #2")
end

function tests.filep_and_dirp_tell_files_from_folders()
   local folder = scratch_folder()
   local file = folder .. '/f.txt'
   write_file(file)
   tester:assert(paths.dirp(folder))
   tester:assert(not paths.filep(folder))
   tester:assert(paths.filep(file))
   tester:assert(not paths.dirp(file))
   tester:assert(not paths.filep(folder .. '/missing'))
   tester:assert(not paths.dirp(folder .. '/missing'))
   tester:assert(not paths.dirp(''))
   os.remove(file)
   paths.rmdir(folder)
end

function tests.mkdir_makes_missing_parents_and_reports_failures()
   local folder = scratch_folder()
   local deep = folder .. '/a/b/c'
   tester:eq(paths.mkdir(deep), true)
   tester:assert(paths.dirp(deep))
   local ok, message, errno = paths.mkdir(deep)
   tester:eq(ok, nil)
   tester:assert(message:find(deep, 1, true) == 1, 'the message starts with the path')
   tester:eq(errno, 17, 'EEXIST')
   tester:eq(paths.rmdir(folder), nil, 'a folder with contents is not removed')
   tester:eq(paths.rmall(folder, 'yes'), true)
   tester:assert(not paths.dirp(folder))
end

function tests.dir_and_iterators_list_a_folder()
   local folder = scratch_folder()
   write_file(folder .. '/one.lua')
   write_file(folder .. '/two.txt')
   paths.mkdir(folder .. '/sub')
   local listed = paths.dir(folder)
   table.sort(listed)
   tester:eq(listed, {'.', '..', 'one.lua', 'sub', 'two.txt'})
   tester:eq(collect(paths.files(folder)), {'.', '..', 'one.lua', 'sub', 'two.txt'})
   tester:eq(collect(paths.files(folder, '%.lua$')), {'one.lua'})
   tester:eq(collect(paths.files(folder, function(name) return #name == 3 end)), {'sub'})
   tester:eq(collect(paths.iterfiles(folder)), {'one.lua', 'two.txt'})
   tester:eq(collect(paths.iterdirs(folder)), {'sub'})
   tester:assertErrorPattern(function() paths.files(folder, 3) end,
      'Expecting optional arg 2 to be function or string')
   paths.rmall(folder, 'yes')
   tester:eq(paths.dir(folder), nil, 'a missing folder has no listing')
   tester:eq(collect(paths.files(folder)), {})
end

function tests.rmall_needs_yes()
   local folder = scratch_folder()
   local ok, message = paths.rmall(folder)
   tester:eq(ok, nil)
   tester:eq(message, "missing second argument ('yes')")
   tester:assert(paths.dirp(folder))
   tester:eq(paths.rmall(folder, 'yes'), true)
   local _, reason, where = paths.rmall(folder, 'yes')
   tester:eq(reason, 'not a file or directory')
   tester:eq(where, folder)
end

function tests.rmall_removes_a_link_not_its_target()
   local target = scratch_folder()
   local holder = scratch_folder()
   write_file(target .. '/keep.txt')
   tester:eq(os.execute(string.format("ln -s '%s' '%s/link'", target, holder)), 0)
   tester:eq(paths.rmall(holder, 'yes'), true)
   tester:assert(not paths.dirp(holder))
   tester:assert(paths.filep(target .. '/keep.txt'))
   paths.rmall(target, 'yes')
end

function tests.tmpname_gives_fresh_unused_names()
   local first, second = paths.tmpname(), paths.tmpname()
   tester:ne(first, second)
   tester:assert(not paths.filep(first) and not paths.dirp(first))
   tester:eq(paths.basename(first):sub(1, 6), 'luatmp')
end

function tests.system_description()
   local ffi = require 'ffi'
   tester:eq(paths.uname(), ffi.os)
   tester:eq(select('#', paths.uname()), 3)
   tester:assert(not paths.is_win())
   tester:eq(not paths.is_mac(), ffi.os ~= 'OSX')
   tester:eq(paths.home, os.getenv('HOME'))
   tester:assert(paths.dirp(paths.execdir()))
   tester:assert(paths.filep(paths.concat(paths.install_lua_path, 'paths', 'init.lua')))
   tester:assertErrorPattern(function() paths.getregistryvalue('HKEY_USERS', 'a', 'b') end,
      'only on windows')
end

function tests.findprogram_searches_path()
   tester:eq(paths.findprogram('no-such-program-here'), nil)
   local sh = paths.findprogram('no-such-program-here', 'sh')
   tester:eq(paths.basename(sh), 'sh')
   tester:assert(paths.filep(sh))
end

function tests.require_returns_the_loaded_module()
   tester:eq(paths.require('torch') == torch, true)
   tester:eq(paths.require('paths') == paths, true)
end

function tests.thisfile_is_the_calling_script()
   local here = paths.thisfile()
   tester:eq(here:sub(1, 1), '/')
   tester:eq(paths.basename(here), 'test_paths.lua')
   tester:eq(paths.thisfile('data.t7'), paths.dirname(here) .. '/data.t7')
   -- (no tail calls below: a tail call leaves no frame to find the caller's file in)
   local not_in_a_file = loadstring("local file = paths.thisfile() return file")
   tester:eq(not_in_a_file(), nil, 'code that is not in a file has no file')
   tester:eq(loadstring("local file = paths.thisfile('x.lua') return file")(), 'x.lua')
end

-- paths.dofile reads a name relative to the calling file, not the working directory.
function tests.dofile_is_relative_to_the_calling_file()
   local folder = scratch_folder()
   write_file(folder .. '/helper.lua', 'return 42')
   write_file(folder .. '/main.lua', "local answer = paths.dofile('helper.lua') return answer")
   tester:ne(paths.cwd(), folder)
   tester:eq(dofile(folder .. '/main.lua'), 42)
   paths.rmall(folder, 'yes')
end

tester:add(tests)
tester:run()
