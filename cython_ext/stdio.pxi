# One output stream for both languages. Under `th`, Lua's print/io.write and Python's
# sys.stdout all go through C's stdout buffer, so their output keeps the order in which it
# was produced, whether the terminal or a pipe reads it, and os.exit's C exit() flushes it.

from libc.stdio cimport stdout, fwrite, fflush


cdef public int t7_stdout_write(const char *data, int64_t n) noexcept nogil:
    if n > 0 and fwrite(data, 1, n, stdout) != <size_t>n:
        return t7_fail("writing to stdout failed")
    return 0


cdef public int t7_stdout_flush() noexcept nogil:
    return 0 if fflush(stdout) == 0 else t7_fail("flushing stdout failed")


class CStdout:
    """A raw binary stream over C's stdout, to sit under an io.TextIOWrapper."""

    def writable(self):
        return True

    def readable(self):
        return False

    def seekable(self):
        return False

    @property
    def closed(self):
        return False

    def write(self, data):
        cdef const unsigned char[:] view = memoryview(data).cast("B")
        cdef int64_t n = view.shape[0]
        if n and t7_stdout_write(<const char *>&view[0], n) != 0:
            raise OSError(t7_last_error().decode())
        return n

    def flush(self):
        t7_stdout_flush()

    def fileno(self):
        return 1

    def isatty(self):
        import os
        return os.isatty(1)
