// Element-wise operations, reductions, random fills and row gathering.

#include <cmath>

#include "common.cuh"

namespace t7cu {

namespace {

constexpr int READS_X = 1, READS_Y = 2, READS_Z = 4;

// Which operands each T7CU_* operation reads, checked before launching.
int operands_read(int op) {
    switch (op) {
    case T7CU_FILL: return 0;
    case T7CU_ADD: case T7CU_MUL: case T7CU_DIV: case T7CU_THRESHOLD_GRAD:
    case T7CU_TANH_GRAD: case T7CU_SIGMOID_GRAD: case T7CU_SCALED_DIFF:
        return READS_X | READS_Y;
    case T7CU_ADDCMUL: case T7CU_ADDCDIV: return READS_X | READS_Y | READS_Z;
    default: return READS_X;
    }
}

// The operation's value for one element. The switch is uniform across a launch, so every
// thread of a warp takes the same branch.
__device__ __forceinline__ float apply(int op, float x, float y, float z, float a, float b) {
    switch (op) {
    case T7CU_FILL: return a;
    case T7CU_COPY: return x;
    case T7CU_ADD_SCALAR: return x + a;
    case T7CU_MUL_SCALAR: return x * a;
    case T7CU_ADD: return x + a * y;
    case T7CU_MUL: return x * y;
    case T7CU_DIV: return x / y;
    case T7CU_ADDCMUL: return x + a * y * z;
    case T7CU_ADDCDIV: return x + a * y / z;
    case T7CU_ABS: return fabsf(x);
    case T7CU_EXP: return expf(x);
    case T7CU_LOG: return logf(x);
    case T7CU_SQRT: return sqrtf(x);
    case T7CU_POW: return powf(x, a);
    case T7CU_TANH: return tanhf(x);
    case T7CU_SIGMOID: return 1.f / (1.f + expf(-x));
    case T7CU_CLAMP: return fminf(fmaxf(x, a), b);
    case T7CU_THRESHOLD: return x > a ? x : b;
    case T7CU_THRESHOLD_GRAD: return y > a ? x : 0.f;
    case T7CU_TANH_GRAD: return x * (1.f - y * y);
    case T7CU_SIGMOID_GRAD: return x * y * (1.f - y);
    case T7CU_SCALED_DIFF: return a * (x - y);
    case T7CU_NEG: return -x;
    case T7CU_SQUARE: return x * x;
    case T7CU_DIV_SCALAR: return x / a;
    default: return 0.f;
    }
}

// All operands contiguous: plain indices.
__global__ void map_dense(float *r, const float *x, const float *y, const float *z, int64_t n,
                          int op, float a, float b) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n;
         i += (int64_t)gridDim.x * blockDim.x) {
        float xv = x ? x[i] : 0.f, yv = y ? y[i] : 0.f, zv = z ? z[i] : 0.f;
        r[i] = apply(op, xv, yv, zv, a, b);
    }
}

// Any strides: each operand walks its own (collapsed) geometry in row-major order.
__global__ void map_strided(Strided r, Strided x, Strided y, Strided z, int64_t n, int op,
                            float a, float b) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n;
         i += (int64_t)gridDim.x * blockDim.x) {
        float xv = x.data ? x.data[x.offset(i)] : 0.f;
        float yv = y.data ? y.data[y.offset(i)] : 0.f;
        float zv = z.data ? z.data[z.offset(i)] : 0.f;
        r.data[r.offset(i)] = apply(op, xv, yv, zv, a, b);
    }
}

// ---- reductions ------------------------------------------------------------------------

__device__ __forceinline__ double reduce_start(int op) {
    return op == T7CU_MAX ? -HUGE_VAL : (op == T7CU_MIN ? HUGE_VAL : 0.0);
}

__device__ __forceinline__ double reduce_step(int op, double acc, double v) {
    switch (op) {
    case T7CU_MAX: return (v > acc || v != v) ? v : acc;   // a NaN wins, as on the CPU
    case T7CU_MIN: return (v < acc || v != v) ? v : acc;
    case T7CU_SUMSQ: return acc + v * v;
    default: return acc + v;
    }
}

__device__ __forceinline__ double reduce_merge(int op, double a, double b) {
    if (op == T7CU_MAX) return (b > a || b != b) ? b : a;
    if (op == T7CU_MIN) return (b < a || b != b) ? b : a;
    return a + b;
}

// Reduces the block's values to thread 0's; every thread must call it.
__device__ double block_reduce(int op, double value) {
    __shared__ double partial[kThreads / 32];
    for (int delta = 16; delta > 0; delta /= 2) {
        value = reduce_merge(op, value, __shfl_down_sync(0xffffffffu, value, delta));
    }
    int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
    if (lane == 0) partial[warp] = value;
    __syncthreads();
    if (warp == 0) {
        value = lane < (int)(blockDim.x / 32) ? partial[lane] : reduce_start(op);
        for (int delta = 16; delta > 0; delta /= 2) {
            value = reduce_merge(op, value, __shfl_down_sync(0xffffffffu, value, delta));
        }
    }
    __syncthreads();
    return value;
}

// First pass: each block reduces a grid-strided share into partials[block].
__global__ void reduce_partials(const float *x, int64_t n, int op, double *partials) {
    double acc = reduce_start(op);
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n;
         i += (int64_t)gridDim.x * blockDim.x) {
        acc = reduce_step(op, acc, x[i]);
    }
    acc = block_reduce(op, acc);
    if (threadIdx.x == 0) partials[blockIdx.x] = acc;
}

__global__ void reduce_final(double *partials, int count, int op) {
    double acc = reduce_start(op);
    for (int i = threadIdx.x; i < count; i += blockDim.x) acc = reduce_merge(op, acc, partials[i]);
    acc = block_reduce(op, acc);
    if (threadIdx.x == 0) partials[0] = acc;
}

// Along a dimension of a contiguous [outer, n, inner] block. inner == 1: a block per row;
// otherwise a thread per output.
__global__ void reduce_rows(const float *x, int64_t outer, int64_t n, int op, float *r,
                            float *positions) {
    for (int64_t row = blockIdx.x; row < outer; row += gridDim.x) {
        const float *p = x + row * n;
        double acc = reduce_start(op);
        for (int64_t k = threadIdx.x; k < n; k += blockDim.x) acc = reduce_step(op, acc, p[k]);
        acc = block_reduce(op, acc);
        if (threadIdx.x == 0) {
            r[row] = static_cast<float>(op == T7CU_MEAN ? acc / n : acc);
        }
        if (positions != nullptr && threadIdx.x == 0) {
            // the first position holding the maximum, as the CPU core reports it
            int64_t at = 0;
            for (int64_t k = 0; k < n; ++k) {
                if ((double)p[k] == acc || p[k] != p[k]) { at = k; break; }
            }
            positions[row] = static_cast<float>(at + 1);
        }
    }
}

__global__ void reduce_columns(const float *x, int64_t outer, int64_t n, int64_t inner, int op,
                               float *r, float *positions) {
    int64_t total = outer * inner;
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < total;
         i += (int64_t)gridDim.x * blockDim.x) {
        int64_t o = i / inner, in = i % inner;
        const float *p = x + o * n * inner + in;
        double acc = reduce_start(op);
        int64_t at = 0;
        for (int64_t k = 0; k < n; ++k) {
            double next = reduce_step(op, acc, p[k * inner]);
            if (next != acc && k > 0 && (op == T7CU_MAX || op == T7CU_MIN)) at = k;
            acc = next;
        }
        r[i] = static_cast<float>(op == T7CU_MEAN ? acc / n : acc);
        if (positions) positions[i] = static_cast<float>(at + 1);
    }
}

// ---- random numbers: Philox-4x32-10, a counter-based generator (Salmon et al., 2011) -------

__device__ __forceinline__ uint4 philox(uint4 counter, uint2 key) {
    const uint32_t M0 = 0xD2511F53u, M1 = 0xCD9E8D57u, W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;
    for (int round = 0; round < 10; ++round) {
        uint32_t hi0 = __umulhi(M0, counter.x), lo0 = M0 * counter.x;
        uint32_t hi1 = __umulhi(M1, counter.z), lo1 = M1 * counter.z;
        counter = make_uint4(hi1 ^ counter.y ^ key.x, lo1, hi0 ^ counter.w ^ key.y, lo0);
        key.x += W0;
        key.y += W1;
    }
    return counter;
}

__global__ void random_fill(Strided r, int64_t n, int kind, float a, float b, uint64_t seed,
                            uint64_t offset) {
    uint2 key = make_uint2(static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32));
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n;
         i += (int64_t)gridDim.x * blockDim.x) {
        uint64_t c = offset + static_cast<uint64_t>(i);
        uint4 bits = philox(make_uint4(static_cast<uint32_t>(c), static_cast<uint32_t>(c >> 32),
                                       0u, 0u), key);
        const float unit = 1.0f / 16777216.0f;              // 24 random bits per float
        float u = (bits.x >> 8) * unit;                      // [0, 1)
        float value;
        if (kind == T7CU_UNIFORM) {
            value = a + u * (b - a);
        } else if (kind == T7CU_NORMAL) {
            float u1 = ((bits.x >> 8) + 1) * unit;           // (0, 1]: the log stays finite
            float u2 = (bits.y >> 8) * unit;
            value = a + b * sqrtf(-2.f * logf(u1)) * cospif(2.f * u2);
        } else {
            value = u < a ? 1.f : 0.f;
        }
        r.data[r.offset(i)] = value;
    }
}

// Gathers rows; an index out of range sets *bad (checked by the host) and gives zeros.
__global__ void gather_rows(float *r, const float *src, int64_t rows, int64_t cols,
                            const float *indices, int64_t n, int base, int *bad) {
    int64_t total = n * cols;
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < total;
         i += (int64_t)gridDim.x * blockDim.x) {
        int64_t k = i / cols, c = i % cols;
        int64_t row = static_cast<int64_t>(indices[k]) - base;
        if (row < 0 || row >= rows) {
            *bad = 1;
            r[i] = 0.f;
        } else {
            r[i] = src[row * cols + c];
        }
    }
}

}  // namespace

int check_index_flag(int *flag, const char *what) {
    int value = 0;
    cudaStream_t stream = current_stream();
    if (check_cuda(cudaMemcpyAsync(&value, flag, sizeof value, cudaMemcpyDeviceToHost, stream),
                   what)) return -1;
    if (check_cuda(cudaStreamSynchronize(stream), what)) return -1;
    return value ? fail("%s: index out of range", what) : 0;
}

}  // namespace t7cu

using namespace t7cu;

extern "C" {

int t7cu_map(T7CudaTensor *r, const T7CudaTensor *x, const T7CudaTensor *y,
             const T7CudaTensor *z, int op, float a, float b) {
    if (op < 0 || op >= T7CU_OP_COUNT) return fail("unknown element-wise operation %d", op);
    if (!check_tensor(r, "result")) return -1;
    int reads = operands_read(op);
    const T7CudaTensor *operands[3] = {x, y, z};
    const char *names[3] = {"first operand", "second operand", "third operand"};
    for (int k = 0; k < 3; ++k) {
        if (!(reads & (1 << k))) continue;
        if (!check_tensor(operands[k], names[k])) return -1;
        if (!check_same_count(r, operands[k], "element-wise operation")) return -1;
        if (!check_on_current_device(operands[k], names[k])) return -1;
    }
    if (!check_on_current_device(r, "result")) return -1;
    int64_t n = nelement(r);
    if (n == 0) return 0;
    const T7CudaTensor *xs = (reads & READS_X) ? x : nullptr;
    const T7CudaTensor *ys = (reads & READS_Y) ? y : nullptr;
    const T7CudaTensor *zs = (reads & READS_Z) ? z : nullptr;
    bool dense = is_contiguous(r) && (!xs || is_contiguous(xs)) && (!ys || is_contiguous(ys)) &&
                 (!zs || is_contiguous(zs));
    cudaStream_t stream = current_stream();
    if (dense) {
        map_dense<<<blocks_for(n), kThreads, 0, stream>>>(
            first_element(r), xs ? first_element(xs) : nullptr,
            ys ? first_element(ys) : nullptr, zs ? first_element(zs) : nullptr, n, op, a, b);
    } else {
        Strided none = {};
        map_strided<<<blocks_for(n), kThreads, 0, stream>>>(
            strided(r), xs ? strided(xs) : none, ys ? strided(ys) : none,
            zs ? strided(zs) : none, n, op, a, b);
    }
    return check_launch("element-wise operation");
}

int t7cu_reduce_all(const T7CudaTensor *x, int op, double *result) {
    if (op < T7CU_SUM || op > T7CU_SUMSQ) return fail("unknown reduction %d", op);
    int64_t n = nelement(x);
    if (n == 0) {
        if (op == T7CU_MAX || op == T7CU_MIN) return fail("the tensor is empty");
        *result = 0;
        return 0;
    }
    ContiguousView dense(x);
    if (!dense.ok()) return -1;
    const int blocks = 512;
    Scratch partials(2 * blocks);  // doubles, in float-sized units
    if (!partials.ok()) return -1;
    double *p = reinterpret_cast<double *>(partials.get());
    int inner_op = op == T7CU_MEAN ? T7CU_SUM : op;
    cudaStream_t stream = current_stream();
    unsigned grid = blocks_for(n) < (unsigned)blocks ? blocks_for(n) : blocks;
    reduce_partials<<<grid, kThreads, 0, stream>>>(dense.data(), n, inner_op, p);
    reduce_final<<<1, kThreads, 0, stream>>>(p, grid, inner_op);
    if (check_launch("reduction")) return -1;
    if (check_cuda(cudaMemcpyAsync(result, p, sizeof(double), cudaMemcpyDeviceToHost, stream),
                   "reduction")) return -1;
    if (check_cuda(cudaStreamSynchronize(stream), "reduction")) return -1;
    if (op == T7CU_MEAN) *result /= static_cast<double>(n);
    return 0;
}

static int reduce_dim(T7CudaTensor *r, T7CudaTensor *positions, const T7CudaTensor *x, int dim,
                      int op) {
    if (dim < 0 || dim >= x->_ndim) {
        return fail("dimension %d out of range of %dD tensor", dim + 1, x->_ndim);
    }
    int64_t size[T7CU_MAX_DIMS];
    int64_t outer = 1, inner = 1, n = x->_size[dim];
    for (int d = 0; d < x->_ndim; ++d) {
        size[d] = d == dim ? 1 : x->_size[d];
        if (d < dim) outer *= x->_size[d];
        if (d > dim) inner *= x->_size[d];
    }
    if (n == 0) return fail("cannot reduce an empty dimension");
    ContiguousView dense(x);
    if (!dense.ok()) return -1;
    // the results are written densely, then copied where r's strides say
    if (resize(r, x->_ndim, size)) return -1;
    if (positions && resize(positions, x->_ndim, size)) return -1;
    if (!check_contiguous(r, "the result") ||
        (positions && !check_contiguous(positions, "the positions"))) return -1;
    cudaStream_t stream = current_stream();
    float *pos = positions ? first_element(positions) : nullptr;
    if (inner == 1) {
        unsigned grid = outer < 65535 ? static_cast<unsigned>(outer) : 65535u;
        reduce_rows<<<grid, kThreads, 0, stream>>>(dense.data(), outer, n, op,
                                                   first_element(r), pos);
    } else {
        reduce_columns<<<blocks_for(outer * inner), kThreads, 0, stream>>>(
            dense.data(), outer, n, inner, op, first_element(r), pos);
    }
    return check_launch("reduction along a dimension");
}

int t7cu_reduce_dim(T7CudaTensor *r, const T7CudaTensor *x, int dim, int op) {
    if (op < T7CU_SUM || op > T7CU_SUMSQ) return fail("unknown reduction %d", op);
    return reduce_dim(r, nullptr, x, dim, op);
}

int t7cu_max_dim(T7CudaTensor *values, T7CudaTensor *positions, const T7CudaTensor *x,
                 int dim) {
    return reduce_dim(values, positions, x, dim, T7CU_MAX);
}

int t7cu_random(T7CudaTensor *r, int kind, double a, double b) {
    if (kind < T7CU_UNIFORM || kind > T7CU_BERNOULLI) return fail("unknown distribution %d", kind);
    if (kind == T7CU_NORMAL && !(b > 0)) return fail("standard deviation must be positive");
    if (kind == T7CU_BERNOULLI && !(a >= 0 && a <= 1)) {
        return fail("p must be in [0, 1], got %g", a);
    }
    if (!check_on_current_device(r, "the tensor")) return -1;
    int64_t n = nelement(r);
    if (n == 0) return 0;
    uint64_t offset = __atomic_fetch_add(&random_offset, static_cast<uint64_t>(n),
                                         __ATOMIC_RELAXED);
    random_fill<<<blocks_for(n), kThreads, 0, current_stream()>>>(
        strided(r), n, kind, static_cast<float>(a), static_cast<float>(b), random_seed, offset);
    return check_launch("random fill");
}

int t7cu_index_rows(T7CudaTensor *r, const T7CudaTensor *src, const T7CudaTensor *indices,
                    int index_base) {
    if (src->_ndim != 2) {
        return fail("rows are picked from a matrix, got a %dD tensor", src->_ndim);
    }
    if (indices->_ndim != 1) return fail("indices must be a vector");
    if (!check_contiguous(src, "the source")) return -1;
    ContiguousView idx(indices);
    if (!idx.ok()) return -1;
    int64_t n = indices->_size[0], cols = src->_size[1];
    int64_t size[2] = {n, cols};
    if (resize(r, 2, size)) return -1;
    if (!check_contiguous(r, "the result")) return -1;
    Scratch flag(1);
    if (!flag.ok()) return -1;
    int *bad = reinterpret_cast<int *>(flag.get());
    cudaStream_t stream = current_stream();
    if (check_cuda(cudaMemsetAsync(bad, 0, sizeof(int), stream), "index")) return -1;
    if (n * cols > 0) {
        gather_rows<<<blocks_for(n * cols), kThreads, 0, stream>>>(
            first_element(r), first_element(src), src->_size[0], cols, idx.data(), n,
            index_base, bad);
        if (check_launch("index")) return -1;
    }
    return check_index_flag(bad, "index");
}

}  // extern "C"
