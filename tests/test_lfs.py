"""lfs (LuaFileSystem) against Python's os as the oracle: attributes in all three forms,
directory listing, links, times, directories, locks, and LuaFileSystem's failure results
(nil, strerror's message, errno)."""
import errno
import os
import stat
import subprocess
import sys

import torch7_compat as t7


def lua(code, *args):
    return t7.lua.execute("local lfs = require 'lfs'\n" + code, *args)


def attributes(path, kind="attributes"):
    return dict(lua("return lfs.%s(...)" % kind, path).items())


def test_attributes_match_stat(tmp_path):
    f = tmp_path / "data.bin"
    f.write_bytes(b"x" * 1234)
    os.chmod(f, 0o640)
    for path in (str(f), str(tmp_path)):
        info = os.stat(path)
        got = attributes(path)
        assert got["mode"] == ("file" if stat.S_ISREG(info.st_mode) else "directory")
        assert got["permissions"] == stat.filemode(info.st_mode)[1:]
        for name, value in [("size", info.st_size), ("ino", info.st_ino),
                            ("dev", info.st_dev), ("nlink", info.st_nlink),
                            ("uid", info.st_uid), ("gid", info.st_gid),
                            ("rdev", info.st_rdev), ("blocks", info.st_blocks),
                            ("blksize", info.st_blksize),
                            ("modification", int(info.st_mtime)),
                            ("access", int(info.st_atime)), ("change", int(info.st_ctime))]:
            assert got[name] == value, name
    assert attributes(str(f))["permissions"] == "rw-r-----"


def test_single_field_and_table_forms(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("hello")
    assert lua("return lfs.attributes(..., 'size'), lfs.attributes(..., 'mode')",
               str(f)) == (5, "file")
    assert lua("""local t = {mine = true}
                  local r = lfs.attributes(..., t)
                  return r == t, t.mine, t.size""", str(f)) == (True, True, 5)
    ok, message = lua("return pcall(lfs.attributes, ..., 'colour')", str(f))
    assert not ok and "invalid attribute name 'colour'" in message


def test_failures_give_nil_message_and_errno(tmp_path):
    missing = str(tmp_path / "missing")
    assert lua("return lfs.attributes(...)", missing) == (
        None, "cannot obtain information from file '%s': %s" % (missing,
                                                                os.strerror(errno.ENOENT)),
        errno.ENOENT)
    assert lua("return lfs.rmdir(...)", missing) == (None, os.strerror(errno.ENOENT),
                                                      errno.ENOENT)
    assert lua("return lfs.touch(...)", missing) == (None, os.strerror(errno.ENOENT),
                                                      errno.ENOENT)
    assert lua("return lfs.mkdir(...)", str(tmp_path)) == (None, os.strerror(errno.EEXIST),
                                                            errno.EEXIST)


def test_directory_listing_and_iterator_object(tmp_path):
    for name in ("b", "a", "c.txt"):
        (tmp_path / name).write_text("")
    names = lua("local t = {} for n in lfs.dir(...) do t[#t + 1] = n end return t",
                str(tmp_path))
    assert sorted(names.values()) == sorted(os.listdir(tmp_path) + [".", ".."])
    assert lua("""local iter, d = lfs.dir(...)
                  local first = d:next()
                  d:close()
                  local ok, message = pcall(d.next, d)
                  return first ~= nil, ok, message""", str(tmp_path)) == (
        True, False, "bad argument #1 to 'next' (closed directory)")
    ok, message = lua("return pcall(lfs.dir, ...)", str(tmp_path / "none"))
    assert not ok and message.endswith("cannot open %s: %s" % (tmp_path / "none",
                                                              os.strerror(errno.ENOENT)))


def test_mkdir_rmdir_chdir_currentdir(tmp_path):
    target = str(tmp_path / "made")
    assert lua("return lfs.mkdir(...)", target) is True
    assert os.path.isdir(target)
    here = os.getcwd()
    try:
        assert lua("""local before = lfs.currentdir()
                      local ok = lfs.chdir(...)
                      return ok, lfs.currentdir(), before""", target) == (True, target, here)
    finally:
        os.chdir(here)
    assert lua("return lfs.chdir(...)", str(tmp_path / "none")) == (
        None, "Unable to change working directory to '%s'\n%s\n"
        % (tmp_path / "none", os.strerror(errno.ENOENT)))
    assert lua("return lfs.rmdir(...)", target) is True
    assert not os.path.exists(target)


def test_touch_sets_times(tmp_path):
    f = tmp_path / "t"
    f.write_text("")
    assert lua("return lfs.touch(..., 1000000, 2000000)", str(f)) is True
    assert (os.stat(f).st_atime, os.stat(f).st_mtime) == (1000000, 2000000)
    assert lua("return lfs.touch(..., 3000000)", str(f)) is True
    assert os.stat(f).st_mtime == 3000000
    assert lua("return lfs.touch(...)", str(f)) is True
    assert os.stat(f).st_mtime > 3000000


def test_links_and_symlinkattributes(tmp_path):
    f = tmp_path / "target.txt"
    f.write_text("abc")
    hard, soft = str(tmp_path / "hard"), str(tmp_path / "soft")
    assert lua("return lfs.link(...)", str(f), hard) is True
    assert os.stat(hard).st_ino == os.stat(f).st_ino
    assert lua("local a, b = ... return lfs.link(a, b, true)", "target.txt", soft) is True
    assert os.readlink(soft) == "target.txt"
    assert lua("return lfs.symlinkattributes(..., 'target')", soft) == "target.txt"
    link_info = attributes(soft, "symlinkattributes")
    assert link_info["mode"] == "link" and link_info["target"] == "target.txt"
    assert link_info["ino"] == os.lstat(soft).st_ino
    assert attributes(soft)["mode"] == "file"      # attributes follows the link


def test_setmode_and_file_checks(tmp_path):
    f = str(tmp_path / "m")
    assert lua("local f = io.open(..., 'w') local a, b = lfs.setmode(f, 'text') f:close() "
               "return a, b", f) == (True, "binary")
    ok, message = lua("local f = io.open(..., 'w') f:close() return pcall(lfs.setmode, f, "
                      "'binary')", f)
    assert not ok and message.endswith("setmode: closed file")


LOCK_PROBE = """
import fcntl, sys
with open(sys.argv[1], 'r+') as f:
    try:
        fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        print('locked')
    else:
        print('free')
"""


def _probe(path):
    return subprocess.run([sys.executable, "-c", LOCK_PROBE, path], capture_output=True,
                          text=True, check=True).stdout.strip()


def test_lock_and_unlock_are_seen_by_other_processes(tmp_path):
    path = str(tmp_path / "locked")
    open(path, "w").close()
    lua("lock_test_file = io.open(..., 'r+')", path)
    try:
        assert lua("return lfs.lock(lock_test_file, 'w')") is True
        assert _probe(path) == "locked"
        assert lua("return lfs.unlock(lock_test_file)") is True
        assert _probe(path) == "free"
    finally:
        lua("lock_test_file:close() lock_test_file = nil")


def test_lock_dir(tmp_path):
    assert lua("""local lock = lfs.lock_dir(...)
                  local again, message = lfs.lock_dir(...)
                  local present = lfs.symlinkattributes(... .. '/lockfile.lfs', 'mode')
                  lock:free()
                  return again, message, present,
                     lfs.attributes(... .. '/lockfile.lfs') == nil""", str(tmp_path)) == (
        None, os.strerror(errno.EEXIST), "link", True)
