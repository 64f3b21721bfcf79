// 2-D max and average pooling over the planes of a 3-D or 4-D (batch) input.

#include <cmath>

#include "common.cuh"

namespace t7cu {

namespace {

struct Planes {
    int64_t count;             // batch * planes
    int64_t height, width, out_h, out_w;
};

// The original's output size: computed in single precision, and one shorter when padding
// would start the last window outside the input (as the CPU core's pooled_size).
int64_t pooled_size(int64_t size, int64_t k, int64_t s, int64_t pad, bool ceil_mode) {
    float span = static_cast<float>(size - k + 2 * pad);
    int64_t n = static_cast<int64_t>(ceil_mode ? ceilf(span / s) : floorf(span / s)) + 1;
    if (pad > 0 && (n - 1) * s >= size + pad) --n;
    return n;
}

int planes_of(const T7CudaTensor *input, const T7CudaPoolShape *s, Planes *p) {
    if (input->_ndim != 3 && input->_ndim != 4) {
        return fail("3D or 4D (batch mode) tensor expected for input, but got a %dD tensor",
                    input->_ndim);
    }
    if (s->kernel_h <= 0 || s->kernel_w <= 0 || s->stride_h <= 0 || s->stride_w <= 0) {
        return fail("kernel size and stride should be greater than zero");
    }
    if (s->pad_h < 0 || s->pad_w < 0 || s->pad_h > s->kernel_h / 2 ||
        s->pad_w > s->kernel_w / 2) {
        return fail("pad should be at most half of the kernel size");
    }
    int first = input->_ndim - 3;
    p->count = (first ? input->_size[0] : 1) * input->_size[first];
    p->height = input->_size[first + 1];
    p->width = input->_size[first + 2];
    p->out_h = pooled_size(p->height, s->kernel_h, s->stride_h, s->pad_h, s->ceil_mode != 0);
    p->out_w = pooled_size(p->width, s->kernel_w, s->stride_w, s->pad_w, s->ceil_mode != 0);
    if (p->out_h < 1 || p->out_w < 1) {
        return fail("input image (%lldx%lld) too small for the kernel (%lldx%lld)",
                    (long long)p->height, (long long)p->width, (long long)s->kernel_h,
                    (long long)s->kernel_w);
    }
    return 0;
}

int resize_output(T7CudaTensor *output, const T7CudaTensor *input, const Planes &p) {
    int64_t size[4];
    int n = input->_ndim;
    for (int d = 0; d < n - 2; ++d) size[d] = input->_size[d];
    size[n - 2] = p.out_h;
    size[n - 1] = p.out_w;
    if (resize(output, n, size)) return -1;
    return check_contiguous(output, "output") ? 0 : -1;
}

__global__ void max_pool(const float *input, Planes p, T7CudaPoolShape s, float *output,
                         float *indices) {
    int64_t total = p.count * p.out_h * p.out_w;
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < total;
         i += (int64_t)gridDim.x * blockDim.x) {
        int64_t x = i % p.out_w, y = (i / p.out_w) % p.out_h, plane = i / (p.out_w * p.out_h);
        int64_t h0 = y * s.stride_h - s.pad_h, w0 = x * s.stride_w - s.pad_w;
        int64_t h1 = min(h0 + s.kernel_h, p.height), w1 = min(w0 + s.kernel_w, p.width);
        h0 = max(h0, (int64_t)0);
        w0 = max(w0, (int64_t)0);
        const float *in = input + plane * p.height * p.width;
        float best = -INFINITY;
        int64_t at = h0 * p.width + w0;
        for (int64_t h = h0; h < h1; ++h) {
            for (int64_t w = w0; w < w1; ++w) {
                float v = in[h * p.width + w];
                if (v > best || isnan(v)) {
                    best = v;
                    at = h * p.width + w;
                    if (isnan(v)) { h = h1; break; }
                }
            }
        }
        output[i] = best;
        indices[i] = static_cast<float>(at + 1);
    }
}

__global__ void max_pool_backward(const float *grad_output, const float *indices,
                                  int64_t count, int64_t plane_in, int64_t plane_out,
                                  float *grad_input) {
    int64_t total = count * plane_out;
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < total;
         i += (int64_t)gridDim.x * blockDim.x) {
        int64_t plane = i / plane_out;
        int64_t at = static_cast<int64_t>(indices[i]) - 1;
        if (at >= 0 && at < plane_in) {
            atomicAdd(grad_input + plane * plane_in + at, grad_output[i]);
        }
    }
}

// The window [h0, h1) x [w0, w1) of an output position, clipped to the input, and the count
// to divide by (the window with its padding, or only what lies in the input).
__device__ __forceinline__ float avg_window(const Planes &p, const T7CudaPoolShape &s,
                                            int64_t y, int64_t x, int64_t *h0, int64_t *h1,
                                            int64_t *w0, int64_t *w1) {
    *h0 = y * s.stride_h - s.pad_h;
    *w0 = x * s.stride_w - s.pad_w;
    *h1 = min(*h0 + s.kernel_h, p.height + s.pad_h);
    *w1 = min(*w0 + s.kernel_w, p.width + s.pad_w);
    int64_t padded = (*h1 - *h0) * (*w1 - *w0);
    *h0 = max(*h0, (int64_t)0);
    *w0 = max(*w0, (int64_t)0);
    *h1 = min(*h1, p.height);
    *w1 = min(*w1, p.width);
    int64_t clipped = (*h1 - *h0) * (*w1 - *w0);
    return static_cast<float>(s.count_include_pad ? padded : clipped);
}

__global__ void avg_pool(const float *input, Planes p, T7CudaPoolShape s, float *output) {
    int64_t total = p.count * p.out_h * p.out_w;
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < total;
         i += (int64_t)gridDim.x * blockDim.x) {
        int64_t x = i % p.out_w, y = (i / p.out_w) % p.out_h, plane = i / (p.out_w * p.out_h);
        int64_t h0, h1, w0, w1;
        float divisor = avg_window(p, s, y, x, &h0, &h1, &w0, &w1);
        const float *in = input + plane * p.height * p.width;
        float sum = 0.f;
        for (int64_t h = h0; h < h1; ++h)
            for (int64_t w = w0; w < w1; ++w) sum += in[h * p.width + w];
        output[i] = sum / divisor;
    }
}

__global__ void avg_pool_backward(const float *grad_output, Planes p, T7CudaPoolShape s,
                                  float *grad_input) {
    int64_t total = p.count * p.out_h * p.out_w;
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < total;
         i += (int64_t)gridDim.x * blockDim.x) {
        int64_t x = i % p.out_w, y = (i / p.out_w) % p.out_h, plane = i / (p.out_w * p.out_h);
        int64_t h0, h1, w0, w1;
        float g = grad_output[i] / avg_window(p, s, y, x, &h0, &h1, &w0, &w1);
        float *gi = grad_input + plane * p.height * p.width;
        for (int64_t h = h0; h < h1; ++h)
            for (int64_t w = w0; w < w1; ++w) atomicAdd(gi + h * p.width + w, g);
    }
}

int zeroed_like(T7CudaTensor *grad_input, const T7CudaTensor *input) {
    if (resize_as(grad_input, input) || !check_contiguous(grad_input, "gradInput")) return -1;
    return check_cuda(cudaMemsetAsync(first_element(grad_input), 0, nelement(input) * 4,
                                      current_stream()), "clearing gradInput");
}

}  // namespace

}  // namespace t7cu

using namespace t7cu;

extern "C" {

int t7cu_nn_max_pool2d(T7CudaTensor *output, T7CudaTensor *indices, const T7CudaTensor *input,
                       const T7CudaPoolShape *shape) {
    Planes p;
    if (planes_of(input, shape, &p)) return -1;
    if (p.height * p.width > (1LL << 24)) {
        return fail("planes of more than 2^24 elements: positions would not fit in floats");
    }
    if (resize_output(output, input, p) || resize_output(indices, input, p)) return -1;
    ContiguousView in(input);
    if (!in.ok()) return -1;
    int64_t n = p.count * p.out_h * p.out_w;
    if (n == 0) return 0;
    max_pool<<<blocks_for(n), kThreads, 0, current_stream()>>>(
        in.data(), p, *shape, first_element(output), first_element(indices));
    return check_launch("max pooling");
}

int t7cu_nn_max_pool2d_backward(T7CudaTensor *grad_input, const T7CudaTensor *input,
                                const T7CudaTensor *grad_output, const T7CudaTensor *indices) {
    if (!check_same_count(grad_output, indices, "max pooling gradient")) return -1;
    if (input->_ndim < 3 || indices->_ndim != input->_ndim) {
        return fail("max pooling gradient: indices do not match the input");
    }
    int n = input->_ndim;
    int64_t plane_in = input->_size[n - 2] * input->_size[n - 1];
    int64_t plane_out = indices->_size[n - 2] * indices->_size[n - 1];
    int64_t count = plane_out ? nelement(indices) / plane_out : 0;
    if (zeroed_like(grad_input, input)) return -1;
    ContiguousView go(grad_output), idx(indices);
    if (!go.ok() || !idx.ok()) return -1;
    if (count * plane_out == 0) return 0;
    max_pool_backward<<<blocks_for(count * plane_out), kThreads, 0, current_stream()>>>(
        go.data(), idx.data(), count, plane_in, plane_out, first_element(grad_input));
    return check_launch("max pooling gradient");
}

int t7cu_nn_avg_pool2d(T7CudaTensor *output, const T7CudaTensor *input,
                       const T7CudaPoolShape *shape) {
    Planes p;
    if (planes_of(input, shape, &p) || resize_output(output, input, p)) return -1;
    ContiguousView in(input);
    if (!in.ok()) return -1;
    int64_t n = p.count * p.out_h * p.out_w;
    if (n == 0) return 0;
    avg_pool<<<blocks_for(n), kThreads, 0, current_stream()>>>(in.data(), p, *shape,
                                                               first_element(output));
    return check_launch("average pooling");
}

int t7cu_nn_avg_pool2d_backward(T7CudaTensor *grad_input, const T7CudaTensor *input,
                                const T7CudaTensor *grad_output, const T7CudaPoolShape *shape) {
    Planes p;
    if (planes_of(input, shape, &p)) return -1;
    if (nelement(grad_output) != p.count * p.out_h * p.out_w) {
        return fail("gradOutput has %lld elements, expected %lld",
                    (long long)nelement(grad_output), (long long)(p.count * p.out_h * p.out_w));
    }
    if (zeroed_like(grad_input, input)) return -1;
    ContiguousView go(grad_output);
    if (!go.ok()) return -1;
    int64_t n = p.count * p.out_h * p.out_w;
    if (n == 0) return 0;
    avg_pool_backward<<<blocks_for(n), kThreads, 0, current_stream()>>>(
        go.data(), p, *shape, first_element(grad_input));
    return check_launch("average pooling gradient");
}

}  // extern "C"
