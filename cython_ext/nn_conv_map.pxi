# Convolutions whose planes are joined by a connection table (SpatialConvolutionMap and its
# transpose SpatialFullConvolutionMap): each row k of the table (input plane, output plane,
# counted from 1) has its own kH x kW kernel. Direct loops over planes, since the
# connections are sparse: outputs in parallel by plane, input gradients by input plane,
# weight gradients by connection, so that no two threads write the same plane.
#
# Each connection joins a *large* plane (the input of a convolution, the output of a
# transposed one) and a *small* one, with small[y][x] = sum k[ky][kx] *
# large[y*dH + ky][x*dW + kx] for the convolution, and its transpose.

cdef struct MapCall:
    int64_t batch
    int64_t n_in
    int64_t n_out
    int64_t n_conn
    int64_t kH
    int64_t kW
    int64_t dH
    int64_t dW
    int64_t inH
    int64_t inW
    int64_t outH
    int64_t outW
    bint transposed
    const int64_t *conn       # n_conn x 2, from 0
    const void *input
    const void *grad_output
    const void *weight
    const void *bias
    void *output
    void *grad_input
    void *grad_weight
    void *grad_bias
    double scale


cdef inline void small_from_large(floating *small, const floating *large, const floating *k,
                                  int64_t sH, int64_t sW, int64_t lW, int64_t kH, int64_t kW,
                                  int64_t dH, int64_t dW) noexcept nogil:
    """small += the valid cross-correlation of large with k (strides dH, dW)."""
    cdef int64_t y, x, ky, kx
    cdef floating total
    for y in range(sH):
        for x in range(sW):
            total = 0
            for ky in range(kH):
                for kx in range(kW):
                    total = total + k[ky * kW + kx] * large[(y * dH + ky) * lW + x * dW + kx]
            small[y * sW + x] += total


cdef inline void large_from_small(floating *large, const floating *small, const floating *k,
                                  int64_t sH, int64_t sW, int64_t lW, int64_t kH, int64_t kW,
                                  int64_t dH, int64_t dW) noexcept nogil:
    """large += the transpose of small_from_large applied to small."""
    cdef int64_t y, x, ky, kx
    cdef floating v
    for y in range(sH):
        for x in range(sW):
            v = small[y * sW + x]
            for ky in range(kH):
                for kx in range(kW):
                    large[(y * dH + ky) * lW + x * dW + kx] += v * k[ky * kW + kx]


cdef inline void kernel_from_pair(floating *k, const floating *large, const floating *small,
                                  int64_t sH, int64_t sW, int64_t lW, int64_t kH, int64_t kW,
                                  int64_t dH, int64_t dW, floating scale) noexcept nogil:
    """k += scale * the derivative of small_from_large's output . small by the kernel."""
    cdef int64_t y, x, ky, kx
    cdef floating total
    for ky in range(kH):
        for kx in range(kW):
            total = 0
            for y in range(sH):
                for x in range(sW):
                    total = total + small[y * sW + x] * large[(y * dH + ky) * lW + x * dW + kx]
            k[ky * kW + kx] += scale * total


cdef void map_forward_planes(floating *tag, MapCall *c, int64_t first,
                             int64_t last) noexcept nogil:
    cdef int64_t p, m, j, k, i
    cdef int64_t in_size = c.inH * c.inW, out_size = c.outH * c.outW
    cdef const floating *x = <const floating *>c.input
    cdef const floating *w = <const floating *>c.weight
    cdef const floating *b = <const floating *>c.bias
    cdef floating *y = <floating *>c.output
    cdef floating *plane
    for p in range(first, last):
        for m in range(c.batch):
            plane = y + (m * c.n_out + p) * out_size
            for j in range(out_size):
                plane[j] = b[p] if b != NULL else 0
            for k in range(c.n_conn):
                if c.conn[2 * k + 1] != p:
                    continue
                i = c.conn[2 * k]
                if c.transposed:
                    large_from_small(plane, x + (m * c.n_in + i) * in_size, w + k * c.kH * c.kW,
                                     c.inH, c.inW, c.outW, c.kH, c.kW, c.dH, c.dW)
                else:
                    small_from_large(plane, x + (m * c.n_in + i) * in_size, w + k * c.kH * c.kW,
                                     c.outH, c.outW, c.inW, c.kH, c.kW, c.dH, c.dW)


cdef void map_backward_planes(floating *tag, MapCall *c, int64_t first,
                              int64_t last) noexcept nogil:
    cdef int64_t i, m, k, o
    cdef int64_t in_size = c.inH * c.inW, out_size = c.outH * c.outW
    cdef const floating *g = <const floating *>c.grad_output
    cdef const floating *w = <const floating *>c.weight
    cdef floating *gi = <floating *>c.grad_input
    cdef floating *plane
    for i in range(first, last):
        for m in range(c.batch):
            plane = gi + (m * c.n_in + i) * in_size
            memset(plane, 0, in_size * sizeof(floating))
            for k in range(c.n_conn):
                if c.conn[2 * k] != i:
                    continue
                o = c.conn[2 * k + 1]
                if c.transposed:
                    small_from_large(plane, g + (m * c.n_out + o) * out_size,
                                     w + k * c.kH * c.kW, c.inH, c.inW, c.outW, c.kH, c.kW,
                                     c.dH, c.dW)
                else:
                    large_from_small(plane, g + (m * c.n_out + o) * out_size,
                                     w + k * c.kH * c.kW, c.outH, c.outW, c.inW, c.kH, c.kW,
                                     c.dH, c.dW)


cdef void map_params_connections(floating *tag, MapCall *c, int64_t first,
                                 int64_t last) noexcept nogil:
    cdef int64_t k, m, i, o
    cdef int64_t in_size = c.inH * c.inW, out_size = c.outH * c.outW
    cdef const floating *x = <const floating *>c.input
    cdef const floating *g = <const floating *>c.grad_output
    cdef floating *gw = <floating *>c.grad_weight
    cdef floating scale = <floating>c.scale
    for k in range(first, last):
        i = c.conn[2 * k]
        o = c.conn[2 * k + 1]
        for m in range(c.batch):
            if c.transposed:
                kernel_from_pair(gw + k * c.kH * c.kW, g + (m * c.n_out + o) * out_size,
                                 x + (m * c.n_in + i) * in_size, c.inH, c.inW, c.outW, c.kH,
                                 c.kW, c.dH, c.dW, scale)
            else:
                kernel_from_pair(gw + k * c.kH * c.kW, x + (m * c.n_in + i) * in_size,
                                 g + (m * c.n_out + o) * out_size, c.outH, c.outW, c.inW, c.kH,
                                 c.kW, c.dH, c.dW, scale)


cdef void map_bias_grad(floating *tag, MapCall *c) noexcept nogil:
    cdef int64_t p, m, j
    cdef int64_t out_size = c.outH * c.outW
    cdef const floating *g = <const floating *>c.grad_output
    cdef floating *gb = <floating *>c.grad_bias
    cdef double total
    for p in range(c.n_out):
        total = 0
        for m in range(c.batch):
            for j in range(out_size):
                total += g[(m * c.n_out + p) * out_size + j]
        gb[p] += <floating>(c.scale * total)


ctypedef void (*map_fn)(void *tag, MapCall *c, int64_t first, int64_t last) noexcept nogil


cdef void run_map(map_fn fn, MapCall *c, int64_t items) noexcept nogil:
    cdef int64_t work = c.batch * c.n_conn * c.kH * c.kW * max2(c.inH * c.inW, c.outH * c.outW)
    parallel_ranges(<range_fn>fn, c, items, blocks_for(items, work))


cdef int map_setup(MapCall *c, const T7Tensor *input, const T7Tensor *weight,
                   const T7Tensor *conn, int64_t n_in, int64_t n_out, int64_t dW, int64_t dH,
                   bint transposed, int64_t **table) noexcept nogil:
    cdef int64_t k, i, o
    memset(c, 0, sizeof(MapCall))
    table[0] = NULL
    if same_floating(input, weight) != 0:
        return -1
    if weight._ndim != 3 or conn._ndim != 2 or conn._size[1] != 2 \
            or conn._size[0] != weight._size[0]:
        return fail_shape("3D weight tensor expected (connTable:size(1) x kH x kW), but got ",
                          weight)
    if dW < 1 or dH < 1:
        return t7_fail("strides must be positive, got %lld, %lld", <ll>dW, <ll>dH)
    if input._ndim == 3:
        c.batch = 1
    elif input._ndim == 4:
        c.batch = input._size[0]
    else:
        return fail_shape("3D or 4D(batch mode) tensor expected, but got input of size ", input)
    cdef int d = input._ndim - 3
    if input._size[d] < n_in:
        return t7_fail("invalid number of input planes: at least %lld expected, got %lld",
                       <ll>n_in, <ll>input._size[d])
    # planes beyond those the table connects are allowed, as the original, and unused
    n_in = input._size[d]
    c.n_in = n_in
    c.n_out = n_out
    c.n_conn = conn._size[0]
    c.kH = weight._size[1]
    c.kW = weight._size[2]
    c.dH = dH
    c.dW = dW
    c.transposed = transposed
    c.inH = input._size[d + 1]
    c.inW = input._size[d + 2]
    if transposed:
        c.outH = (c.inH - 1) * dH + c.kH
        c.outW = (c.inW - 1) * dW + c.kW
    else:
        if c.inH < c.kH or c.inW < c.kW:
            return t7_fail("input image (%lldx%lld) smaller than kernel size (%lldx%lld)",
                           <ll>c.inH, <ll>c.inW, <ll>c.kH, <ll>c.kW)
        c.outH = (c.inH - c.kH) // dH + 1
        c.outW = (c.inW - c.kW) // dW + 1
    table[0] = <int64_t *>malloc(2 * c.n_conn * sizeof(int64_t))
    if table[0] == NULL:
        return t7_fail("not enough memory")
    for k in range(c.n_conn):
        i = <int64_t>element_as_double_2d(conn, k, 0) - 1
        o = <int64_t>element_as_double_2d(conn, k, 1) - 1
        if i < 0 or i >= n_in or o < 0 or o >= n_out:
            free(table[0])
            table[0] = NULL
            return t7_fail("connection %lld joins planes %lld and %lld, outside 1..%lld and "
                           "1..%lld", <ll>(k + 1), <ll>(i + 1), <ll>(o + 1), <ll>n_in,
                           <ll>n_out)
        table[0][2 * k] = i
        table[0][2 * k + 1] = o
    c.conn = table[0]
    return 0


cdef double element_as_double_2d(const T7Tensor *t, int64_t i, int64_t j) noexcept nogil:
    cdef T7Tensor row
    memcpy(&row, t, sizeof(T7Tensor))
    row._offset = t._offset + i * t._stride[0]
    row._ndim = 1
    row._size[0] = t._size[1]
    row._stride[0] = t._stride[1]
    return element_as_double(&row, j)


cdef void map_shape(const MapCall *c, bint output_side, int64_t *size) noexcept nogil:
    """batch x planes x height x width of the output (or input) side."""
    size[0] = c.batch
    size[1] = c.n_out if output_side else c.n_in
    size[2] = c.outH if output_side else c.inH
    size[3] = c.outW if output_side else c.inW


cdef const void *held_data(const T7Tensor *t, T7Tensor **copy, int *status) noexcept nogil:
    """The data of t, or of a contiguous copy of it (status -1 when that fails)."""
    cdef const T7Tensor *held = contiguous_or_copy(t, copy)
    if held == NULL:
        status[0] = -1
        return NULL
    return tensor_data(held)


cdef int map_result(T7Tensor *t, const T7Tensor *input, const MapCall *c,
                    bint output_side) noexcept nogil:
    cdef int64_t size[4]
    map_shape(c, output_side, size)
    if same_type(input, t) != 0:
        return -1
    if input._ndim == 3:
        return resize_contiguous(t, 3, size + 1)
    return resize_contiguous(t, 4, size)


cdef int map_grad_output(const T7Tensor *grad_output, const T7Tensor *input,
                         const MapCall *c) noexcept nogil:
    cdef int64_t size[4]
    cdef int d
    map_shape(c, True, size)
    if same_type(input, grad_output) != 0:
        return -1
    cdef int first = 1 if input._ndim == 3 else 0
    if grad_output._ndim != input._ndim:
        return fail_shape("gradOutput shaped like the output expected, but got ", grad_output)
    for d in range(grad_output._ndim):
        if grad_output._size[d] != size[first + d]:
            return fail_shape("gradOutput shaped like the output expected, but got ",
                              grad_output)
    return 0


cdef public int t7_nn_conv_map_forward(T7Tensor *output, const T7Tensor *input,
                                       const T7Tensor *weight, const T7Tensor *bias,
                                       const T7Tensor *conn, int64_t n_in, int64_t n_out,
                                       int64_t dW, int64_t dH, int transposed) noexcept nogil:
    cdef MapCall c
    cdef int64_t *table
    cdef T7Tensor *copies[2]
    if map_setup(&c, input, weight, conn, n_in, n_out, dW, dH, transposed != 0, &table) != 0:
        return -1
    copies[0] = copies[1] = NULL
    cdef int status = 0
    if per_plane(bias, input, n_out, "bias") != 0 or map_result(output, input, &c, True) != 0:
        status = -1
    else:
        c.input = held_data(input, &copies[0], &status)
        c.weight = held_data(weight, &copies[1], &status)
        c.bias = tensor_data(bias) if bias != NULL else NULL
        c.output = tensor_data(output)
        if status == 0 and input._dtype == T7_FLOAT:
            run_map(<map_fn>map_forward_planes[float], &c, n_out)
        elif status == 0:
            run_map(<map_fn>map_forward_planes[double], &c, n_out)
    free(table)
    t7_tensor_release(copies[0])
    t7_tensor_release(copies[1])
    return status


cdef public int t7_nn_conv_map_backward_input(T7Tensor *grad_input, const T7Tensor *input,
                                              const T7Tensor *grad_output,
                                              const T7Tensor *weight, const T7Tensor *conn,
                                              int64_t n_in, int64_t n_out, int64_t dW,
                                              int64_t dH, int transposed) noexcept nogil:
    cdef MapCall c
    cdef int64_t *table
    cdef T7Tensor *copies[2]
    if map_setup(&c, input, weight, conn, n_in, n_out, dW, dH, transposed != 0, &table) != 0:
        return -1
    copies[0] = copies[1] = NULL
    cdef int status = 0
    if map_grad_output(grad_output, input, &c) != 0 \
            or map_result(grad_input, input, &c, False) != 0:
        status = -1
    else:
        c.grad_output = held_data(grad_output, &copies[0], &status)
        c.weight = held_data(weight, &copies[1], &status)
        c.grad_input = tensor_data(grad_input)
        if status == 0 and input._dtype == T7_FLOAT:
            run_map(<map_fn>map_backward_planes[float], &c, c.n_in)
        elif status == 0:
            run_map(<map_fn>map_backward_planes[double], &c, c.n_in)
    free(table)
    t7_tensor_release(copies[0])
    t7_tensor_release(copies[1])
    return status


cdef public int t7_nn_conv_map_backward_params(T7Tensor *grad_weight, T7Tensor *grad_bias,
                                               const T7Tensor *input,
                                               const T7Tensor *grad_output,
                                               const T7Tensor *conn, int64_t n_in,
                                               int64_t n_out, int64_t dW, int64_t dH,
                                               int transposed, double scale) noexcept nogil:
    cdef MapCall c
    cdef int64_t *table
    cdef T7Tensor *copies[2]
    if map_setup(&c, input, grad_weight, conn, n_in, n_out, dW, dH, transposed != 0,
                 &table) != 0:
        return -1
    copies[0] = copies[1] = NULL
    cdef int status = 0
    if map_grad_output(grad_output, input, &c) != 0 \
            or per_plane(grad_bias, input, n_out, "gradBias") != 0:
        status = -1
    elif not contiguous(grad_weight):
        status = t7_fail("gradWeight must be contiguous")
    else:
        c.input = held_data(input, &copies[0], &status)
        c.grad_output = held_data(grad_output, &copies[1], &status)
        c.grad_weight = tensor_data(grad_weight)
        c.grad_bias = tensor_data(grad_bias) if grad_bias != NULL else NULL
        c.scale = scale
        if status == 0 and input._dtype == T7_FLOAT:
            run_map(<map_fn>map_params_connections[float], &c, c.n_conn)
            if grad_bias != NULL:
                map_bias_grad(<float *>NULL, &c)
        elif status == 0:
            run_map(<map_fn>map_params_connections[double], &c, c.n_conn)
            if grad_bias != NULL:
                map_bias_grad(<double *>NULL, &c)
    free(table)
    t7_tensor_release(copies[0])
    t7_tensor_release(copies[1])
    return status
