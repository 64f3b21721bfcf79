/* The C ABI of the optional CUDA extension (torch7_compat._cuda).
 *
 * Read twice, as cython_ext/t7_abi.h: by nvcc building cython_ext/cuda/*.cu (inside
 * extern "C") and, at run time, by LuaJIT's ffi.cdef in lua/cutorch/core.lua (which strips
 * the preprocessor lines). So: plain C, no macros in declarations, fixed-width types.
 *
 * Conventions, as the CPU core's: indices and dimensions are 0-based; functions returning int
 * give 0 on success and -1 on error, pointer functions NULL on error, with a message in
 * t7cu_last_error() for the calling thread. Nothing here aborts.
 *
 * Tensors hold float32 elements in device memory (Torch7's torch.CudaTensor). Every call
 * works on the calling thread's current device and stream (t7cu_set_device/set_stream), as
 * cutorch's did; kernels are queued on that stream and return before they finish, except
 * where a result comes back to the host.
 */
#ifndef T7_CUDA_ABI_H
#define T7_CUDA_ABI_H
#include <stdint.h>

enum { T7CU_MAX_DIMS = 32, T7CU_MAX_DEVICES = 64, T7CU_MAX_STREAMS = 256 };

typedef struct T7CudaStorage {
    int64_t _refcount;
    float *_data;         /* device memory, or NULL when empty */
    int64_t _size;        /* in elements */
    int32_t _device;
    int32_t _flags;       /* reserved */
    /* memory another library owns (t7cu_storage_borrow): given back by calling
     * _release(_release_context) instead of freed; NULL for our own memory */
    void (*_release)(void *context);
    void *_release_context;
} T7CudaStorage;

typedef struct T7CudaTensor {
    int64_t _refcount;
    T7CudaStorage *_storage;  /* NULL for a tensor with no dimension */
    int64_t _offset;      /* in elements */
    int32_t _ndim;
    int32_t _device;
    int64_t _size[32];
    int64_t _stride[32];  /* in elements */
} T7CudaTensor;

typedef struct T7CudaDeviceInfo {
    char name[256];
    int32_t major;
    int32_t minor;
    int32_t multi_processor_count;
    int32_t warp_size;
    int64_t total_global_mem;
    int64_t shared_mem_per_block;
    int32_t max_threads_per_block;
    int32_t clock_rate_khz;
} T7CudaDeviceInfo;

/* Bytes the caching allocator handed out (in use) and holds (in use + cached). */
typedef struct T7CudaAllocatorStats {
    int64_t allocated;
    int64_t reserved;
} T7CudaAllocatorStats;

/* Element-wise operations of t7cu_map: r = f(x, y, z; a, b). The letters say what each
 * reads; unused operands may be NULL. */
enum {
    T7CU_FILL = 0,           /* r = a */
    T7CU_COPY = 1,           /* r = x */
    T7CU_ADD_SCALAR = 2,     /* r = x + a */
    T7CU_MUL_SCALAR = 3,     /* r = x * a */
    T7CU_ADD = 4,            /* r = x + a * y */
    T7CU_MUL = 5,            /* r = x * y */
    T7CU_DIV = 6,            /* r = x / y */
    T7CU_ADDCMUL = 7,        /* r = x + a * y * z */
    T7CU_ADDCDIV = 8,        /* r = x + a * y / z */
    T7CU_ABS = 9,
    T7CU_EXP = 10,
    T7CU_LOG = 11,
    T7CU_SQRT = 12,
    T7CU_POW = 13,           /* r = x ^ a */
    T7CU_TANH = 14,
    T7CU_SIGMOID = 15,
    T7CU_CLAMP = 16,         /* r = min(max(x, a), b) */
    T7CU_THRESHOLD = 17,     /* r = x > a ? x : b */
    T7CU_THRESHOLD_GRAD = 18,/* r = y > a ? x : 0    (x: gradOutput, y: input) */
    T7CU_TANH_GRAD = 19,     /* r = x * (1 - y * y)  (y: output) */
    T7CU_SIGMOID_GRAD = 20,  /* r = x * y * (1 - y)  (y: output) */
    T7CU_SCALED_DIFF = 21,   /* r = a * (x - y) */
    T7CU_NEG = 22,
    T7CU_SQUARE = 23,
    T7CU_DIV_SCALAR = 24,    /* r = x / a (a true division, as the CPU core's div) */
    T7CU_OP_COUNT = 25
};

/* Whole-tensor reductions (t7cu_reduce_all) and reductions along one dimension. */
enum { T7CU_SUM = 0, T7CU_MAX = 1, T7CU_MIN = 2, T7CU_MEAN = 3, T7CU_SUMSQ = 4 };

/* Random fills. */
enum { T7CU_UNIFORM = 0, T7CU_NORMAL = 1, T7CU_BERNOULLI = 2 };

/* Geometry of a 2-D convolution (SpatialConvolution(MM)): weight is output_planes x
 * (input_planes * kernel_h * kernel_w) in memory order. */
typedef struct T7CudaConvShape {
    int64_t input_planes, output_planes;
    int64_t kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w;
} T7CudaConvShape;

/* Geometry of a 2-D pooling. */
typedef struct T7CudaPoolShape {
    int64_t kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w;
    int32_t ceil_mode, count_include_pad;
} T7CudaPoolShape;

/* errors, devices, streams, memory */
const char *t7cu_last_error(void);
int t7cu_device_count(int32_t *count);
int t7cu_set_device(int device);
int t7cu_get_device(void);
int t7cu_device_info(int device, T7CudaDeviceInfo *info);
int t7cu_synchronize(void);
int t7cu_memory_usage(int device, int64_t *free_bytes, int64_t *total_bytes);
int t7cu_allocator_stats(int device, T7CudaAllocatorStats *stats);
int t7cu_empty_cache(void);
int t7cu_reserve_streams(int count);
int t7cu_get_num_streams(void);
int t7cu_set_stream(int index);
int t7cu_get_stream(void);
/* the current device's stream `waiting` waits (without blocking the host) for the work
 * queued so far on each of the `count` streams in `waited` */
int t7cu_stream_wait_for(int waiting, const int32_t *waited, int count);
int t7cu_stream_synchronize(int index);
int t7cu_manual_seed(uint64_t seed);
uint64_t t7cu_initial_seed(void);

/* storages */
T7CudaStorage *t7cu_storage_new(int64_t size);
/* a storage over `size` floats of device memory on `device` that another library owns
 * (DLPack): it is never resized, and its last release calls release(context) */
T7CudaStorage *t7cu_storage_borrow(float *data, int64_t size, int device,
                                   void (*release)(void *context), void *context);
void t7cu_storage_retain(T7CudaStorage *s);
void t7cu_storage_release(T7CudaStorage *s);
int t7cu_storage_resize(T7CudaStorage *s, int64_t size);
int t7cu_storage_copy(T7CudaStorage *dst, const T7CudaStorage *src);
int t7cu_storage_copy_from_host(T7CudaStorage *dst, const float *src);
int t7cu_storage_copy_to_host(float *dst, const T7CudaStorage *src);
int t7cu_storage_get(const T7CudaStorage *s, int64_t index, float *value);
int t7cu_storage_set(T7CudaStorage *s, int64_t index, float value);

/* tensors: life cycle and geometry (views are made from Lua with new_view) */
T7CudaTensor *t7cu_tensor_new(void);
T7CudaTensor *t7cu_tensor_new_view(T7CudaStorage *storage, int64_t offset, int ndim,
                                   const int64_t *size, const int64_t *stride);
void t7cu_tensor_retain(T7CudaTensor *t);
void t7cu_tensor_release(T7CudaTensor *t);
int64_t t7cu_tensor_nelement(const T7CudaTensor *t);
int t7cu_tensor_is_contiguous(const T7CudaTensor *t);
/* stride NULL: contiguous; keeps the storage when it is large enough */
int t7cu_tensor_resize(T7CudaTensor *t, int ndim, const int64_t *size, const int64_t *stride);
/* makes t a view of storage (NULL: no dimension) */
int t7cu_tensor_set(T7CudaTensor *t, T7CudaStorage *storage, int64_t offset, int ndim,
                    const int64_t *size, const int64_t *stride);

/* copies: host memory holds nelement(t) floats in t's row-major (logical) order */
int t7cu_tensor_copy(T7CudaTensor *dst, const T7CudaTensor *src);
int t7cu_tensor_copy_from_host(T7CudaTensor *dst, const float *src);
int t7cu_tensor_copy_to_host(float *dst, const T7CudaTensor *src);

/* element-wise (operands of r's element count; any strides), reductions, random */
int t7cu_map(T7CudaTensor *r, const T7CudaTensor *x, const T7CudaTensor *y,
             const T7CudaTensor *z, int op, float a, float b);
int t7cu_reduce_all(const T7CudaTensor *x, int op, double *result);
/* r gets x's sizes with dimension dim of size 1 */
int t7cu_reduce_dim(T7CudaTensor *r, const T7CudaTensor *x, int dim, int op);
/* values and 1-based positions (as floats) of the maxima along dim */
int t7cu_max_dim(T7CudaTensor *values, T7CudaTensor *positions, const T7CudaTensor *x,
                 int dim);
int t7cu_random(T7CudaTensor *r, int kind, double a, double b);
/* rows of src (a matrix) picked by indices (a vector of floats counted from index_base) */
int t7cu_index_rows(T7CudaTensor *r, const T7CudaTensor *src, const T7CudaTensor *indices,
                    int index_base);

/* BLAS (cuBLAS): r = beta * m + alpha * (a b), r = beta * v + alpha * (a x),
 * r = beta * m + alpha * (x y^T); r may be m */
int t7cu_addmm(T7CudaTensor *r, float beta, const T7CudaTensor *m, float alpha,
               const T7CudaTensor *a, const T7CudaTensor *b);
int t7cu_addmv(T7CudaTensor *r, float beta, const T7CudaTensor *v, float alpha,
               const T7CudaTensor *a, const T7CudaTensor *x);
int t7cu_addr(T7CudaTensor *r, float beta, const T7CudaTensor *m, float alpha,
              const T7CudaTensor *x, const T7CudaTensor *y);
int t7cu_dot(const T7CudaTensor *x, const T7CudaTensor *y, double *result);

/* nn: convolution (im2col + gemm over a chunk of the batch at once); input 3-D or 4-D */
int t7cu_nn_conv2d_forward(T7CudaTensor *output, const T7CudaTensor *input,
                           const T7CudaTensor *weight, const T7CudaTensor *bias,
                           const T7CudaConvShape *shape);
int t7cu_nn_conv2d_backward_input(T7CudaTensor *grad_input, const T7CudaTensor *input,
                                  const T7CudaTensor *grad_output, const T7CudaTensor *weight,
                                  const T7CudaConvShape *shape);
/* adds scale * the gradients; grad_bias may be NULL */
int t7cu_nn_conv2d_backward_params(T7CudaTensor *grad_weight, T7CudaTensor *grad_bias,
                                   const T7CudaTensor *input, const T7CudaTensor *grad_output,
                                   float scale, const T7CudaConvShape *shape);

/* nn: pooling; indices hold each maximum's 1-based position in its input plane (floats) */
int t7cu_nn_max_pool2d(T7CudaTensor *output, T7CudaTensor *indices, const T7CudaTensor *input,
                       const T7CudaPoolShape *shape);
int t7cu_nn_max_pool2d_backward(T7CudaTensor *grad_input, const T7CudaTensor *input,
                                const T7CudaTensor *grad_output, const T7CudaTensor *indices);
int t7cu_nn_avg_pool2d(T7CudaTensor *output, const T7CudaTensor *input,
                       const T7CudaPoolShape *shape);
int t7cu_nn_avg_pool2d_backward(T7CudaTensor *grad_input, const T7CudaTensor *input,
                                const T7CudaTensor *grad_output, const T7CudaPoolShape *shape);

/* nn: batch normalization over dimension 1 of a contiguous 2-D..5-D input, as the CPU
 * core's t7_nn_batch_norm (save_std holds the inverse standard deviation) */
int t7cu_nn_batch_norm(T7CudaTensor *output, const T7CudaTensor *input,
                       const T7CudaTensor *weight, const T7CudaTensor *bias,
                       T7CudaTensor *running_mean, T7CudaTensor *running_var,
                       T7CudaTensor *save_mean, T7CudaTensor *save_std, int train,
                       double momentum, double eps);
int t7cu_nn_batch_norm_backward(const T7CudaTensor *input, const T7CudaTensor *grad_output,
                                T7CudaTensor *grad_input, T7CudaTensor *grad_weight,
                                T7CudaTensor *grad_bias, const T7CudaTensor *weight,
                                const T7CudaTensor *running_mean,
                                const T7CudaTensor *running_var,
                                const T7CudaTensor *save_mean, const T7CudaTensor *save_std,
                                int train, double scale, double eps);

/* nn: (log-)softmax over the feature dimension (1-D, 2-D batch, 3-D/4-D spatial) */
int t7cu_nn_softmax(T7CudaTensor *output, const T7CudaTensor *input, int log);
int t7cu_nn_softmax_backward(T7CudaTensor *grad_input, const T7CudaTensor *grad_output,
                             const T7CudaTensor *output, int log);

/* nn: criterions. target of ClassNLL: class indices (floats) counted from index_base;
 * weights may be NULL. The caller divides by the total weight when averaging. */
int t7cu_nn_class_nll(const T7CudaTensor *input, const T7CudaTensor *target,
                      const T7CudaTensor *weights, int64_t ignore_index, int64_t index_base,
                      double *loss, double *total_weight);
int t7cu_nn_class_nll_backward(T7CudaTensor *grad_input, const T7CudaTensor *input,
                               const T7CudaTensor *target, const T7CudaTensor *weights,
                               double scale, int64_t ignore_index, int64_t index_base);
int t7cu_nn_mse(const T7CudaTensor *input, const T7CudaTensor *target, double *sum_of_squares);

/* nn: LookupTable's gradient: grad_weight row indices[i] += scale * grad_output row i;
 * rows whose index is padding (counted from index_base; 0 or less: none) are skipped */
int t7cu_nn_lookup_acc_grad(T7CudaTensor *grad_weight, const T7CudaTensor *indices,
                            const T7CudaTensor *grad_output, int64_t padding,
                            int index_base, float scale);

#endif
