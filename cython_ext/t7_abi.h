/* The C ABI of the tensor core.
 *
 * This one file is read twice: by the C compiler building cython_ext/_core.pyx (which must
 * define every function below with exactly this signature) and, at run time, by LuaJIT's
 * ffi.cdef (lua/torch/core.lua strips the preprocessor lines first). So: plain C, no macros
 * in declarations, fixed-width integer types only.
 *
 * Conventions: indices and dimensions are 0-based; functions returning int give 0 on
 * success and -1 on error, functions returning pointers give NULL on error; in both cases
 * t7_last_error() holds a message for the calling thread. Nothing here aborts or longjmps.
 * Struct fields start with '_' so that they never hide a Lua method of the same name.
 */
#ifndef T7_ABI_H
#define T7_ABI_H
#include <stdint.h>

enum { T7_MAX_DIMS = 32 };

/* Element types, in Torch7's order. */
enum {
    T7_BYTE = 0, T7_CHAR = 1, T7_SHORT = 2, T7_INT = 3,
    T7_LONG = 4, T7_FLOAT = 5, T7_DOUBLE = 6, T7_HALF = 7
};

/* Storage flags. */
enum { T7_STORAGE_OWNS_DATA = 1, T7_STORAGE_RESIZABLE = 2 };

typedef struct T7Storage {
    int64_t _refcount;
    char *_data;
    int64_t _size;        /* in elements */
    int32_t _dtype;
    int32_t _flags;
    void *_owner;         /* a PyObject kept alive while we point into its memory, or NULL */
    int64_t _exports;     /* buffers lent to Python (numpy views): the memory must not move */
} T7Storage;

typedef struct T7Tensor {
    int64_t _refcount;
    T7Storage *_storage;  /* NULL for a tensor with no dimension */
    int64_t _offset;      /* in elements */
    int32_t _ndim;
    int32_t _dtype;
    int64_t _size[32];
    int64_t _stride[32];  /* in elements */
} T7Tensor;

/* Bytes of tensor memory in use, and the level at which Lua should run its collector
 * (torch.setheaptracking): tensor memory lives outside Lua's heap. */
typedef struct T7Heap {
    int64_t allocated;
    int64_t soft_limit;
} T7Heap;

/* errors and bookkeeping */
const char *t7_last_error(void);
void t7_set_error(const char *message);
T7Heap *t7_heap(void);
void t7_heap_collected(void);
int t7_element_size(int dtype);
int t7_set_num_threads(int n);
int t7_get_num_threads(void);

/* storages */
T7Storage *t7_storage_new(int dtype, int64_t size);
void t7_storage_retain(T7Storage *s);
void t7_storage_release(T7Storage *s);
int t7_storage_resize(T7Storage *s, int64_t size);
int t7_storage_fill(T7Storage *s, double value);
int t7_storage_copy(T7Storage *dst, T7Storage *src);

/* tensors: life cycle and geometry */
T7Tensor *t7_tensor_new(int dtype);
T7Tensor *t7_tensor_new_view(T7Storage *storage, int64_t offset, int ndim,
                             const int64_t *size, const int64_t *stride);
void t7_tensor_retain(T7Tensor *t);
void t7_tensor_release(T7Tensor *t);
int64_t t7_tensor_nelement(const T7Tensor *t);
int t7_tensor_is_contiguous(const T7Tensor *t);
int t7_tensor_resize(T7Tensor *t, int ndim, const int64_t *size, const int64_t *stride);
int t7_tensor_resize_as(T7Tensor *t, const T7Tensor *src);
int t7_tensor_set(T7Tensor *t, const T7Tensor *src);
int t7_tensor_set_storage(T7Tensor *t, T7Storage *storage, int64_t offset, int ndim,
                          const int64_t *size, const int64_t *stride);

/* views: the result tensor r is made a view of src (r may be src) */
int t7_tensor_narrow(T7Tensor *r, const T7Tensor *src, int dim, int64_t first, int64_t size);
int t7_tensor_select(T7Tensor *r, const T7Tensor *src, int dim, int64_t index);
int t7_tensor_transpose(T7Tensor *r, const T7Tensor *src, int dim1, int dim2);
int t7_tensor_unfold(T7Tensor *r, const T7Tensor *src, int dim, int64_t size, int64_t step);
int t7_tensor_view(T7Tensor *r, const T7Tensor *src, int ndim, const int64_t *size);
int t7_tensor_expand(T7Tensor *r, const T7Tensor *src, int ndim, const int64_t *size);
int t7_tensor_squeeze(T7Tensor *r, const T7Tensor *src);
int t7_tensor_squeeze_dim(T7Tensor *r, const T7Tensor *src, int dim);
int t7_tensor_unsqueeze(T7Tensor *r, const T7Tensor *src, int dim);

/* copy and fill (copy converts between element types; only element counts must agree) */
int t7_tensor_copy(T7Tensor *dst, const T7Tensor *src);
int t7_tensor_fill(T7Tensor *t, double value);

/* pointwise arithmetic: r = a op b, r = a op value; counts must agree, shapes need not */
int t7_add_scalar(T7Tensor *r, const T7Tensor *a, double value);
int t7_mul_scalar(T7Tensor *r, const T7Tensor *a, double value);
int t7_div_scalar(T7Tensor *r, const T7Tensor *a, double value);
int t7_cadd(T7Tensor *r, const T7Tensor *a, double value, const T7Tensor *b);
int t7_cmul(T7Tensor *r, const T7Tensor *a, const T7Tensor *b);
int t7_cdiv(T7Tensor *r, const T7Tensor *a, const T7Tensor *b);
int t7_addcmul(T7Tensor *r, const T7Tensor *a, double value, const T7Tensor *b,
               const T7Tensor *c);
int t7_addcdiv(T7Tensor *r, const T7Tensor *a, double value, const T7Tensor *b,
               const T7Tensor *c);
int t7_pow_scalar(T7Tensor *r, const T7Tensor *a, double exponent);
int t7_clamp(T7Tensor *r, const T7Tensor *a, double lo, double hi);

/* one-argument functions r = f(a), chosen by code */
enum {
    T7_FN_ABS = 0, T7_FN_SQRT = 1, T7_FN_EXP = 2, T7_FN_LOG = 3, T7_FN_TANH = 4,
    T7_FN_SIGMOID = 5, T7_FN_SIGN = 6, T7_FN_NEG = 7
};
int t7_unary(T7Tensor *r, const T7Tensor *a, int fn);

/* reductions over all elements, written to *out */
int t7_sum_all(const T7Tensor *t, double *out);
int t7_max_all(const T7Tensor *t, double *out);
int t7_min_all(const T7Tensor *t, double *out);
/* reductions along dim, keeping it with size 1 (Torch7's layout); index is a LongTensor
 * holding positions counted from index_base (1 for Lua, 0 for Python). */
int t7_sum_dim(T7Tensor *r, const T7Tensor *t, int dim);
int t7_max_dim(T7Tensor *values, T7Tensor *index, const T7Tensor *t, int dim,
               int64_t index_base);
int t7_min_dim(T7Tensor *values, T7Tensor *index, const T7Tensor *t, int dim,
               int64_t index_base);

/* linear algebra: r = beta*m + alpha*(a @ b) and friends, Torch7's argument order */
int t7_addmm(T7Tensor *r, double beta, const T7Tensor *m, double alpha,
             const T7Tensor *a, const T7Tensor *b);
int t7_addmv(T7Tensor *r, double beta, const T7Tensor *v, double alpha,
             const T7Tensor *mat, const T7Tensor *vec);
int t7_addr(T7Tensor *r, double beta, const T7Tensor *m, double alpha,
            const T7Tensor *x, const T7Tensor *y);
int t7_dot(const T7Tensor *a, const T7Tensor *b, double *out);

/* the random generator: Torch7's Mersenne Twister (lib/TH/THRandom.c semantics) */
typedef struct T7Generator {
    uint64_t the_initial_seed;
    int32_t left;
    int32_t seeded;
    uint64_t next;
    uint64_t state[624];
    double normal_x;
    double normal_y;
    double normal_rho;
    int32_t normal_is_valid;
} T7Generator;

T7Generator *t7_generator_new(void);
void t7_generator_free(T7Generator *g);
int t7_generator_copy(T7Generator *dst, const T7Generator *src);
void t7_manual_seed(T7Generator *g, uint64_t seed);
uint64_t t7_seed(T7Generator *g);
uint64_t t7_initial_seed(const T7Generator *g);
uint64_t t7_random(T7Generator *g);
double t7_uniform(T7Generator *g, double a, double b);
double t7_normal(T7Generator *g, double mean, double stdv);
int t7_bernoulli(T7Generator *g, double p);
int t7_tensor_uniform(T7Tensor *t, T7Generator *g, double a, double b);
int t7_tensor_normal(T7Tensor *t, T7Generator *g, double mean, double stdv);
int t7_tensor_bernoulli(T7Tensor *t, T7Generator *g, double p);
int t7_tensor_random(T7Tensor *t, T7Generator *g);
/* integers drawn as random() % (b - a + 1) + a, for b >= a (x:random(a, b)) */
int t7_tensor_random_range(T7Tensor *t, T7Generator *g, int64_t a, int64_t b);
int t7_randperm(T7Tensor *r, T7Generator *g, int64_t n, int64_t index_base);

/* neural-network kernels (nn's THNN equivalents) */
int t7_nn_tanh_backward(T7Tensor *grad_input, const T7Tensor *grad_output,
                        const T7Tensor *output);
int t7_nn_sigmoid_backward(T7Tensor *grad_input, const T7Tensor *grad_output,
                           const T7Tensor *output);
int t7_nn_threshold(T7Tensor *output, const T7Tensor *input, double threshold, double value);
int t7_nn_threshold_backward(T7Tensor *grad_input, const T7Tensor *grad_output,
                             const T7Tensor *input, double threshold);
int t7_nn_softmax(T7Tensor *output, const T7Tensor *input, int log);
int t7_nn_softmax_backward(T7Tensor *grad_input, const T7Tensor *grad_output,
                           const T7Tensor *output, int log);
int t7_nn_mse(const T7Tensor *input, const T7Tensor *target, double *sum_of_squares);
int t7_nn_mse_backward(T7Tensor *grad_input, const T7Tensor *input, const T7Tensor *target,
                       double scale);
/* class negative log-likelihood: input is 1D (classes) or 2D (batch x classes), target holds
 * class indices counted from index_base; samples whose target is ignore_index are skipped.
 * The caller divides by the total weight when averaging. */
int t7_nn_class_nll(const T7Tensor *input, const T7Tensor *target, const T7Tensor *weights,
                    int64_t ignore_index, int64_t index_base, double *loss, double *total_weight);
int t7_nn_class_nll_backward(T7Tensor *grad_input, const T7Tensor *input,
                             const T7Tensor *target, const T7Tensor *weights, double scale,
                             int64_t ignore_index, int64_t index_base);

/* ==== nn kernels, continued (branch h4nn): the rest of the original's THNN ==== */

/* Convolution geometry, spatial entries in the order depth (time), height, width; a 2-D
 * convolution uses entries 1 and 2 and leaves entry 0 at kernel 1, stride 1, padding 0,
 * dilation 1. A transposed ("full") convolution has its weight as input_planes x
 * output_planes x kernel, the others output_planes x (input_planes / groups) x kernel. */
typedef struct T7ConvShape {
    int32_t dims;
    int32_t transposed;
    int32_t groups;
    int64_t input_planes;
    int64_t output_planes;
    int32_t kernel[3];
    int32_t stride[3];
    int32_t pad[3];
    int32_t dilation[3];
    int32_t adj[3];          /* extra output size of a transposed convolution */
} T7ConvShape;

int t7_nn_conv_forward(T7Tensor *output, const T7Tensor *input, const T7Tensor *weight,
                       const T7Tensor *bias, const T7ConvShape *shape);
int t7_nn_conv_backward_input(T7Tensor *grad_input, const T7Tensor *input,
                              const T7Tensor *grad_output, const T7Tensor *weight,
                              const T7ConvShape *shape);
/* adds scale * the gradients to grad_weight and grad_bias (which may be NULL) */
int t7_nn_conv_backward_params(T7Tensor *grad_weight, T7Tensor *grad_bias,
                               const T7Tensor *input, const T7Tensor *grad_output,
                               double scale, const T7ConvShape *shape);

/* Pooling geometry, entries in the order depth, height, width as for convolutions. */
typedef struct T7PoolShape {
    int32_t dims;
    int32_t ceil_mode;
    int32_t count_include_pad;
    int32_t kernel[3];
    int32_t stride[3];
    int32_t pad[3];
    int32_t dilation[3];
} T7PoolShape;

/* Max pooling records each maximum's flat position within its plane, from index_base. */
int t7_nn_max_pool(T7Tensor *output, T7Tensor *indices, const T7Tensor *input,
                   const T7PoolShape *shape, int64_t index_base);
int t7_nn_avg_pool(T7Tensor *output, const T7Tensor *input, const T7PoolShape *shape);
int t7_nn_avg_pool_backward(T7Tensor *grad_input, const T7Tensor *input,
                            const T7Tensor *grad_output, const T7PoolShape *shape);
/* Per plane (the last `dims` dimensions): dst[indices[j]] += src[j] (dst sized by the
 * caller), or dst[j] = src[indices[j]] (dst resized like indices by the caller). */
int t7_nn_scatter_by_index(T7Tensor *dst, const T7Tensor *src, const T7Tensor *indices,
                           int dims, int64_t index_base);
int t7_nn_gather_by_index(T7Tensor *dst, const T7Tensor *src, const T7Tensor *indices,
                          int dims, int64_t index_base);
/* indices NULL: average pooling; otherwise max pooling recording positions */
int t7_nn_adaptive_pool(T7Tensor *output, T7Tensor *indices, const T7Tensor *input,
                        int64_t out_h, int64_t out_w, int64_t index_base);
int t7_nn_adaptive_avg_pool_backward(T7Tensor *grad_input, const T7Tensor *input,
                                     const T7Tensor *grad_output);
/* out_size, pool_size: 3 entries in the order of the input's spatial dimensions (the first
 * ignored in 2-D); samples: dims per plane in [0, 1), for the spatial dimensions last first
 * (the original's volumetric layout is height x width x time, its samples time, width,
 * height) */
int t7_nn_fractional_max_pool(T7Tensor *output, T7Tensor *indices, const T7Tensor *input,
                              const T7Tensor *samples, int dims, const int64_t *out_size,
                              const int64_t *pool_size, int64_t index_base);
/* frames x features input (or batch x frames x features); indices: offsets in the window
 * from 0 */
int t7_nn_temporal_max_pool(T7Tensor *output, T7Tensor *indices, const T7Tensor *input,
                            int64_t kW, int64_t dW);
int t7_nn_temporal_max_pool_backward(T7Tensor *grad_input, const T7Tensor *input,
                                     const T7Tensor *grad_output, const T7Tensor *indices,
                                     int64_t kW, int64_t dW);

/* Transfer functions r = f(x; a, b) and their gradients, by code; the gradient reads the
 * input, or the output where t7_nn_transfer_uses_output(fn) says so. a, b: HardTanh min,
 * max; shrinks lambda; SoftPlus beta, threshold; ELU alpha; LeakyReLU and RReLU (in
 * evaluation) the negative slope; Sqrt eps. Results may be their operands (in place). */
enum {
    T7_TR_HARDTANH = 0, T7_TR_HARDSHRINK = 1, T7_TR_SOFTSHRINK = 2, T7_TR_SOFTPLUS = 3,
    T7_TR_LOGSIGMOID = 4, T7_TR_ELU = 5, T7_TR_LEAKYRELU = 6, T7_TR_SQRT = 7,
    T7_TR_SQUARE = 8, T7_TR_ABS = 9, T7_TR_RRELU_EVAL = 10
};
int t7_nn_transfer_uses_output(int fn);
int t7_nn_transfer(T7Tensor *output, const T7Tensor *input, int fn, double a, double b);
int t7_nn_transfer_backward(T7Tensor *grad_input, const T7Tensor *grad_output,
                            const T7Tensor *value, int fn, double a, double b);
/* RReLU in training: noise = a slope drawn uniform in [lower, upper) for each element <= 0
 * (in logical order), 1 elsewhere; output = input * noise (output may be input) */
int t7_nn_rrelu_train(T7Tensor *output, T7Tensor *noise, const T7Tensor *input,
                      double lower, double upper, T7Generator *gen);
/* PReLU: planes slopes along dimension 2 (1 for a vector), or one shared when planes = 0 */
int t7_nn_prelu(T7Tensor *output, const T7Tensor *input, const T7Tensor *weight,
                int64_t planes);
int t7_nn_prelu_backward(T7Tensor *grad_input, const T7Tensor *input,
                         const T7Tensor *grad_output, const T7Tensor *weight, int64_t planes);
int t7_nn_prelu_acc_grad(T7Tensor *grad_weight, const T7Tensor *input,
                         const T7Tensor *grad_output, int64_t planes, double scale);

/* Elementwise losses: *sum = sum of loss(x, y) (times the weight, if given); the gradient
 * is scale * d loss / dx (times the weight). param: the margin (MarginCriterion,
 * HingeEmbeddingCriterion). L1 takes no target (the L1 norm of the input). */
enum {
    T7_LOSS_ABS = 0, T7_LOSS_SMOOTH_L1 = 1, T7_LOSS_SOFT_MARGIN = 2, T7_LOSS_DIST_KL = 3,
    T7_LOSS_BCE = 4, T7_LOSS_MARGIN = 5, T7_LOSS_L1 = 6, T7_LOSS_HINGE_EMBEDDING = 7
};
int t7_nn_pair_loss(const T7Tensor *input, const T7Tensor *target, const T7Tensor *weights,
                    int fn, double param, double *sum);
int t7_nn_pair_loss_backward(T7Tensor *grad_input, const T7Tensor *input,
                             const T7Tensor *target, const T7Tensor *weights, int fn,
                             double param, double scale);
/* MultiMarginCriterion (p 1 or 2) and MultiLabelMarginCriterion, averaged as the original;
 * targets are LongTensors counted from index_base (a label list ends at index_base - 1) */
int t7_nn_multi_margin(const T7Tensor *input, const T7Tensor *target, const T7Tensor *weights,
                       int p, double margin, int size_average, int64_t index_base,
                       double *loss);
int t7_nn_multi_margin_backward(T7Tensor *grad_input, const T7Tensor *input,
                                const T7Tensor *target, const T7Tensor *weights, int p,
                                double margin, int size_average, int64_t index_base);
int t7_nn_multi_label_margin(const T7Tensor *input, const T7Tensor *target,
                             T7Tensor *is_target, int size_average, int64_t index_base,
                             double *loss);
int t7_nn_multi_label_margin_backward(T7Tensor *grad_input, const T7Tensor *input,
                                      const T7Tensor *target, T7Tensor *is_target,
                                      int size_average, int64_t index_base);
/* SpatialClassNLLCriterion: input batch x classes x h x w, target batch x h x w; the loss
 * is not averaged (the caller divides by *total_weight); the gradient is zero but at the
 * targets, where it is -weight * scale */
int t7_nn_spatial_class_nll(const T7Tensor *input, const T7Tensor *target,
                            const T7Tensor *weights, int64_t index_base, double *loss,
                            double *total_weight);
int t7_nn_spatial_class_nll_backward(T7Tensor *grad_input, const T7Tensor *input,
                                     const T7Tensor *target, const T7Tensor *weights,
                                     double scale, int64_t index_base);

/* Padding (2 or 3 spatial dimensions): pads holds before/after counts per dimension, depth
 * first (6 entries; negative values crop). */
enum { T7_PAD_REFLECT = 0, T7_PAD_REPLICATE = 1 };
int t7_nn_pad(T7Tensor *output, const T7Tensor *input, int dims, int mode,
              const int64_t *pads);
int t7_nn_pad_backward(T7Tensor *grad_input, const T7Tensor *input,
                       const T7Tensor *grad_output, int dims, int mode, const int64_t *pads);
/* Up-sampling: scale > 0 repeats each element scale times per dimension (nearest); scale 0
 * interpolates linearly (corners aligned) to out_size (3 entries, depth first, the first
 * ignored in 2-D). */
int t7_nn_upsample(T7Tensor *output, const T7Tensor *input, int dims, int64_t scale,
                   const int64_t *out_size);
int t7_nn_upsample_backward(T7Tensor *grad_input, const T7Tensor *input,
                            const T7Tensor *grad_output, int dims, int64_t scale,
                            const int64_t *out_size);

/* Batch normalisation over batch x planes x positions (contiguous); weight and bias may be
 * NULL; in training the batch statistics go to save_mean/save_std (the inverse standard
 * deviation) and update the running ones. */
int t7_nn_batch_norm(T7Tensor *output, const T7Tensor *input, const T7Tensor *weight,
                     const T7Tensor *bias, T7Tensor *running_mean, T7Tensor *running_var,
                     T7Tensor *save_mean, T7Tensor *save_std, int train, double momentum,
                     double eps);
/* grad_input, grad_weight and grad_bias may each be NULL; the gradients of the weight and
 * the bias are added to, times scale */
int t7_nn_batch_norm_backward(const T7Tensor *input, const T7Tensor *grad_output,
                              T7Tensor *grad_input, T7Tensor *grad_weight, T7Tensor *grad_bias,
                              const T7Tensor *weight, const T7Tensor *running_mean,
                              const T7Tensor *running_var, const T7Tensor *save_mean,
                              const T7Tensor *save_std, int train, double scale, double eps);
/* Local response normalisation across planes (3-D or 4-D input): scale = k + alpha / size *
 * (sum of squares over size planes centred on each), output = input * scale^-beta */
int t7_nn_cross_map_lrn(T7Tensor *output, T7Tensor *scale, const T7Tensor *input,
                        int64_t size, double alpha, double beta, double k);
int t7_nn_cross_map_lrn_backward(T7Tensor *grad_input, const T7Tensor *input,
                                 const T7Tensor *grad_output, const T7Tensor *output,
                                 const T7Tensor *scale, int64_t size, double alpha,
                                 double beta, double k);

/* LookupTable: rows of grad_weight named by indices (a contiguous LongTensor, from
 * index_base) get scale * their grad_output rows, but for padding_value; with count (an
 * IntTensor) each is divided by its index's frequency. Renorm scales the named rows whose
 * norm_type-norm exceeds max_norm down to it. */
int t7_nn_lookup_acc_grad(T7Tensor *grad_weight, const T7Tensor *indices,
                          const T7Tensor *grad_output, T7Tensor *count,
                          int64_t padding_value, int64_t index_base, double scale);
int t7_nn_lookup_renorm(T7Tensor *weight, const T7Tensor *indices, double max_norm,
                        double norm_type, int64_t index_base);
/* SparseLinear over a coordinate list coo (nnz x 3: sample, column, value, contiguous) */
int t7_nn_sparse_linear(T7Tensor *output, const T7Tensor *coo, const T7Tensor *weight,
                        const T7Tensor *bias, int64_t batch, int64_t index_base);
int t7_nn_sparse_linear_acc_grad(T7Tensor *grad_weight, T7Tensor *grad_bias,
                                 const T7Tensor *coo, const T7Tensor *grad_output,
                                 const T7Tensor *weight, double weight_decay, double scale,
                                 int64_t index_base);
/* the columns coo names: weight -= learning_rate * grad_weight (the bias whole), or zeroed */
int t7_nn_sparse_linear_update(T7Tensor *weight, T7Tensor *bias, const T7Tensor *grad_weight,
                               const T7Tensor *grad_bias, const T7Tensor *coo,
                               double learning_rate, int64_t index_base);
int t7_nn_sparse_linear_zero_grad(T7Tensor *grad_weight, T7Tensor *grad_bias,
                                  const T7Tensor *coo, int64_t index_base);

/* Convolutions through a connection table conn (n x 2: input plane, output plane, from 1),
 * weight n x kH x kW: transposed = 0 for SpatialConvolutionMap, 1 for
 * SpatialFullConvolutionMap. */
int t7_nn_conv_map_forward(T7Tensor *output, const T7Tensor *input, const T7Tensor *weight,
                           const T7Tensor *bias, const T7Tensor *conn, int64_t n_in,
                           int64_t n_out, int64_t dW, int64_t dH, int transposed);
int t7_nn_conv_map_backward_input(T7Tensor *grad_input, const T7Tensor *input,
                                  const T7Tensor *grad_output, const T7Tensor *weight,
                                  const T7Tensor *conn, int64_t n_in, int64_t n_out,
                                  int64_t dW, int64_t dH, int transposed);
int t7_nn_conv_map_backward_params(T7Tensor *grad_weight, T7Tensor *grad_bias,
                                   const T7Tensor *input, const T7Tensor *grad_output,
                                   const T7Tensor *conn, int64_t n_in, int64_t n_out,
                                   int64_t dW, int64_t dH, int transposed, double scale);
/* SpatialConvolutionLocal: weight positions x output planes x (input planes * kH * kW),
 * bias output planes x positions */
int t7_nn_conv_local_forward(T7Tensor *output, const T7Tensor *input, const T7Tensor *weight,
                             const T7Tensor *bias, const T7ConvShape *shape);
int t7_nn_conv_local_backward_input(T7Tensor *grad_input, const T7Tensor *input,
                                    const T7Tensor *grad_output, const T7Tensor *weight,
                                    const T7ConvShape *shape);
int t7_nn_conv_local_backward_params(T7Tensor *grad_weight, T7Tensor *grad_bias,
                                     const T7Tensor *input, const T7Tensor *grad_output,
                                     double scale, const T7ConvShape *shape);
/* SpatialSubSampling: weight * (sum over each kH x kW window) + bias, per plane */
int t7_nn_subsampling(T7Tensor *output, const T7Tensor *input, const T7Tensor *weight,
                      const T7Tensor *bias, int64_t kW, int64_t kH, int64_t dW, int64_t dH);
int t7_nn_subsampling_backward_input(T7Tensor *grad_input, const T7Tensor *input,
                                     const T7Tensor *grad_output, const T7Tensor *weight,
                                     int64_t kW, int64_t kH, int64_t dW, int64_t dH);
int t7_nn_subsampling_backward_params(T7Tensor *grad_weight, T7Tensor *grad_bias,
                                      const T7Tensor *input, const T7Tensor *grad_output,
                                      int64_t kW, int64_t kH, int64_t dW, int64_t dH,
                                      double scale);
/* FeatureLPPooling: the power-norm of width features, stride apart, along the feature
 * dimension ([batch x] features x [positions]) */
int t7_nn_feature_lp_pool(T7Tensor *output, const T7Tensor *input, double power,
                          int64_t width, int64_t stride, int batch_mode);
int t7_nn_feature_lp_pool_backward(T7Tensor *grad_input, const T7Tensor *input,
                                   const T7Tensor *grad_output, const T7Tensor *output,
                                   double power, int64_t width, int64_t stride,
                                   int batch_mode);
/* TemporalConvolution: frames x features (or batch x frames x features) input, weight
 * outputFrameSize x (kW * inputFrameSize) */
int t7_nn_temporal_conv(T7Tensor *output, const T7Tensor *input, const T7Tensor *weight,
                        const T7Tensor *bias, int64_t kW, int64_t dW);
int t7_nn_temporal_conv_backward_input(T7Tensor *grad_input, const T7Tensor *input,
                                       const T7Tensor *grad_output, const T7Tensor *weight,
                                       int64_t kW, int64_t dW);
int t7_nn_temporal_conv_backward_params(T7Tensor *grad_weight, T7Tensor *grad_bias,
                                        const T7Tensor *input, const T7Tensor *grad_output,
                                        int64_t kW, int64_t dW, double scale);

/* IndexLinear: keys (LongTensor) + keys_offset name weight rows; a batch is keys and values
 * concatenated with the samples' sizes; the weight has 0 or 4 bookkeeping columns before the
 * outputs (max |value|, its inverse, update scale, offset); gradients are dense per key */
int t7_nn_index_linear(T7Tensor *output, const T7Tensor *keys, int64_t keys_offset,
                       const T7Tensor *values, const T7Tensor *sizes, T7Tensor *weight,
                       const T7Tensor *bias, T7Tensor *normalized_values, int train);
int t7_nn_index_linear_acc_grad(T7Tensor *grad_weight, T7Tensor *grad_bias,
                                const T7Tensor *keys, int64_t keys_offset,
                                const T7Tensor *values, const T7Tensor *sizes,
                                const T7Tensor *grad_output, const T7Tensor *weight,
                                const T7Tensor *bias, double scale);
int t7_nn_index_linear_update(T7Tensor *weight, T7Tensor *bias, const T7Tensor *grad_weight,
                              const T7Tensor *grad_bias, const T7Tensor *keys,
                              int64_t keys_offset, double weight_decay, double learning_rate);
int t7_nn_index_linear_acc_update(T7Tensor *weight, T7Tensor *bias, const T7Tensor *keys,
                                  int64_t keys_offset, const T7Tensor *values,
                                  const T7Tensor *sizes, const T7Tensor *grad_output,
                                  double weight_decay, double scale);

/* ==== end of the nn kernels (branch h4nn) ==== */

/* output through C stdio, shared by Lua's print and Python's sys.stdout under `th` */
int t7_stdout_write(const char *data, int64_t n);
int t7_stdout_flush(void);

/* ---- shape, indexing, random, Half and storage (h3index) ---------------------------- */

/* More storage flags: a view of another storage (_owner is that T7Storage, kept alive and
 * kept from moving through its _exports), a memory-mapped file, or a mapped POSIX shared
 * memory object (_owner is its name, unlinked when the storage is freed). */
enum { T7_STORAGE_VIEW = 4, T7_STORAGE_MAPPED = 8, T7_STORAGE_SHARED_MEMORY = 16 };
T7Storage *t7_storage_new_view(T7Storage *src, int64_t offset, int64_t size);
T7Storage *t7_storage_new_mapped(const char *filename, int dtype, int64_t size, int shared);
/* as t7_storage_new_mapped, over the shared memory object `name` (shm_open: on Linux the
 * file /dev/shm/name), which the storage removes when it is freed */
T7Storage *t7_storage_new_shared_memory(const char *name, int dtype, int64_t size,
                                        int shared);
/* keeps a storage alive and its memory in place (resizing fails) until unpinned: for loops
 * holding raw pointers into it while user code runs (Tensor:apply) */
void t7_storage_pin(T7Storage *s);
void t7_storage_unpin(T7Storage *s);

/* float16 <-> float32, rounding to nearest even (HalfTensor elements are uint16_t words) */
float t7_half_to_float(uint16_t h);
uint16_t t7_float_to_half(float value);

/* construction: fill t in row-major order with start + i*step, with linspace's or
 * logspace's points between first and last (as many as t has elements); cat along dim
 * (-1: the last dimension of the largest input) */
int t7_range_fill(T7Tensor *t, double start, double step);
int t7_linspace_fill(T7Tensor *t, double first, double last);
int t7_logspace_fill(T7Tensor *t, double first, double last);
int t7_cat(T7Tensor *r, T7Tensor **inputs, int n, int dim);

/* indexing; index tensors are LongTensors counting from index_base */
int t7_index_select(T7Tensor *r, const T7Tensor *src, int dim, const T7Tensor *index,
                    int64_t index_base);
int t7_index_copy(T7Tensor *t, int dim, const T7Tensor *index, const T7Tensor *src,
                  int64_t index_base);
int t7_index_add(T7Tensor *t, int dim, const T7Tensor *index, const T7Tensor *src,
                 int64_t index_base);
int t7_index_fill(T7Tensor *t, int dim, const T7Tensor *index, double value,
                  int64_t index_base);
int t7_gather(T7Tensor *r, const T7Tensor *src, int dim, const T7Tensor *index,
              int64_t index_base);
int t7_scatter(T7Tensor *t, int dim, const T7Tensor *index, const T7Tensor *src,
               int64_t index_base);
int t7_scatter_fill(T7Tensor *t, int dim, const T7Tensor *index, double value,
                    int64_t index_base);
int t7_masked_fill(T7Tensor *t, const T7Tensor *mask, double value);
int t7_masked_copy(T7Tensor *t, const T7Tensor *mask, const T7Tensor *src);
int t7_masked_select(T7Tensor *r, const T7Tensor *src, const T7Tensor *mask);
int t7_nonzero(T7Tensor *r, const T7Tensor *t, int64_t index_base);

/* the rest of the original's random draws */
double t7_exponential(T7Generator *g, double rate);
double t7_cauchy(T7Generator *g, double median, double sigma);
double t7_log_normal(T7Generator *g, double mean, double stdv);
int t7_geometric(T7Generator *g, double p);
int t7_tensor_exponential(T7Tensor *t, T7Generator *g, double rate);
int t7_tensor_cauchy(T7Tensor *t, T7Generator *g, double median, double sigma);
int t7_tensor_log_normal(T7Tensor *t, T7Generator *g, double mean, double stdv);
int t7_tensor_geometric(T7Tensor *t, T7Generator *g, double p);
int t7_tensor_bernoulli_tensor(T7Tensor *t, T7Generator *g, const T7Tensor *p);
int t7_multinomial(T7Tensor *r, T7Generator *g, const T7Tensor *dist, int64_t n_sample,
                   int with_replacement, int64_t index_base);
int t7_multinomial_alias_setup(const T7Tensor *probs, T7Tensor *alias, T7Tensor *threshold,
                               int64_t index_base);
int t7_multinomial_alias_draw(T7Tensor *r, T7Generator *g, const T7Tensor *alias,
                              const T7Tensor *threshold, int64_t index_base);
/* ---- end of h3index's block --------------------------------------------------------- */
/* ---- h3linalg: linear algebra (LAPACK) and signal ---- */

/* LAPACK on Float and Double tensors, with Torch7's argument order: results first, then
 * inputs (an input may be one of the results: it is then worked on in place). Matrices come
 * back column-major (strides 1, rows). Options are LAPACK's letters, read from the first
 * character: uplo "U"/"L", trans "N"/"T", diag "N"/"U", jobz/jobvr "N"/"V", jobu "S"/"A",
 * side "L"/"R". */
int t7_gesv(T7Tensor *rb, T7Tensor *ra, const T7Tensor *b, const T7Tensor *a);
int t7_trtrs(T7Tensor *rb, T7Tensor *ra, const T7Tensor *b, const T7Tensor *a,
             const char *uplo, const char *trans, const char *diag);
int t7_gels(T7Tensor *rb, T7Tensor *ra, const T7Tensor *b, const T7Tensor *a);
int t7_syev(T7Tensor *re, T7Tensor *rv, const T7Tensor *a, const char *jobz, const char *uplo);
int t7_geev(T7Tensor *re, T7Tensor *rv, const T7Tensor *a, const char *jobvr);
int t7_gesvd(T7Tensor *ru, T7Tensor *rs, T7Tensor *rv, const T7Tensor *a, const char *jobu);
int t7_getri(T7Tensor *ra, const T7Tensor *a);
int t7_potrf(T7Tensor *ra, const T7Tensor *a, const char *uplo);
int t7_potrs(T7Tensor *rb, const T7Tensor *b, const T7Tensor *a, const char *uplo);
int t7_potri(T7Tensor *ra, const T7Tensor *a, const char *uplo);
/* rpiv: an IntTensor of pivots counted from index_base */
int t7_pstrf(T7Tensor *ra, T7Tensor *rpiv, const T7Tensor *a, const char *uplo, double tol,
             int64_t index_base);
int t7_qr(T7Tensor *rq, T7Tensor *rr, const T7Tensor *a);
int t7_geqrf(T7Tensor *ra, T7Tensor *rtau, const T7Tensor *a);
int t7_orgqr(T7Tensor *ra, const T7Tensor *a, const T7Tensor *tau);
int t7_ormqr(T7Tensor *ra, const T7Tensor *a, const T7Tensor *tau, const T7Tensor *c,
             const char *side, const char *trans);

/* r = the valid (full = 0) or full (full = 1) convolution (convolution = 1) or
 * cross-correlation (0) of x with k: 2-D x and k, 3-D x and k (plane by plane) or 3-D x and
 * 4-D k (output plane j sums input plane i with kernel (j, i)); conv3 likewise one
 * dimension up. Any type but Half. */
int t7_conv2(T7Tensor *r, const T7Tensor *x, const T7Tensor *k, int full, int convolution);
int t7_conv3(T7Tensor *r, const T7Tensor *x, const T7Tensor *k, int full, int convolution);

/* ---- end h3linalg ---- */
/* ---- REPL interrupts (cython_ext/sigint.pxi) ----
 * t7_sigint_catch(1) replaces the SIGINT handler by one that only raises a flag, and keeps
 * the previous handler; t7_sigint_catch(0) puts that one back. The REPL polls the flag from
 * a Lua count hook while a typed chunk runs. */
int t7_sigint_catch(int on);
int t7_sigint_pending(void);
void t7_sigint_clear(void);
/* ---- end of REPL interrupts ---- */

/* ---- thread pools (cython_ext/thread_sync.pxi) ----
 * Objects shared by the Lua states of the threads package. Each counts references (new
 * and find give one; release frees at zero); an id is the object's address, and find
 * checks it against the live objects (NULL and an error for a wrong one). A queue holds
 * jobs of two numbers and blocks put while it holds `capacity` jobs (0: no limit) and get
 * while it is empty. */
typedef struct T7Queue T7Queue;
typedef struct T7Mutex T7Mutex;
typedef struct T7Condition T7Condition;
T7Queue *t7_queue_new(int64_t capacity);
T7Queue *t7_queue_find(uint64_t id);          /* with a new reference, or NULL */
void t7_queue_release(T7Queue *q);
int t7_queue_put(T7Queue *q, uint64_t a, uint64_t b);
void t7_queue_get(T7Queue *q, uint64_t *a, uint64_t *b);
int t7_queue_is_full(T7Queue *q);
T7Mutex *t7_mutex_new(void);
T7Mutex *t7_mutex_find(uint64_t id);
void t7_mutex_release(T7Mutex *m);
int t7_mutex_lock(T7Mutex *m);
int t7_mutex_unlock(T7Mutex *m);
T7Condition *t7_condition_new(void);
T7Condition *t7_condition_find(uint64_t id);
void t7_condition_release(T7Condition *c);
int t7_condition_wait(T7Condition *c, T7Mutex *m);
void t7_condition_signal(T7Condition *c);
void t7_condition_broadcast(T7Condition *c);
/* ---- end of thread pools ---- */
/* ---- .t7 files (torch.File, DiskFile, PipeFile, MemoryFile): cython_ext/file_io.pxi ----
 * Values go to and from files in binary (this machine's layout, optionally byte-swapped,
 * longs optionally on 4 bytes) or ascii text (the original's printf formats). Counts are in
 * values; positions in bytes from 0. A short read or write, a bad number or a failed seek
 * sets has_error and the message, and returns the count done (or 1 for a status); misuse
 * (a closed file, a read-only file written) returns -1. Lua raises the first kind unless the
 * file is quiet. */
enum { T7_FILE_DISK = 0, T7_FILE_PIPE = 1, T7_FILE_MEMORY = 2 };

typedef struct T7File {
    /* settings, which the Lua side changes directly */
    int32_t binary;         /* 0: ascii text */
    int32_t auto_spacing;   /* ascii: spaces between values, a newline after each write */
    int32_t long_size;      /* bytes of a long in binary: 0 (this machine's, 8), 4 or 8 */
    int32_t swap_bytes;     /* binary values in the other byte order than this machine's */
    int32_t has_error;
    /* state, owned by the core */
    int32_t _kind;
    int32_t _readable;
    int32_t _writable;
    int32_t _direction;     /* last transfer on a stream: a switch needs a seek */
    void *_handle;          /* FILE * of disk and pipe files; NULL once closed */
    T7Storage *_storage;    /* memory files: CharStorage of _size bytes and a NUL; NULL closed */
    int64_t _size;
    int64_t _position;
} T7File;

T7File *t7_file_open(int kind, const char *name, const char *mode);
/* a new file, failing if name exists, with the permissions of `like` if given (saves) */
T7File *t7_file_create_new(const char *name, const char *like);
T7File *t7_file_open_memory(T7Storage *storage, const char *mode);   /* NULL: a new one */
int t7_file_close(T7File *f);
void t7_file_free(T7File *f);
int64_t t7_file_read(T7File *f, int dtype, void *data, int64_t n);
int64_t t7_file_write(T7File *f, int dtype, const void *data, int64_t n);
int t7_file_read_scalar(T7File *f, int dtype, double *value);
int t7_file_write_scalar(T7File *f, int dtype, double value);
int64_t t7_file_remaining(T7File *f);               /* -1: unknown (pipes) */
int t7_file_check_count(T7File *f, int dtype, int64_t n);
int64_t t7_file_read_storage(T7File *f, T7Storage *s, int64_t n);
int64_t t7_file_read_text(T7File *f, int whole, char **text);
void t7_file_free_text(char *text);
int64_t t7_file_write_text(T7File *f, const char *text, int64_t n);
int t7_file_seek(T7File *f, int64_t position);
int t7_file_seek_end(T7File *f);
int64_t t7_file_position(T7File *f);
int t7_file_flush(T7File *f);
int t7_file_no_buffer(T7File *f);
T7Storage *t7_file_memory_storage(T7File *f);
int t7_path_kind(const char *path, char *resolved, int64_t capacity);
/* ---- end of .t7 files ---- */
/* ---- tensor math (h3math) ------------------------------------------------------------ */

/* more one-argument functions for t7_unary; all but ABS, NEG and SIGN take floating-point
 * tensors only */
enum {
    T7_FN_RSQRT = 8, T7_FN_LOG1P = 9, T7_FN_COS = 10, T7_FN_ACOS = 11, T7_FN_COSH = 12,
    T7_FN_SIN = 13, T7_FN_ASIN = 14, T7_FN_SINH = 15, T7_FN_TAN = 16, T7_FN_ATAN = 17,
    T7_FN_CEIL = 18, T7_FN_FLOOR = 19, T7_FN_ROUND = 20, T7_FN_TRUNC = 21, T7_FN_FRAC = 22,
    T7_FN_CINV = 23
};

/* element-wise operations against a number (t7_scalar_op: r = a op value) or a tensor of
 * the same count (t7_tensor_op: r = a op b); the bit operations take integer types only,
 * ATAN2 floating-point ones and a tensor only */
enum {
    T7_OP_FMOD = 0, T7_OP_REMAINDER = 1, T7_OP_LSHIFT = 2, T7_OP_RSHIFT = 3,
    T7_OP_BITAND = 4, T7_OP_BITOR = 5, T7_OP_BITXOR = 6, T7_OP_MAX = 7, T7_OP_MIN = 8,
    T7_OP_POW = 9, T7_OP_ATAN2 = 10
};
int t7_scalar_op(T7Tensor *r, const T7Tensor *a, int op, double value);
int t7_tensor_op(T7Tensor *r, const T7Tensor *a, int op, const T7Tensor *b);
/* r = value ^ a */
int t7_rpow(T7Tensor *r, double value, const T7Tensor *a);
/* r = a + weight * (b - a) */
int t7_lerp(T7Tensor *r, const T7Tensor *a, const T7Tensor *b, double weight);

/* comparisons, 1 where true and 0 elsewhere: r is a ByteTensor or of a's type, resized to
 * a's shape */
enum { T7_CMP_LT = 0, T7_CMP_LE = 1, T7_CMP_GT = 2, T7_CMP_GE = 3, T7_CMP_EQ = 4, T7_CMP_NE = 5 };
int t7_compare_scalar(T7Tensor *r, const T7Tensor *a, int cmp, double value);
int t7_compare_tensor(T7Tensor *r, const T7Tensor *a, int cmp, const T7Tensor *b);
/* whether every (any) element is non-zero; whether a and b have the same sizes and values */
int t7_logical_all(const T7Tensor *t, int *out);
int t7_logical_any(const T7Tensor *t, int *out);
int t7_equal(const T7Tensor *a, const T7Tensor *b, int *out);

/* reductions over all elements; var/std divide by n - 1 unless biased; norm with p = 0
 * counts non-zeros */
int t7_prod_all(const T7Tensor *t, double *out);
int t7_var_all(const T7Tensor *t, int biased, double *out);
int t7_norm_all(const T7Tensor *t, double p, double *out);
int t7_dist(const T7Tensor *a, const T7Tensor *b, double p, double *out);
int t7_trace(const T7Tensor *t, double *out);
/* reductions along dim, kept with size 1; std is the square root of var */
int t7_prod_dim(T7Tensor *r, const T7Tensor *t, int dim);
int t7_var_dim(T7Tensor *r, const T7Tensor *t, int dim, int biased, int root);
int t7_norm_dim(T7Tensor *r, const T7Tensor *t, double p, int dim);

/* operations along one dimension: running sums and products, the cross product of
 * 3-vectors (dim < 0: the first dimension of size 3), and the sub-tensors t:select(dim, i)
 * scaled down to a p-norm of at most maxnorm */
int t7_cumsum(T7Tensor *r, const T7Tensor *t, int dim);
int t7_cumprod(T7Tensor *r, const T7Tensor *t, int dim);
int t7_cross(T7Tensor *r, const T7Tensor *a, const T7Tensor *b, int dim);
int t7_renorm(T7Tensor *r, const T7Tensor *t, double p, int dim, double maxnorm);

/* histograms of nbins between lo and hi (lo == hi: the tensor's min and max); bhistc makes
 * one per row of a matrix */
int t7_histc(T7Tensor *hist, const T7Tensor *t, int64_t nbins, double lo, double hi);
int t7_bhistc(T7Tensor *hist, const T7Tensor *t, int64_t nbins, double lo, double hi);

/* sorting and selection along dim; equal values keep their order (stable), NaN sorts
 * above every number; indices are LongTensors counted from index_base */
int t7_sort(T7Tensor *values, T7Tensor *indices, const T7Tensor *t, int dim, int descending,
            int64_t index_base);
int t7_topk(T7Tensor *values, T7Tensor *indices, const T7Tensor *t, int64_t k, int dim,
            int largest, int64_t index_base);
int t7_kthvalue(T7Tensor *values, T7Tensor *indices, const T7Tensor *t, int64_t k, int dim,
                int64_t index_base);
int t7_mode(T7Tensor *values, T7Tensor *indices, const T7Tensor *t, int dim,
            int64_t index_base);

/* batched products: r[i] = beta*m[i] + alpha*(b1[i] @ b2[i]); addbmm sums them into one
 * matrix: r = beta*m + alpha*sum_i(b1[i] @ b2[i]) */
int t7_baddbmm(T7Tensor *r, double beta, const T7Tensor *m, double alpha, const T7Tensor *b1,
               const T7Tensor *b2);
int t7_addbmm(T7Tensor *r, double beta, const T7Tensor *m, double alpha, const T7Tensor *b1,
              const T7Tensor *b2);

/* ---- end of tensor math (h3math) ----------------------------------------------------- */

#endif
