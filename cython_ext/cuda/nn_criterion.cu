// Criterions (ClassNLL, MSE) and LookupTable's gradient: the kernels that read indices
// check them on the device and report a bad one through a flag (see check_index_flag).

#include "common.cuh"

namespace t7cu {

namespace {

// One block: the weighted sum of -input[i, target[i]] and of the weights used.
__global__ void class_nll(const float *input, int64_t batch, int64_t classes,
                          const float *target, const float *weights, int64_t ignore,
                          int64_t base, double *out, int *bad) {
    __shared__ double loss[kThreads], weight[kThreads];
    double l = 0, w = 0;
    for (int64_t i = threadIdx.x; i < batch; i += blockDim.x) {
        float t = target[i];
        if (t == static_cast<float>(ignore)) continue;
        int64_t k = static_cast<int64_t>(t) - base;
        if (k < 0 || k >= classes || static_cast<float>(k + base) != t) { *bad = 1; continue; }
        double wk = weights ? weights[k] : 1.0;
        l -= wk * input[i * classes + k];
        w += wk;
    }
    loss[threadIdx.x] = l;
    weight[threadIdx.x] = w;
    __syncthreads();
    for (int step = blockDim.x / 2; step > 0; step /= 2) {
        if (threadIdx.x < step) {
            loss[threadIdx.x] += loss[threadIdx.x + step];
            weight[threadIdx.x] += weight[threadIdx.x + step];
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) { out[0] = loss[0]; out[1] = weight[0]; }
}

__global__ void class_nll_backward(float *grad_input, int64_t batch, int64_t classes,
                                   const float *target, const float *weights, double scale,
                                   int64_t ignore, int64_t base, int *bad) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < batch;
         i += (int64_t)gridDim.x * blockDim.x) {
        float t = target[i];
        if (t == static_cast<float>(ignore)) continue;
        int64_t k = static_cast<int64_t>(t) - base;
        if (k < 0 || k >= classes || static_cast<float>(k + base) != t) { *bad = 1; continue; }
        grad_input[i * classes + k] = static_cast<float>(-(weights ? weights[k] : 1.0) * scale);
    }
}

__global__ void lookup_acc_grad(float *grad_weight, int64_t rows, int64_t dim,
                                const float *indices, int64_t n, const float *grad_output,
                                int64_t padding, int base, float scale, int *bad) {
    int64_t total = n * dim;
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < total;
         i += (int64_t)gridDim.x * blockDim.x) {
        int64_t k = i / dim, c = i % dim;
        int64_t index = static_cast<int64_t>(indices[k]);
        if (padding > 0 && index == padding) continue;
        int64_t row = index - base;
        if (row < 0 || row >= rows) { *bad = 1; continue; }
        atomicAdd(grad_weight + row * dim + c, scale * grad_output[i]);
    }
}

struct NLLShape {
    int64_t batch, classes;
};

int nll_check(const T7CudaTensor *input, const T7CudaTensor *target,
              const T7CudaTensor *weights, NLLShape *s) {
    if (input->_ndim == 1) {
        s->batch = 1;
        s->classes = input->_size[0];
    } else if (input->_ndim == 2) {
        s->batch = input->_size[0];
        s->classes = input->_size[1];
    } else {
        return fail("1D or 2D tensor expected for the input, got %dD", input->_ndim);
    }
    if (target->_ndim != 1 || target->_size[0] != s->batch) {
        return fail("the target must hold one class index per sample: %lld expected, got %lld",
                    (long long)s->batch, (long long)nelement(target));
    }
    if (weights && (nelement(weights) != s->classes || !is_contiguous(weights))) {
        return fail("the weights must be a contiguous tensor of %lld elements (one per class)",
                    (long long)s->classes);
    }
    return 0;
}

// A device int set to 0, for kernels to flag a bad index in.
class Flag {
public:
    Flag() : memory_(1) {
        ok_ = memory_.ok() && !check_cuda(cudaMemsetAsync(get(), 0, sizeof(int),
                                                          current_stream()), "index flag");
    }
    int *get() const { return reinterpret_cast<int *>(memory_.get()); }
    bool ok() const { return ok_; }
private:
    Scratch memory_;
    bool ok_;
};

}  // namespace

}  // namespace t7cu

using namespace t7cu;

extern "C" {

int t7cu_nn_class_nll(const T7CudaTensor *input, const T7CudaTensor *target,
                      const T7CudaTensor *weights, int64_t ignore_index, int64_t index_base,
                      double *loss, double *total_weight) {
    NLLShape s;
    if (nll_check(input, target, weights, &s)) return -1;
    ContiguousView x(input), t(target);
    Scratch sums(4);  // two doubles
    Flag bad;
    if (!x.ok() || !t.ok() || !sums.ok() || !bad.ok()) return -1;
    double *out = reinterpret_cast<double *>(sums.get());
    class_nll<<<1, kThreads, 0, current_stream()>>>(
        x.data(), s.batch, s.classes, t.data(), weights ? first_element(weights) : nullptr,
        ignore_index, index_base, out, bad.get());
    if (check_launch("ClassNLL")) return -1;
    if (check_index_flag(bad.get(), "target")) return -1;  // waits for the kernel
    double host[2];
    if (check_cuda(cudaMemcpy(host, out, sizeof host, cudaMemcpyDeviceToHost), "ClassNLL")) {
        return -1;
    }
    *loss = host[0];
    *total_weight = host[1];
    return 0;
}

int t7cu_nn_class_nll_backward(T7CudaTensor *grad_input, const T7CudaTensor *input,
                               const T7CudaTensor *target, const T7CudaTensor *weights,
                               double scale, int64_t ignore_index, int64_t index_base) {
    NLLShape s;
    if (nll_check(input, target, weights, &s)) return -1;
    if (resize_as(grad_input, input) || !check_contiguous(grad_input, "gradInput")) return -1;
    if (check_cuda(cudaMemsetAsync(first_element(grad_input), 0, nelement(input) * 4,
                                   current_stream()), "clearing gradInput")) return -1;
    ContiguousView t(target);
    Flag bad;
    if (!t.ok() || !bad.ok()) return -1;
    if (s.batch == 0) return 0;
    class_nll_backward<<<blocks_for(s.batch), kThreads, 0, current_stream()>>>(
        first_element(grad_input), s.batch, s.classes, t.data(),
        weights ? first_element(weights) : nullptr, scale, ignore_index, index_base, bad.get());
    if (check_launch("ClassNLL gradient")) return -1;
    return check_index_flag(bad.get(), "target");
}

int t7cu_nn_mse(const T7CudaTensor *input, const T7CudaTensor *target, double *sum_of_squares) {
    if (!check_same_count(input, target, "MSECriterion")) return -1;
    Scratch diff(static_cast<size_t>(nelement(input)));
    if (!diff.ok()) return -1;
    T7CudaStorage storage;
    T7CudaTensor d;
    dense_view(&d, &storage, diff.get(), input->_ndim, input->_size);
    if (t7cu_map(&d, input, target, nullptr, T7CU_SCALED_DIFF, 1.f, 0.f)) return -1;
    return t7cu_reduce_all(&d, T7CU_SUMSQ, sum_of_squares);
}

int t7cu_nn_lookup_acc_grad(T7CudaTensor *grad_weight, const T7CudaTensor *indices,
                            const T7CudaTensor *grad_output, int64_t padding,
                            int index_base, float scale) {
    if (grad_weight->_ndim != 2 || !is_contiguous(grad_weight)) {
        return fail("gradWeight must be a contiguous matrix");
    }
    int64_t rows = grad_weight->_size[0], dim = grad_weight->_size[1], n = nelement(indices);
    if (nelement(grad_output) != n * dim) {
        return fail("gradOutput has %lld elements, %lld expected (%lld indices x %lld)",
                    (long long)nelement(grad_output), (long long)(n * dim), (long long)n,
                    (long long)dim);
    }
    ContiguousView idx(indices), go(grad_output);
    Flag bad;
    if (!idx.ok() || !go.ok() || !bad.ok()) return -1;
    if (n * dim == 0) return 0;
    lookup_acc_grad<<<blocks_for(n * dim), kThreads, 0, current_stream()>>>(
        first_element(grad_weight), rows, dim, idx.data(), n, go.data(), padding, index_base,
        scale, bad.get());
    if (check_launch("LookupTable gradient")) return -1;
    return check_index_flag(bad.get(), "input");
}

}  // extern "C"
