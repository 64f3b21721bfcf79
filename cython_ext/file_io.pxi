# Files as torch.File sees them: the byte work of torch.DiskFile, torch.PipeFile and
# torch.MemoryFile (lua/torch/File.lua and its subclasses keep the Lua objects). Values go
# out in binary (this machine's layout, optionally byte-swapped, longs optionally on 4
# bytes) or as ascii text in the original's formats; every bulk transfer is one call here,
# whatever the element type.
#
# Errors come in two kinds, as in the original: misuse (a closed file, reading a write-only
# file) returns -1; a short read or write, a bad number or a failed seek sets has_error and
# the message, and returns what was done (counts) or 1 (status): the Lua side raises it
# unless the file is quiet.

from libc.stdio cimport (FILE, fopen, fclose, fread, fwrite, fflush, getc, ungetc, fscanf,
                         sscanf, snprintf, setvbuf, _IONBF, EOF, SEEK_SET, SEEK_CUR,
                         SEEK_END)
from posix.stdio cimport fdopen, fileno, popen, pclose, fseeko, ftello
from posix.stdlib cimport realpath
from posix.fcntl cimport open as c_open, O_WRONLY, O_CREAT, O_EXCL, O_CLOEXEC
from posix.stat cimport struct_stat, stat as c_stat, fstat, fchmod, S_ISREG
from posix.unistd cimport close as close_fd
from libc.errno cimport errno, ENOENT
from libc.stdint cimport uint32_t
from libc.string cimport strerror, strlen, strncpy

cdef extern from "t7_abi.h":
    enum:
        T7_FILE_DISK
        T7_FILE_PIPE
        T7_FILE_MEMORY

    ctypedef struct T7File:
        int32_t binary
        int32_t auto_spacing
        int32_t long_size
        int32_t swap_bytes
        int32_t has_error
        int32_t _kind
        int32_t _readable
        int32_t _writable
        int32_t _direction
        void *_handle
        T7Storage *_storage
        int64_t _size
        int64_t _position

cdef enum:
    LAST_NONE = 0
    LAST_READ = 1
    LAST_WRITE = 2
    CHUNK_BYTES = 65536         # conversions and ascii text go through buffers of this size
    TOKEN_CHARS = 512           # the longest number read from ascii text
    GROWTH_ELEMENTS = 1 << 22   # storages read from files of unknown size grow by this much


cdef inline FILE *handle_of(const T7File *f) noexcept nogil:
    return <FILE *>f._handle


cdef inline bint is_open(const T7File *f) noexcept nogil:
    if f._kind == T7_FILE_MEMORY:
        return f._storage != NULL
    return f._handle != NULL


cdef int check_use(T7File *f, bint reading, bint writing) noexcept nogil:
    if f == NULL:
        return t7_fail("no file given")
    if not is_open(f):
        return t7_fail("attempt to use a closed file")
    if reading and not f._readable:
        return t7_fail("attempt to read in a write-only file")
    if writing and not f._writable:
        return t7_fail("attempt to write in a read-only file")
    if f._kind == T7_FILE_MEMORY:
        return memory_repair(f)
    return 0


cdef int switch_direction(T7File *f, int direction) noexcept nogil:
    """C streams need a seek between a write and a read on the same stream (mode 'rw')."""
    if f._kind == T7_FILE_DISK and f._direction != LAST_NONE and f._direction != direction:
        fseeko(handle_of(f), 0, SEEK_CUR)
    f._direction = direction
    return 0


# --- memory files: _size bytes of content in a CharStorage that always holds one more, a NUL
# (the original's layout: MemoryFile:storage() hands it out that way).

cdef int memory_repair(T7File *f) noexcept nogil:
    """The storage is the user's too: if it shrank behind our back, so does the content."""
    cdef T7Storage *s = f._storage
    if s._size < 1:
        if t7_storage_resize(s, 1) != 0:
            return -1
    if f._size > s._size - 1:
        f._size = s._size - 1
    if f._position > f._size:
        f._position = f._size
    return 0


cdef int memory_reserve(T7File *f, int64_t end) noexcept nogil:
    """Room for content up to byte `end` and the NUL after it."""
    cdef T7Storage *s = f._storage
    if end < 0:
        return t7_fail("a memory file cannot grow beyond 2^63 bytes")
    if end + 1 <= s._size:
        return 0
    cdef int64_t wanted = s._size + s._size // 2
    if wanted < end + 1:
        wanted = end + 1
    return t7_storage_resize(s, wanted)


cdef int64_t memory_put(T7File *f, const char *data, int64_t n) noexcept nogil:
    if memory_reserve(f, f._position + n) != 0:
        return -1
    memcpy(f._storage._data + f._position, data, n)
    f._position += n
    if f._position > f._size:
        f._size = f._position
        f._storage._data[f._size] = 0
    return n


# --- raw bytes, whatever the kind of file

cdef int64_t read_blocks(T7File *f, char *data, int64_t block, int64_t n) noexcept nogil:
    """Whole blocks of `block` bytes read into data."""
    cdef int64_t got
    if f._kind == T7_FILE_MEMORY:
        got = (f._size - f._position) // block
        if got > n:
            got = n
        memcpy(data, f._storage._data + f._position, got * block)
        f._position += got * block
        return got
    switch_direction(f, LAST_READ)
    return <int64_t>fread(data, block, n, handle_of(f))


cdef extern from *:
    """
    #include <fcntl.h>
    /* Gives [offset, offset + n) of fd its disk blocks now, where the system can: ext4 then
       has no delayed allocation to carry out when a save's file is renamed over the old one
       (it does that synchronously: 80 ms for 100 MB). Refusals are fine: writes allocate. */
    static void t7_allocate_ahead(int fd, int64_t offset, int64_t n) {
    #ifdef __linux__
        if (offset >= 0)
            (void)fallocate(fd, 0, (off_t)offset, (off_t)n);
    #else
        (void)fd; (void)offset; (void)n;
    #endif
    }
    """
    void t7_allocate_ahead(int fd, int64_t offset, int64_t n) nogil

cdef enum:
    ALLOCATE_AHEAD_BYTES = 4 << 20


cdef int64_t write_blocks(T7File *f, const char *data, int64_t block, int64_t n) noexcept nogil:
    """Whole blocks written (-1 when a memory file cannot grow)."""
    if n == 0:
        return 0
    if f._kind == T7_FILE_MEMORY:
        if memory_put(f, data, block * n) < 0:
            return -1
        return n
    switch_direction(f, LAST_WRITE)
    if f._kind == T7_FILE_DISK and block * n >= ALLOCATE_AHEAD_BYTES:
        t7_allocate_ahead(fileno(handle_of(f)), ftello(handle_of(f)), block * n)
    return <int64_t>fwrite(data, block, n, handle_of(f))


cdef int peek_char(T7File *f) noexcept nogil:
    """The next byte, left in place (EOF at the end)."""
    cdef int c
    if f._kind == T7_FILE_MEMORY:
        if f._position >= f._size:
            return EOF
        return <unsigned char>f._storage._data[f._position]
    switch_direction(f, LAST_READ)
    c = getc(handle_of(f))
    if c != EOF:
        ungetc(c, handle_of(f))
    return c


cdef void skip_newline(T7File *f) noexcept nogil:
    """After each ascii read, autoSpacing swallows the newline that ended the write."""
    if peek_char(f) == c'\n':
        if f._kind == T7_FILE_MEMORY:
            f._position += 1
        else:
            getc(handle_of(f))


# --- element conversions between memory and file layouts

cdef inline int file_element_size(const T7File *f, int dtype) noexcept nogil:
    if dtype == T7_LONG and f.long_size == 4:
        return 4
    return ELEMENT_SIZES[dtype]


cdef void reverse_bytes(char *data, int size, int64_t n) noexcept nogil:
    cdef int64_t i
    cdef int j
    cdef char tmp
    for i in range(n):
        for j in range(size // 2):
            tmp = data[i * size + j]
            data[i * size + j] = data[i * size + size - 1 - j]
            data[i * size + size - 1 - j] = tmp


cdef void widen_longs(char *data, int64_t n) noexcept nogil:
    """n 4-byte longs at the start of data become 8-byte ones in place (last first)."""
    cdef int32_t *narrow = <int32_t *>data
    cdef int64_t *wide = <int64_t *>data
    cdef int64_t i
    for i in range(n - 1, -1, -1):
        wide[i] = narrow[i]


# --- NaNs that LuaJIT would misread
#
# LuaJIT keeps every Lua value in 8 bytes, numbers as doubles, and other types in the bit
# patterns of negative NaNs: a double from C at or above 0xfff9000000000000 comes out of the
# FFI as a string, table... pointing anywhere, and using it crashes the process. Ordinary
# NaNs are below that, but a file can hold any bits, so values read from files go through
# these: such NaNs become the ordinary negative NaN (floats too: their NaNs widen to doubles
# keeping their top payload bits).

cdef uint64_t DOUBLE_MISREAD = 0xfff8000000000000ULL   # above this, as uint64
cdef uint32_t FLOAT_MISREAD = 0xff800000U               # above this (negative NaNs)

cdef inline bint any_above64(const uint64_t *x, int64_t n, uint64_t limit) noexcept nogil:
    cdef int64_t i
    cdef bint found = False
    for i in range(n):      # no early exit: the compiler vectorises the whole scan
        found |= x[i] > limit
    return found


cdef inline bint any_above32(const uint32_t *x, int64_t n, uint32_t limit) noexcept nogil:
    cdef int64_t i
    cdef bint found = False
    for i in range(n):
        found |= x[i] > limit
    return found


cdef void tame_nans(int dtype, char *data, int64_t n) noexcept nogil:
    cdef int64_t i
    cdef uint64_t *wide = <uint64_t *>data
    cdef uint32_t *narrow = <uint32_t *>data
    if dtype == T7_DOUBLE and any_above64(wide, n, DOUBLE_MISREAD):
        for i in range(n):
            if wide[i] > DOUBLE_MISREAD:
                wide[i] = DOUBLE_MISREAD
    elif dtype == T7_FLOAT and any_above32(narrow, n, FLOAT_MISREAD):
        for i in range(n):
            if narrow[i] > FLOAT_MISREAD:
                narrow[i] = 0xffc00000


# --- binary transfers

cdef int64_t read_binary(T7File *f, int dtype, char *data, int64_t n) noexcept nogil:
    cdef int size = file_element_size(f, dtype)
    cdef int64_t got = read_blocks(f, data, size, n)
    if f.swap_bytes and size > 1:
        reverse_bytes(data, size, got)
    if size != ELEMENT_SIZES[dtype]:
        widen_longs(data, got)
    return got


cdef enum:
    TAMING_CHUNK_BYTES = 1 << 20


cdef int64_t read_values(T7File *f, int dtype, char *data, int64_t n) noexcept nogil:
    """n values in the file's form (binary or ascii) into data, NaNs tamed: binary floats
    come in chunks checked while they are still in cache, not in a second pass over memory."""
    cdef int64_t got, want, done = 0
    cdef int64_t elsize = ELEMENT_SIZES[dtype]
    if not f.binary:
        got = read_ascii(f, dtype, data, n)
        tame_nans(dtype, data, got)
        return got
    if dtype != T7_FLOAT and dtype != T7_DOUBLE:
        return read_binary(f, dtype, data, n)
    while done < n:
        want = min2(n - done, TAMING_CHUNK_BYTES // elsize)
        got = read_binary(f, dtype, data + done * elsize, want)
        tame_nans(dtype, data + done * elsize, got)
        done += got
        if got < want:
            break
    return done


cdef int64_t write_binary(T7File *f, int dtype, const char *data, int64_t n) noexcept nogil:
    cdef int size = file_element_size(f, dtype)
    if size == ELEMENT_SIZES[dtype] and not (f.swap_bytes and size > 1):
        return write_blocks(f, data, size, n)
    # converted chunk by chunk: 4-byte longs keep the low bits (C's conversion), as the original
    cdef char buffer[CHUNK_BYTES]
    cdef int64_t done = 0, count, i, wrote
    cdef int32_t *narrow = <int32_t *>buffer
    cdef const int64_t *wide = <const int64_t *>data
    while done < n:
        count = min2(n - done, CHUNK_BYTES // 8)
        if size == 4 and dtype == T7_LONG:
            for i in range(count):
                narrow[i] = <int32_t>wide[done + i]
        else:
            memcpy(buffer, data + done * size, count * size)
        if f.swap_bytes:
            reverse_bytes(buffer, size, count)
        wrote = write_blocks(f, buffer, size, count)
        if wrote < 0:
            return -1
        done += wrote
        if wrote < count:
            break
    return done


# --- ascii transfers: the original's printf/scanf formats

cdef int format_value(char *out, int room, int dtype, const char *data, int64_t i) noexcept nogil:
    if dtype == T7_SHORT:
        return snprintf(out, room, "%d", <int>(<const int16_t *>data)[i])
    if dtype == T7_INT:
        return snprintf(out, room, "%d", (<const int32_t *>data)[i])
    if dtype == T7_LONG:
        return snprintf(out, room, "%lld", <ll>(<const int64_t *>data)[i])
    if dtype == T7_FLOAT:
        return snprintf(out, room, "%.9g", <double>(<const float *>data)[i])
    if dtype == T7_HALF:
        return snprintf(out, room, "%.9g", <double>half_to_float((<const uint16_t *>data)[i]))
    return snprintf(out, room, "%.17g", (<const double *>data)[i])


cdef int64_t write_ascii(T7File *f, int dtype, const char *data, int64_t n) noexcept nogil:
    cdef char buffer[CHUNK_BYTES]
    cdef int used = 0
    cdef int64_t i, flushed = 0
    if dtype == T7_BYTE or dtype == T7_CHAR:     # raw bytes, then the newline
        flushed = write_blocks(f, data, 1, n)
        if flushed == n and n > 0 and f.auto_spacing:
            if write_blocks(f, "\n", 1, 1) != 1:
                return -1 if f._kind == T7_FILE_MEMORY else n - 1
        return flushed
    for i in range(n):
        if used > CHUNK_BYTES - 64:
            if write_blocks(f, buffer, used, 1) != 1:
                return -1 if f._kind == T7_FILE_MEMORY else flushed
            flushed = i
            used = 0
        used += format_value(buffer + used, CHUNK_BYTES - used, dtype, data, i)
        if f.auto_spacing:
            buffer[used] = c' ' if i < n - 1 else c'\n'
            used += 1
    if used > 0 and write_blocks(f, buffer, used, 1) != 1:
        return -1 if f._kind == T7_FILE_MEMORY else flushed
    return n


cdef bint is_memory_separator(char c) noexcept nogil:
    return c == c' ' or c == c'\n' or c == c':' or c == c';'


cdef int scan_memory(T7File *f, const char *fmt, void *out) noexcept nogil:
    """sscanf on the next token of a memory file: the token is copied out first (the
    original cut the buffer at the next separator), so the scan never runs past it."""
    cdef char token[TOKEN_CHARS]
    cdef const char *p = f._storage._data
    cdef int64_t start = f._position, end
    cdef int consumed = 0, status
    while start < f._size and is_memory_separator(p[start]):
        start += 1
    end = start
    while end < f._size and end - start < TOKEN_CHARS - 1 and not is_memory_separator(p[end]) \
            and p[end] != 0:
        end += 1
    memcpy(token, p + start, end - start)
    token[end - start] = 0
    status = sscanf(token, fmt, out, &consumed)
    if status == 1:
        f._position = start + consumed
    return status


cdef int scan_value(T7File *f, int dtype, char *data, int64_t i) noexcept nogil:
    """One number into data[i]; 1 when read."""
    cdef long long integer
    cdef float single
    cdef double double_value
    cdef int status
    cdef const char *fmt
    cdef void *target
    if dtype == T7_FLOAT or dtype == T7_HALF:
        fmt, target = ("%g%n" if f._kind == T7_FILE_MEMORY else "%g"), &single
    elif dtype == T7_DOUBLE:
        fmt, target = ("%lg%n" if f._kind == T7_FILE_MEMORY else "%lg"), &double_value
    else:
        fmt, target = ("%lld%n" if f._kind == T7_FILE_MEMORY else "%lld"), &integer
    if f._kind == T7_FILE_MEMORY:
        status = scan_memory(f, fmt, target)
    else:
        status = fscanf(handle_of(f), fmt, target)
    if status != 1:
        return 0
    if dtype == T7_SHORT:
        (<int16_t *>data)[i] = <int16_t>integer
    elif dtype == T7_INT:
        (<int32_t *>data)[i] = <int32_t>integer
    elif dtype == T7_LONG:
        (<int64_t *>data)[i] = <int64_t>integer
    elif dtype == T7_FLOAT:
        (<float *>data)[i] = single
    elif dtype == T7_HALF:
        (<uint16_t *>data)[i] = float_to_half(single)
    else:
        (<double *>data)[i] = double_value
    return 1


cdef int64_t read_ascii(T7File *f, int dtype, char *data, int64_t n) noexcept nogil:
    cdef int64_t got = 0
    if dtype == T7_BYTE or dtype == T7_CHAR:
        got = read_blocks(f, data, 1, n)
    else:
        if f._kind != T7_FILE_MEMORY:
            switch_direction(f, LAST_READ)
        while got < n and scan_value(f, dtype, data, got):
            got += 1
    if f.auto_spacing and n > 0:
        skip_newline(f)
    return got


# --- the ABI

cdef T7File *new_file(int kind, bint readable, bint writable) noexcept nogil:
    cdef T7File *f = <T7File *>calloc(1, sizeof(T7File))
    if f == NULL:
        t7_fail("not enough memory for a file")
        return NULL
    f._kind = kind
    f._readable = readable
    f._writable = writable
    f.auto_spacing = 1
    return f


cdef bint parse_mode(const char *mode, bint pipe, bint *readable, bint *writable) noexcept nogil:
    readable[0] = mode[0] == c'r' and (mode[1] == 0 or (mode[1] == c'w' and mode[2] == 0))
    writable[0] = (mode[0] == c'w' and mode[1] == 0) or (mode[0] == c'r' and mode[1] == c'w'
                                                        and mode[2] == 0)
    if pipe and readable[0] and writable[0]:
        return False
    return readable[0] or writable[0]


cdef public T7File *t7_file_open(int kind, const char *name, const char *mode) noexcept nogil:
    cdef bint readable, writable
    cdef FILE *handle
    if kind != T7_FILE_DISK and kind != T7_FILE_PIPE:
        t7_fail("t7_file_open opens disk files and pipes, not kind %d", kind)
        return NULL
    if not parse_mode(mode, kind == T7_FILE_PIPE, &readable, &writable):
        t7_fail("file mode should be 'r','w'" if kind == T7_FILE_PIPE
                else "file mode should be 'r','w' or 'rw'")
        return NULL
    if kind == T7_FILE_PIPE:
        handle = popen(name, "r" if readable else "w")
    elif readable and writable:
        handle = fopen(name, "r+b")
        if handle == NULL:
            handle = fopen(name, "w+b")
    else:
        handle = fopen(name, "rb" if readable else "wb")
    if handle == NULL:
        t7_fail("cannot open <%s> in mode %c%c (%s)", name, c'r' if readable else c' ',
                c'w' if writable else c' ', strerror(errno))
        return NULL
    cdef T7File *f = new_file(kind, readable, writable)
    if f == NULL:
        if kind == T7_FILE_PIPE:
            pclose(handle)
        else:
            fclose(handle)
        return NULL
    f._handle = handle
    return f


cdef public T7File *t7_file_create_new(const char *name, const char *like) noexcept nogil:
    """A new file (an error if name exists) for writing; with `like`, an existing file whose
    permissions it takes (the file it is to replace)."""
    cdef int fd = c_open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
    cdef struct_stat info
    if fd < 0:
        t7_fail("cannot create <%s> (%s)", name, strerror(errno))
        return NULL
    if like != NULL and c_stat(like, &info) == 0:
        fchmod(fd, info.st_mode & 0o7777)
    cdef FILE *handle = fdopen(fd, "wb")
    if handle == NULL:
        close_fd(fd)
        t7_fail("cannot open <%s> (%s)", name, strerror(errno))
        return NULL
    cdef T7File *f = new_file(T7_FILE_DISK, False, True)
    if f == NULL:
        fclose(handle)
        return NULL
    f._handle = handle
    return f


cdef public T7File *t7_file_open_memory(T7Storage *storage, const char *mode) noexcept nogil:
    cdef bint readable, writable
    if not parse_mode(mode, False, &readable, &writable):
        t7_fail("file mode should be 'r','w' or 'rw'")
        return NULL
    if storage != NULL:
        if storage._dtype != T7_CHAR:
            t7_fail("a memory file holds a CharStorage, not a %sStorage",
                    TYPE_NAMES[storage._dtype])
            return NULL
        if storage._size < 1 or storage._data[storage._size - 1] != 0:
            t7_fail("provided CharStorage must be terminated by 0")
            return NULL
        t7_storage_retain(storage)
    else:
        storage = t7_storage_new(T7_CHAR, 1)
        if storage == NULL:
            return NULL
    cdef T7File *f = new_file(T7_FILE_MEMORY, readable, writable)
    if f == NULL:
        t7_storage_release(storage)
        return NULL
    f._storage = storage
    f._size = storage._size - 1
    return f


cdef public int t7_file_close(T7File *f) noexcept nogil:
    cdef int status = 0
    if f == NULL or not is_open(f):
        return t7_fail("attempt to use a closed file")
    if f._kind == T7_FILE_MEMORY:
        t7_storage_release(f._storage)
        f._storage = NULL
        return 0
    if f._kind == T7_FILE_PIPE:
        status = pclose(handle_of(f))
    else:
        status = fclose(handle_of(f))
    f._handle = NULL
    if status == -1 or (f._kind == T7_FILE_DISK and status != 0):
        f.has_error = 1
        t7_fail("closing the file failed (%s): what was written may be lost", strerror(errno))
        return 1
    return 0


cdef public void t7_file_free(T7File *f) noexcept nogil:
    if f == NULL:
        return
    if is_open(f):
        t7_file_close(f)
    free(f)


cdef public int64_t t7_file_read(T7File *f, int dtype, void *data, int64_t n) noexcept nogil:
    if not valid_dtype(dtype):
        return t7_fail("unknown element type %d", dtype)
    if n < 0:
        return t7_fail("cannot read a negative number (%lld) of values", <ll>n)
    if check_use(f, True, False) != 0:
        return -1
    if n == 0:
        return 0
    cdef int64_t got = read_values(f, dtype, <char *>data, n)
    if got != n:
        f.has_error = 1
        t7_fail("read error: read %lld blocks instead of %lld", <ll>got, <ll>n)
    return got


cdef public int64_t t7_file_write(T7File *f, int dtype, const void *data, int64_t n) noexcept nogil:
    if not valid_dtype(dtype):
        return t7_fail("unknown element type %d", dtype)
    if n < 0:
        return t7_fail("cannot write a negative number (%lld) of values", <ll>n)
    if check_use(f, False, True) != 0:
        return -1
    if n == 0:
        return 0
    cdef int64_t wrote
    if f.binary:
        wrote = write_binary(f, dtype, <const char *>data, n)
    else:
        wrote = write_ascii(f, dtype, <const char *>data, n)
    if wrote < 0:
        return -1
    if wrote != n:
        f.has_error = 1
        t7_fail("write error: wrote %lld blocks instead of %lld (%s)", <ll>wrote, <ll>n,
                strerror(errno))
    return wrote


cdef union Scalar:
    uint8_t u8
    int8_t i8
    int16_t i16
    int32_t i32
    int64_t i64
    float f32
    double f64
    uint16_t f16


cdef public int t7_file_read_scalar(T7File *f, int dtype, double *value) noexcept nogil:
    """One value as a Lua number: 1 when read, 0 at a read error, -1 on misuse."""
    cdef Scalar s
    s.i64 = 0
    cdef int64_t got = t7_file_read(f, dtype, &s, 1)
    if got < 0:
        return -1
    if dtype == T7_BYTE:
        value[0] = s.u8
    elif dtype == T7_CHAR:
        value[0] = s.i8
    elif dtype == T7_SHORT:
        value[0] = s.i16
    elif dtype == T7_INT:
        value[0] = s.i32
    elif dtype == T7_LONG:
        value[0] = <double>s.i64
    elif dtype == T7_FLOAT:
        value[0] = s.f32
    elif dtype == T7_HALF:
        value[0] = half_to_float(s.f16)
    else:
        value[0] = s.f64
    if isnan(value[0]):
        value[0] = NAN          # whatever its bits were (see tame_nans)
    return <int>got


cdef inline int64_t to_integer(double value) noexcept nogil:
    """C's conversion, without its undefined cases: NaN gives 0, beyond int64 saturates."""
    if isnan(value):
        return 0
    if value >= 9.2233720368547758e18:
        return INT64_MAX
    if value <= -9.2233720368547758e18:
        return -INT64_MAX - 1
    return <int64_t>value


cdef public int t7_file_write_scalar(T7File *f, int dtype, double value) noexcept nogil:
    """One Lua number as the given type (integers truncated, as C): 1 written, 0 at a write
    error, -1 on misuse."""
    cdef Scalar s
    if dtype == T7_BYTE:
        s.u8 = <uint8_t>to_integer(value)
    elif dtype == T7_CHAR:
        s.i8 = <int8_t>to_integer(value)
    elif dtype == T7_SHORT:
        s.i16 = <int16_t>to_integer(value)
    elif dtype == T7_INT:
        s.i32 = <int32_t>to_integer(value)
    elif dtype == T7_LONG:
        s.i64 = to_integer(value)
    elif dtype == T7_FLOAT:
        s.f32 = <float>value
    elif dtype == T7_HALF:
        s.f16 = float_to_half(<float>value)
    else:
        s.f64 = value
    return <int>t7_file_write(f, dtype, &s, 1)


cdef public int64_t t7_file_remaining(T7File *f) noexcept nogil:
    """Bytes left to read, or -1 where that cannot be known (pipes, terminals)."""
    cdef struct_stat info
    cdef int64_t here
    if f == NULL or not is_open(f):
        return -1
    if f._kind == T7_FILE_MEMORY:
        memory_repair(f)
        return f._size - f._position
    if f._kind == T7_FILE_PIPE or fstat(fileno(handle_of(f)), &info) != 0 \
            or not S_ISREG(info.st_mode):
        return -1
    here = ftello(handle_of(f))
    return info.st_size - here if here >= 0 and here <= info.st_size else 0


cdef public int t7_file_check_count(T7File *f, int dtype, int64_t n) noexcept nogil:
    """Whether n values of dtype can still be in the file: a length field is checked
    against the bytes left before anything is allocated for it."""
    if not valid_dtype(dtype):
        return t7_fail("unknown element type %d", dtype)
    if n < 0:
        return t7_fail("the file holds a negative length (%lld): it is corrupt", <ll>n)
    cdef int64_t left = t7_file_remaining(f)
    cdef int64_t per_value = file_element_size(f, dtype) if f.binary else 1
    if left >= 0 and n > left // per_value:
        return t7_fail("the file holds a length of %lld %s values, but only %lld bytes remain "
                       "in it: it is truncated or corrupt", <ll>n, TYPE_NAMES[dtype], <ll>left)
    return 0


cdef extern from *:
    """
    #include <sys/mman.h>
    /* Asks for huge pages over the 2 MiB-aligned inside of [p, p + n) where the system has
       them: a large buffer's first touches then fault 512 times less often. */
    static void t7_advise_huge_pages(void *p, size_t n) {
    #ifdef MADV_HUGEPAGE
        uintptr_t huge = (uintptr_t)1 << 21;
        uintptr_t start = ((uintptr_t)p + huge - 1) & ~(huge - 1);
        uintptr_t end = ((uintptr_t)p + n) & ~(huge - 1);
        if (end > start)
            madvise((void *)start, end - start, MADV_HUGEPAGE);
    #else
        (void)p; (void)n;
    #endif
    }
    """
    void t7_advise_huge_pages(void *p, size_t n) nogil

cdef enum:
    LARGE_READ_BYTES = 4 << 20


cdef inline void advise_huge_pages_when_large(T7Storage *s) noexcept nogil:
    cdef int64_t n = s._size * ELEMENT_SIZES[s._dtype]
    if n >= LARGE_READ_BYTES:
        t7_advise_huge_pages(s._data, n)


cdef int resize_for_reading(T7Storage *s, int64_t n) noexcept nogil:
    """s resized to n elements that the file is about to fill. A large storage gets new
    memory, not zeroed first and with huge pages where possible: a 100 MB load otherwise
    spends most of its time faulting in and clearing pages it then overwrites."""
    cdef int64_t elsize = ELEMENT_SIZES[s._dtype]
    cdef char *data
    if n * elsize < LARGE_READ_BYTES or s._exports > 0 \
            or (s._flags & (T7_STORAGE_OWNS_DATA | T7_STORAGE_RESIZABLE)) \
            != (T7_STORAGE_OWNS_DATA | T7_STORAGE_RESIZABLE):
        return t7_storage_resize(s, n)     # which also reports why it cannot
    data = <char *>malloc(n * elsize)
    if data == NULL:
        return t7_fail("not enough memory: you tried to allocate %.1f GB (%lld %s elements)",
                       n * elsize / 1073741824.0, <ll>n, TYPE_NAMES[s._dtype])
    t7_advise_huge_pages(data, n * elsize)
    heap_add((n - s._size) * elsize)
    free(s._data)
    s._data = data
    s._size = n
    return 0


cdef public int64_t t7_file_read_storage(T7File *f, T7Storage *s, int64_t n) noexcept nogil:
    """Reads up to n values into s, resized to the count read (returned). It never holds
    more than the file can: a length read from a file cannot make it allocate beyond that
    (where the file's size is unknown, the storage grows as the data arrives)."""
    if s == NULL:
        return t7_fail("no storage given")
    if check_use(f, True, False) != 0:
        return -1
    if n < 0:
        return t7_fail("cannot read a negative number (%lld) of values", <ll>n)
    cdef int64_t elsize = ELEMENT_SIZES[s._dtype]
    cdef int64_t left = t7_file_remaining(f)
    cdef int64_t per_value = file_element_size(f, s._dtype) if f.binary else 1
    cdef int64_t step = min2(n, left // per_value) if left >= 0 else min2(n, GROWTH_ELEMENTS)
    cdef int64_t done = 0, got
    if resize_for_reading(s, step) != 0:
        return -1
    while True:
        got = read_values(f, s._dtype, s._data + done * elsize, step - done)
        done += got
        if done < step or step == n or left >= 0:
            break
        step = min2(n, step + GROWTH_ELEMENTS)
        if t7_storage_resize(s, step) != 0:
            return -1
    if t7_storage_resize(s, done) != 0:
        return -1
    if done != n:
        f.has_error = 1
        t7_fail("read error: read %lld blocks instead of %lld", <ll>done, <ll>n)
    return done


cdef public int64_t t7_file_read_text(T7File *f, int whole, char **text) noexcept nogil:
    """readString: the next line without its newline (whole = 0) or everything left
    (whole = 1), in memory from malloc (the caller frees it with t7_file_free_text). At the
    end of the file: a read error, length 0."""
    text[0] = NULL
    if check_use(f, True, False) != 0:
        return -1
    cdef int64_t length = 0, capacity = 1024
    cdef char *buffer = <char *>malloc(capacity)
    cdef char *larger
    cdef int c = EOF
    if buffer == NULL:
        return t7_fail("not enough memory to read a string")
    if f._kind != T7_FILE_MEMORY:
        switch_direction(f, LAST_READ)
    while True:
        if f._kind == T7_FILE_MEMORY:
            if f._position < f._size:
                c = <unsigned char>f._storage._data[f._position]
                f._position += 1
            else:
                c = EOF
        else:
            c = getc(handle_of(f))
        if c == EOF or (c == c'\n' and not whole):
            break
        if length == capacity:
            capacity *= 2
            larger = <char *>realloc(buffer, capacity)
            if larger == NULL:
                free(buffer)
                return t7_fail("not enough memory to read a string of %lld bytes", <ll>length)
            buffer = larger
        buffer[length] = <char>c
        length += 1
    if length == 0 and c == EOF:
        free(buffer)
        f.has_error = 1
        t7_fail("read error: read 0 blocks instead of 1")
        return 0
    text[0] = buffer
    return length


cdef public void t7_file_free_text(char *text) noexcept nogil:
    free(text)


cdef public int64_t t7_file_write_text(T7File *f, const char *text, int64_t n) noexcept nogil:
    """writeString: the bytes as they are, in either mode."""
    if check_use(f, False, True) != 0:
        return -1
    cdef int64_t wrote = write_blocks(f, text, 1, n)
    if wrote < 0:
        return -1
    if wrote != n:
        f.has_error = 1
        t7_fail("write error: wrote %lld blocks instead of %lld", <ll>wrote, <ll>n)
    return wrote


cdef public int t7_file_seek(T7File *f, int64_t position) noexcept nogil:
    """position counts from 0; 1 (with has_error) when the file cannot go there."""
    if check_use(f, False, False) != 0:
        return -1
    if position < 0:
        return t7_fail("position must be positive")
    if f._kind == T7_FILE_MEMORY:
        if position > f._size:
            f.has_error = 1
            t7_fail("unable to seek at position %lld", <ll>position)
            return 1
        f._position = position
        return 0
    f._direction = LAST_NONE
    if fseeko(handle_of(f), position, SEEK_SET) < 0:
        f.has_error = 1
        t7_fail("unable to seek to position %lld", <ll>position)
        return 1
    return 0


cdef public int t7_file_seek_end(T7File *f) noexcept nogil:
    if check_use(f, False, False) != 0:
        return -1
    if f._kind == T7_FILE_MEMORY:
        f._position = f._size
        return 0
    f._direction = LAST_NONE
    if fseeko(handle_of(f), 0, SEEK_END) < 0:
        f.has_error = 1
        t7_fail("unable to seek at end of file")
        return 1
    return 0


cdef public int64_t t7_file_position(T7File *f) noexcept nogil:
    if check_use(f, False, False) != 0:
        return -1
    if f._kind == T7_FILE_MEMORY:
        return f._position
    cdef int64_t position = ftello(handle_of(f))
    if position < 0:
        return t7_fail("unable to obtain disk file offset (%s)", strerror(errno))
    return position


cdef public int t7_file_flush(T7File *f) noexcept nogil:
    if check_use(f, False, False) != 0:
        return -1
    if f._kind != T7_FILE_MEMORY and fflush(handle_of(f)) != 0:
        f.has_error = 1
        t7_fail("writing the file's buffer failed (%s)", strerror(errno))
        return 1
    return 0


cdef public int t7_file_no_buffer(T7File *f) noexcept nogil:
    if check_use(f, False, False) != 0:
        return -1
    if f._kind != T7_FILE_MEMORY and setvbuf(handle_of(f), NULL, _IONBF, 0) != 0:
        return t7_fail("error: cannot disable buffer")
    return 0


cdef public T7Storage *t7_file_memory_storage(T7File *f) noexcept nogil:
    """A memory file's storage (a new reference), _size bytes of content and a NUL."""
    if f == NULL or f._kind != T7_FILE_MEMORY:
        t7_fail("only a memory file has a storage")
        return NULL
    if check_use(f, False, False) != 0 or t7_storage_resize(f._storage, f._size + 1) != 0:
        return NULL
    f._storage._data[f._size] = 0
    t7_storage_retain(f._storage)
    return f._storage


cdef public int t7_path_kind(const char *path, char *resolved, int64_t capacity) noexcept nogil:
    """What path names, following links: 0 nothing, 1 a regular file, 2 anything else; for 1,
    resolved receives the file's real path (where an atomic save must put its copy)."""
    cdef struct_stat info
    cdef char *real
    if c_stat(path, &info) != 0:
        if errno == ENOENT:
            return 0
        return t7_fail("cannot inspect <%s> (%s)", path, strerror(errno))
    if not S_ISREG(info.st_mode):
        return 2
    real = realpath(path, NULL)
    if real == NULL:
        return t7_fail("cannot resolve <%s> (%s)", path, strerror(errno))
    if <int64_t>strlen(real) >= capacity:
        free(real)
        return t7_fail("the path <%s> is too long", path)
    strncpy(resolved, real, capacity)
    free(real)
    return 1
