// What every .cu file of the extension shares: the ABI, error reporting, the current
// device and stream, the caching allocator's interface, and strided operands for kernels.
#pragma once

#include <cuda_runtime.h>
#include <stdint.h>

extern "C" {
#include "t7_cuda_abi.h"
}

namespace t7cu {

// Errors: a message for the calling thread; returns -1 so that callers can write
// `return fail(...)`.
int fail(const char *format, ...);
// Turns a CUDA error into fail("<what>: <CUDA's message>"); 0 when there was none.
int check_cuda(cudaError_t status, const char *what);
// The last launch's error (a bad configuration), as check_cuda.
int check_launch(const char *what);

// The calling thread's current device and the stream it queues work on.
int current_device();
cudaStream_t current_stream();

// The caching allocator: blocks are kept for reuse on the stream that freed them, so
// that memory given back by one kernel is reused by the next without a device
// synchronization (stream order keeps the reuse safe).
void *device_alloc(size_t bytes);       // NULL (with the error set) when memory is short
void device_free(void *ptr);

// A scratch buffer from the allocator, given back when it leaves scope.
class Scratch {
public:
    explicit Scratch(size_t count) : ptr_(static_cast<float *>(device_alloc(count * 4))) {}
    ~Scratch() { if (ptr_) device_free(ptr_); }
    Scratch(const Scratch &) = delete;
    Scratch &operator=(const Scratch &) = delete;
    float *get() const { return ptr_; }
    bool ok() const { return ptr_ != nullptr; }
private:
    float *ptr_;
};

// A tensor as a kernel reads it: first element, and sizes/strides with unit dimensions
// dropped and neighbouring dimensions that walk memory in step merged (so most
// operands are one or two dimensions).
struct Strided {
    float *data;
    int ndim;
    int64_t size[T7CU_MAX_DIMS];
    int64_t stride[T7CU_MAX_DIMS];

    __device__ __forceinline__ int64_t offset(int64_t linear) const {
        int64_t at = 0;
        for (int d = ndim - 1; d > 0; --d) {
            int64_t i = linear % size[d];
            linear /= size[d];
            at += i * stride[d];
        }
        return at + linear * stride[0];
    }
};

Strided strided(const T7CudaTensor *t);
float *first_element(const T7CudaTensor *t);
int64_t nelement(const T7CudaTensor *t);
bool is_contiguous(const T7CudaTensor *t);

// Checks used by every entry point; each sets the message and returns false on failure.
bool check_tensor(const T7CudaTensor *t, const char *name);
bool check_same_count(const T7CudaTensor *a, const T7CudaTensor *b, const char *what);
bool check_contiguous(const T7CudaTensor *t, const char *name);
bool check_on_current_device(const T7CudaTensor *t, const char *name);

// Resizes r to n-d sizes (contiguous), as t7cu_tensor_resize.
int resize(T7CudaTensor *r, int ndim, const int64_t *size);
int resize_as(T7CudaTensor *r, const T7CudaTensor *like);

// Makes *t a contiguous tensor of the given sizes over `data`, through *storage (both
// owned by the caller, typically on its stack, for handing scratch memory to kernels).
void dense_view(T7CudaTensor *t, T7CudaStorage *storage, float *data, int ndim,
                const int64_t *size);

// A contiguous device copy of t when t is not contiguous (owned by the Scratch), or t's
// own memory; data() points at the first element either way.
class ContiguousView {
public:
    explicit ContiguousView(const T7CudaTensor *t);
    const float *data() const { return data_; }
    bool ok() const { return ok_; }
private:
    Scratch copy_;
    const float *data_;
    bool ok_;
};

// The random generator's key and how many numbers it has drawn (a counter-based generator:
// each draw of n numbers takes counters [offset, offset + n)).
extern uint64_t random_seed;
extern uint64_t random_offset;

// Launch geometry for n independent elements.
constexpr int kThreads = 256;
inline unsigned blocks_for(int64_t n) {
    int64_t b = (n + kThreads - 1) / kThreads;
    const int64_t cap = 65535LL * 64;  // grid-stride loops cover the rest
    return static_cast<unsigned>(b < 1 ? 1 : (b > cap ? cap : b));
}

// Reads a flag that a kernel sets on a bad index (kernels cannot raise errors, and an
// access out of bounds would end the CUDA context): waits for the stream, so it serves the
// calls that return a value to the host anyway, or that must refuse bad indices.
int check_index_flag(int *flag, const char *what);

// Row-major single-precision matrix product C = alpha op(A) op(B) + beta C, with op(A)
// m x k and op(B) k x n, on the current stream (cuBLAS, blas.cu).
int gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha,
         const float *a, int64_t lda, const float *b, int64_t ldb, float beta, float *c,
         int64_t ldc);

}  // namespace t7cu
