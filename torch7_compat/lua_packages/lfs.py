"""The system calls of the Lua `lfs` package (LuaFileSystem 1.8; its Lua side is
lua/lfs/init.lua), over Python's os.

Each function returns what LuaFileSystem returns: its result, or (None, message, errno) as
C's strerror words it. Attributes come back as a flat tuple of names and values, which the
Lua side turns into a table.
"""
import fcntl
import os
import stat

_KINDS = ((stat.S_ISREG, "file"), (stat.S_ISDIR, "directory"), (stat.S_ISLNK, "link"),
          (stat.S_ISSOCK, "socket"), (stat.S_ISFIFO, "named pipe"),
          (stat.S_ISCHR, "char device"), (stat.S_ISBLK, "block device"))
_PERMISSION_BITS = (stat.S_IRUSR, stat.S_IWUSR, stat.S_IXUSR, stat.S_IRGRP, stat.S_IWGRP,
                    stat.S_IXGRP, stat.S_IROTH, stat.S_IWOTH, stat.S_IXOTH)


def _failure(error, info=None):
    message = os.strerror(error.errno)
    return None, (message if info is None else "%s: %s" % (info, message)), error.errno


def _mode_name(mode):
    for test, name in _KINDS:
        if test(mode):
            return name
    return "other"


def _permissions(mode):
    return "".join(letter if mode & bit else "-"
                   for letter, bit in zip("rwxrwxrwx", _PERMISSION_BITS))


def _fields(info):
    return ("mode", _mode_name(info.st_mode), "dev", info.st_dev, "ino", info.st_ino,
            "nlink", info.st_nlink, "uid", info.st_uid, "gid", info.st_gid,
            "rdev", info.st_rdev, "access", int(info.st_atime),
            "modification", int(info.st_mtime), "change", int(info.st_ctime),
            "size", info.st_size, "permissions", _permissions(info.st_mode),
            "blocks", info.st_blocks, "blksize", info.st_blksize)


def attributes(path, follow_links):
    """(True, name, value, ...) or (None, message, errno)."""
    try:
        info = os.stat(path) if follow_links else os.lstat(path)
    except OSError as e:
        return (None, "cannot obtain information from file '%s': %s"
                % (path, os.strerror(e.errno)), e.errno)
    return (True,) + _fields(info)


def link_target(path):
    try:
        return (os.readlink(path),)
    except OSError as e:
        return _failure(e, "could not obtain link target")


def currentdir():
    try:
        return (os.getcwd(),)
    except OSError as e:
        return _failure(e, "get_dir getcwd() failed")


def chdir(path):
    try:
        os.chdir(path)
    except OSError as e:
        return None, "Unable to change working directory to '%s'\n%s\n" % (
            path, os.strerror(e.errno))
    return (True,)


def _result(action, *args):
    try:
        action(*args)
    except OSError as e:
        return _failure(e)
    return (True,)


def mkdir(path):
    # LuaFileSystem's mode: rwxrwxr-x before the umask
    return _result(os.mkdir, path, 0o775)


def rmdir(path):
    return _result(os.rmdir, path)


def link(target, name, symbolic):
    return _result(os.symlink if symbolic else os.link, target, name)


def touch(path, access, modification):
    if access is None:
        return _result(os.utime, path)
    return _result(os.utime, path, (int(access), int(modification)))


def entries(path):
    """'.', '..' and the names in a directory, as readdir gives them; raises with
    LuaFileSystem's words when the directory cannot be opened."""
    try:
        with os.scandir(path) as listing:
            names = [entry.name for entry in listing]
    except OSError as e:
        raise OSError("cannot open %s: %s" % (path, os.strerror(e.errno))) from None
    return "\0".join([".", ".."] + names)


_LOCK_MODES = {"r": fcntl.LOCK_SH, "w": fcntl.LOCK_EX, "u": fcntl.LOCK_UN}


def lock(fd, mode, start, length):
    """A POSIX record lock on an open file (LuaFileSystem's fcntl(F_SETLK), not waiting)."""
    operation = _LOCK_MODES[mode]
    if operation != fcntl.LOCK_UN:
        operation |= fcntl.LOCK_NB
    try:
        fcntl.lockf(fd, operation, length, start, os.SEEK_SET)
    except OSError as e:
        return None, os.strerror(e.errno)
    return (True,)


def lock_dir(path):
    """LuaFileSystem's directory lock: a symbolic link named lockfile.lfs in it."""
    name = path + "/lockfile.lfs"
    try:
        os.symlink("lock", name)
    except OSError as e:
        return None, os.strerror(e.errno)
    return (name,)

