# Sorting and selection along one dimension: sort, topk, kthvalue (and the median through
# it), mode. Each slice is copied with its positions into a buffer and ordered there.
#
# The order is total: equal values keep their positions' order and NaN comes above every
# number. The original's quicksort left equal values in an unspecified order; a stable one
# makes sort, topk, kthvalue and mode agree with each other on which index they report.

cdef enum SelectKind:
    SELECT_SORT, SELECT_TOPK, SELECT_KTH, SELECT_MODE

cdef enum:
    INSERTION_SORT_MAX = 16


cdef struct SortCtx:
    Slices s                # 0: the source, 1: the values, 2: the indices
    int kind
    int64_t k               # topk: how many; kthvalue: which (0-based)
    bint descending
    int64_t index_base
    bint out_of_memory


cdef inline bint before(real va, int64_t ia, real vb, int64_t ib, bint descending) noexcept nogil:
    """Whether (va, position ia) comes before (vb, ib)."""
    cdef bint a_nan, b_nan
    if real is float or real is double:
        a_nan = isnan(va)
        b_nan = isnan(vb)
        if a_nan or b_nan:
            if a_nan and b_nan:
                return ia < ib
            return a_nan if descending else b_nan
    if va != vb:
        return va > vb if descending else va < vb
    return ia < ib


cdef inline void swap(real *v, int64_t *idx, int64_t i, int64_t j) noexcept nogil:
    v[i], v[j] = v[j], v[i]
    idx[i], idx[j] = idx[j], idx[i]


cdef void insertion_sort(real *v, int64_t *idx, int64_t lo, int64_t hi,
                         bint desc) noexcept nogil:
    """Orders v[lo..hi] (inclusive)."""
    cdef int64_t i, j, ik
    cdef real vk
    for i in range(lo + 1, hi + 1):
        vk = v[i]
        ik = idx[i]
        j = i - 1
        while j >= lo and before(vk, ik, v[j], idx[j], desc):
            v[j + 1] = v[j]
            idx[j + 1] = idx[j]
            j -= 1
        v[j + 1] = vk
        idx[j + 1] = ik


cdef int64_t partition(real *v, int64_t *idx, int64_t lo, int64_t hi, bint desc) noexcept nogil:
    """Hoare partition of v[lo..hi] (at least 3 elements) around the median of three; returns
    the pivot's final place, everything before it ordered before it and after it after."""
    cdef int64_t mid = lo + (hi - lo) // 2
    if before(v[mid], idx[mid], v[lo], idx[lo], desc):
        swap(v, idx, mid, lo)
    if before(v[hi], idx[hi], v[lo], idx[lo], desc):
        swap(v, idx, hi, lo)
    if before(v[hi], idx[hi], v[mid], idx[mid], desc):
        swap(v, idx, hi, mid)
    # v[lo] <= v[mid] <= v[hi]: the median goes to hi - 1, both ends bound the scans
    swap(v, idx, mid, hi - 1)
    cdef real pv = v[hi - 1]
    cdef int64_t pi = idx[hi - 1]
    cdef int64_t i = lo, j = hi - 1
    while True:
        i += 1
        while before(v[i], idx[i], pv, pi, desc):
            i += 1
        j -= 1
        while before(pv, pi, v[j], idx[j], desc):
            j -= 1
        if i >= j:
            break
        swap(v, idx, i, j)
    swap(v, idx, i, hi - 1)
    return i


cdef void quick_sort(real *v, int64_t *idx, int64_t lo, int64_t hi, bint desc) noexcept nogil:
    """Orders v[lo..hi]; recurses into the smaller side only, so the depth stays O(log n)."""
    cdef int64_t p
    while hi - lo >= INSERTION_SORT_MAX:
        p = partition(v, idx, lo, hi, desc)
        if p - lo < hi - p:
            quick_sort(v, idx, lo, p - 1, desc)
            lo = p + 1
        else:
            quick_sort(v, idx, p + 1, hi, desc)
            hi = p - 1
    insertion_sort(v, idx, lo, hi, desc)


cdef void quick_select(real *v, int64_t *idx, int64_t n, int64_t k, bint desc) noexcept nogil:
    """Puts into place k the element the full order would put there, those before it in
    places below k and those after it above."""
    cdef int64_t lo = 0, hi = n - 1, p
    while hi - lo >= INSERTION_SORT_MAX:
        p = partition(v, idx, lo, hi, desc)
        if p == k:
            return
        if k < p:
            hi = p - 1
        else:
            lo = p + 1
    insertion_sort(v, idx, lo, hi, desc)


cdef void select_range(real *tag, void *vctx, int64_t start, int64_t end) noexcept nogil:
    cdef SortCtx *c = <SortCtx *>vctx
    cdef int64_t n = c.s.length
    cdef real *v = <real *>malloc(max(n, 1) * sizeof(real))
    cdef int64_t *idx = <int64_t *>malloc(max(n, 1) * sizeof(int64_t))
    if v == NULL or idx == NULL:
        c.out_of_memory = True
        free(v)
        free(idx)
        return
    cdef Walker ws, wv, wi
    walker_init(&ws, &c.s.outer[0], start)
    walker_init(&wv, &c.s.outer[1], start)
    walker_init(&wi, &c.s.outer[2], start)
    cdef int64_t pos, i, first, count, run, best_run, ss = c.s.step[0]
    cdef real *src
    cdef real *values
    cdef int64_t *indices
    for pos in range(start, end):
        src = <real *>ws.ptr
        for i in range(n):
            v[i] = src[i * ss]
            idx[i] = i
        first, count = 0, n          # the part of the buffer that is the result
        if c.kind == SELECT_SORT or c.kind == SELECT_MODE:
            quick_sort(v, idx, 0, n - 1, c.descending)
        elif c.kind == SELECT_TOPK:
            if c.k < n:
                quick_select(v, idx, n, c.k, c.descending)
            quick_sort(v, idx, 0, c.k - 1, c.descending)
            count = c.k
        else:
            quick_select(v, idx, n, c.k, False)
            first, count = c.k, 1
        if c.kind == SELECT_MODE:
            # the most frequent value, the first (smallest) of those as frequent, at the
            # last position it holds in the slice
            best_run = 0
            run = 0
            for i in range(n):
                run += 1
                if i == n - 1 or v[i] != v[i + 1]:
                    if run > best_run:
                        best_run = run
                        first = i
                    run = 0
            count = 1
        values = <real *>wv.ptr
        indices = <int64_t *>wi.ptr
        for i in range(count):
            values[i * c.s.step[1]] = v[first + i]
            indices[i * c.s.step[2]] = idx[first + i] + c.index_base
        walker_advance(&ws, 1)
        walker_advance(&wv, 1)
        walker_advance(&wi, 1)
    free(v)
    free(idx)


cdef range_fn SELECT[7]
SELECT[:] = [<range_fn>select_range[uint8_t], <range_fn>select_range[int8_t],
             <range_fn>select_range[int16_t], <range_fn>select_range[int32_t],
             <range_fn>select_range[int64_t], <range_fn>select_range[float],
             <range_fn>select_range[double]]


cdef int run_select(T7Tensor *values, T7Tensor *indices, const T7Tensor *t, int dim, int kind,
                    int64_t k, bint descending, int64_t index_base) noexcept nogil:
    if supported(t) != 0 or same_type(values, t) != 0 or check_dim(t, dim) != 0:
        return -1
    if indices._dtype != T7_LONG:
        return t7_fail("the index tensor must be a LongTensor, got a %sTensor",
                       TYPE_NAMES[indices._dtype])
    if values == t or indices == t or values == indices:
        return t7_fail("the results must be distinct from each other and from the input")
    cdef int64_t n = t._size[dim]
    if kind == SELECT_TOPK and (k < 1 or k > n):
        return t7_fail("k not in range for dimension")
    if kind == SELECT_KTH and (k < 0 or k >= n):
        return t7_fail("selected index out of range")
    if kind == SELECT_MODE and n == 0:
        return t7_fail("cannot take the mode along an empty dimension")
    cdef int64_t length = n if kind == SELECT_SORT else (k if kind == SELECT_TOPK else 1)
    if resize_reduced(values, t, dim, length) != 0 or resize_reduced(indices, t, dim, length) != 0:
        return -1
    cdef SortCtx c
    slices_init(&c.s, dim, t, values, indices)
    c.kind = kind
    c.k = k
    c.descending = descending
    c.index_base = index_base
    c.out_of_memory = False
    run_blocks(SELECT[t._dtype], &c, c.s.count, 8 * n if n > 0 else 1)
    if c.out_of_memory:
        return t7_fail("not enough memory")
    return 0


cdef public int t7_sort(T7Tensor *values, T7Tensor *indices, const T7Tensor *t, int dim,
                        int descending, int64_t index_base) noexcept nogil:
    return run_select(values, indices, t, dim, SELECT_SORT, 0, descending, index_base)

cdef public int t7_topk(T7Tensor *values, T7Tensor *indices, const T7Tensor *t, int64_t k,
                        int dim, int largest, int64_t index_base) noexcept nogil:
    return run_select(values, indices, t, dim, SELECT_TOPK, k, largest, index_base)

cdef public int t7_kthvalue(T7Tensor *values, T7Tensor *indices, const T7Tensor *t, int64_t k,
                            int dim, int64_t index_base) noexcept nogil:
    return run_select(values, indices, t, dim, SELECT_KTH, k - 1, False, index_base)

cdef public int t7_mode(T7Tensor *values, T7Tensor *indices, const T7Tensor *t, int dim,
                        int64_t index_base) noexcept nogil:
    return run_select(values, indices, t, dim, SELECT_MODE, 0, False, index_base)
