// Batch normalization over dimension 1, with the CPU core's formulas (nn_norm.pxi): batch
// statistics in double, two passes for the variance, save_std holding 1 / std.

#include "common.cuh"

namespace t7cu {

namespace {

struct Layout {
    int64_t batch, planes, inner;
};

// The sum over a plane's values of f(value, gradient), reduced by one block per plane.
__device__ double plane_sum(const float *x, const float *go, Layout d, int64_t plane,
                            double mean, int what) {
    __shared__ double partial[kThreads];
    double sum = 0;
    int64_t count = d.batch * d.inner;
    for (int64_t i = threadIdx.x; i < count; i += blockDim.x) {
        int64_t n = i / d.inner, k = i % d.inner;
        int64_t at = (n * d.planes + plane) * d.inner + k;
        double v = x[at] - mean;
        sum += what == 0 ? v : (what == 1 ? v * v : (what == 2 ? go[at] : v * go[at]));
    }
    partial[threadIdx.x] = sum;
    __syncthreads();
    for (int step = blockDim.x / 2; step > 0; step /= 2) {
        if (threadIdx.x < step) partial[threadIdx.x] += partial[threadIdx.x + step];
        __syncthreads();
    }
    double total = partial[0];
    __syncthreads();
    return total;
}

__global__ void batch_norm(const float *x, float *y, Layout d, const float *weight,
                           const float *bias, float *running_mean, float *running_var,
                           float *save_mean, float *save_std, int train, double momentum,
                           double eps) {
    for (int64_t f = blockIdx.x; f < d.planes; f += gridDim.x) {
        double count = static_cast<double>(d.batch * d.inner), mean, invstd;
        if (train) {
            mean = plane_sum(x, nullptr, d, f, 0, 0) / count;
            double squares = plane_sum(x, nullptr, d, f, mean, 1);
            invstd = (squares == 0 && eps == 0) ? 0 : 1 / sqrt(squares / count + eps);
            if (threadIdx.x == 0) {
                save_mean[f] = static_cast<float>(mean);
                save_std[f] = static_cast<float>(invstd);
                running_mean[f] = static_cast<float>(momentum * mean +
                                                     (1 - momentum) * running_mean[f]);
                running_var[f] = static_cast<float>(momentum * squares / (count - 1) +
                                                    (1 - momentum) * running_var[f]);
            }
        } else {
            mean = running_mean[f];
            invstd = 1 / sqrt(running_var[f] + eps);
        }
        double w = weight ? weight[f] : 1, b = bias ? bias[f] : 0;
        for (int64_t i = threadIdx.x; i < d.batch * d.inner; i += blockDim.x) {
            int64_t at = ((i / d.inner) * d.planes + f) * d.inner + i % d.inner;
            y[at] = static_cast<float>((x[at] - mean) * invstd * w + b);
        }
        __syncthreads();
    }
}

__global__ void batch_norm_backward(const float *x, const float *go, float *gi, float *gw,
                                    float *gb, Layout d, const float *weight,
                                    const float *running_mean, const float *running_var,
                                    const float *save_mean, const float *save_std, int train,
                                    double scale, double eps) {
    for (int64_t f = blockIdx.x; f < d.planes; f += gridDim.x) {
        double count = static_cast<double>(d.batch * d.inner);
        double mean = train ? save_mean[f] : running_mean[f];
        double invstd = train ? save_std[f] : 1 / sqrt(running_var[f] + eps);
        double w = weight ? weight[f] : 1;
        double total = plane_sum(x, go, d, f, mean, 2);
        double dot = plane_sum(x, go, d, f, mean, 3);
        if (gi) {
            double proj = dot * invstd * invstd / count, grad_mean = total / count;
            for (int64_t i = threadIdx.x; i < d.batch * d.inner; i += blockDim.x) {
                int64_t at = ((i / d.inner) * d.planes + f) * d.inner + i % d.inner;
                gi[at] = static_cast<float>(
                    train ? (go[at] - grad_mean - (x[at] - mean) * proj) * invstd * w
                          : go[at] * invstd * w);
            }
        }
        if (threadIdx.x == 0) {
            if (gw) gw[f] += static_cast<float>(scale * dot * invstd);
            if (gb) gb[f] += static_cast<float>(scale * total);
        }
        __syncthreads();
    }
}

int layout_of(const T7CudaTensor *input, const T7CudaTensor *running_mean, Layout *d) {
    if (input->_ndim < 2 || input->_ndim > 5) {
        return fail("only mini-batch supported (2D to 5D tensor), got %dD tensor", input->_ndim);
    }
    if (!check_contiguous(input, "input")) return -1;
    d->batch = input->_size[0];
    d->planes = input->_size[1];
    d->inner = 1;
    for (int k = 2; k < input->_ndim; ++k) d->inner *= input->_size[k];
    if (nelement(running_mean) != d->planes) {
        return fail("got %lld-feature tensor, expected %lld", (long long)d->planes,
                    (long long)nelement(running_mean));
    }
    return 0;
}

// Each per-plane tensor given must hold `planes` contiguous values on this device.
int per_plane(const T7CudaTensor *t, int64_t planes, const char *name) {
    if (t == nullptr) return 0;
    if (nelement(t) != planes || !is_contiguous(t)) {
        return fail("%s must be a contiguous tensor of %lld elements", name, (long long)planes);
    }
    return check_on_current_device(t, name) ? 0 : -1;
}

float *data_or_null(const T7CudaTensor *t) { return t ? first_element(t) : nullptr; }

unsigned plane_blocks(int64_t planes) { return planes < 65535 ? (unsigned)planes : 65535u; }

}  // namespace

}  // namespace t7cu

using namespace t7cu;

extern "C" {

int t7cu_nn_batch_norm(T7CudaTensor *output, const T7CudaTensor *input,
                       const T7CudaTensor *weight, const T7CudaTensor *bias,
                       T7CudaTensor *running_mean, T7CudaTensor *running_var,
                       T7CudaTensor *save_mean, T7CudaTensor *save_std, int train,
                       double momentum, double eps) {
    Layout d;
    if (layout_of(input, running_mean, &d)) return -1;
    if (per_plane(weight, d.planes, "weight") || per_plane(bias, d.planes, "bias") ||
        per_plane(running_mean, d.planes, "running_mean") ||
        per_plane(running_var, d.planes, "running_var") ||
        per_plane(save_mean, d.planes, "save_mean") || per_plane(save_std, d.planes, "save_std"))
        return -1;
    if (train && d.batch * d.inner < 2) {
        return fail("batch statistics need more than one value per plane");
    }
    if (resize_as(output, input) || !check_contiguous(output, "output")) return -1;
    if (d.planes == 0 || d.batch * d.inner == 0) return 0;
    batch_norm<<<plane_blocks(d.planes), kThreads, 0, current_stream()>>>(
        first_element(input), first_element(output), d, data_or_null(weight),
        data_or_null(bias), first_element(running_mean), first_element(running_var),
        first_element(save_mean), first_element(save_std), train, momentum, eps);
    return check_launch("batch normalization");
}

int t7cu_nn_batch_norm_backward(const T7CudaTensor *input, const T7CudaTensor *grad_output,
                                T7CudaTensor *grad_input, T7CudaTensor *grad_weight,
                                T7CudaTensor *grad_bias, const T7CudaTensor *weight,
                                const T7CudaTensor *running_mean,
                                const T7CudaTensor *running_var,
                                const T7CudaTensor *save_mean, const T7CudaTensor *save_std,
                                int train, double scale, double eps) {
    Layout d;
    if (layout_of(input, running_mean, &d)) return -1;
    if (!check_same_count(input, grad_output, "batch normalization gradient") ||
        !check_contiguous(grad_output, "gradOutput")) return -1;
    if (per_plane(weight, d.planes, "weight") || per_plane(grad_weight, d.planes, "gradWeight") ||
        per_plane(grad_bias, d.planes, "gradBias") ||
        per_plane(running_mean, d.planes, "running_mean") ||
        per_plane(running_var, d.planes, "running_var") ||
        per_plane(save_mean, d.planes, "save_mean") || per_plane(save_std, d.planes, "save_std"))
        return -1;
    if (grad_input && (resize_as(grad_input, input) ||
                       !check_contiguous(grad_input, "gradInput"))) return -1;
    if (d.planes == 0 || d.batch * d.inner == 0) return 0;
    batch_norm_backward<<<plane_blocks(d.planes), kThreads, 0, current_stream()>>>(
        first_element(input), first_element(grad_output), data_or_null(grad_input),
        data_or_null(grad_weight), data_or_null(grad_bias), d, data_or_null(weight),
        first_element(running_mean), first_element(running_var), first_element(save_mean),
        first_element(save_std), train, scale, eps);
    return check_launch("batch normalization gradient");
}

}  // extern "C"
