// (Log-)softmax over the feature dimension, laid out as the CPU core's softmax_frames:
// frames x dim values spaced `stride` apart (1-D: one frame; 2-D: a frame per row; 3-D:
// planes x positions; 4-D: a batch of those).

#include <cmath>

#include "common.cuh"

namespace t7cu {

namespace {

struct Frames {
    int64_t frames, dim, stride;
};

int frames_of(const T7CudaTensor *t, Frames *f) {
    f->frames = 1;
    f->stride = 1;
    switch (t->_ndim) {
    case 1: f->dim = t->_size[0]; break;
    case 2: f->frames = t->_size[0]; f->dim = t->_size[1]; break;
    case 3: f->dim = t->_size[0]; f->stride = t->_size[1] * t->_size[2]; break;
    case 4:
        f->frames = t->_size[0];
        f->dim = t->_size[1];
        f->stride = t->_size[2] * t->_size[3];
        break;
    default: return fail("1D, 2D, 3D or 4D tensor expected, got %dD", t->_ndim);
    }
    return 0;
}

// A group per thread: frames * stride groups of `dim` values; three passes (max, sum of
// exponentials, results), in float as the CPU core's float kernel but summed in double.
__global__ void softmax_forward(const float *x, float *y, Frames f, int take_log) {
    int64_t groups = f.frames * f.stride;
    for (int64_t g = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; g < groups;
         g += (int64_t)gridDim.x * blockDim.x) {
        int64_t base = (g / f.stride) * f.dim * f.stride + g % f.stride;
        float top = -INFINITY;
        for (int64_t k = 0; k < f.dim; ++k) top = fmaxf(top, x[base + k * f.stride]);
        double sum = 0;
        for (int64_t k = 0; k < f.dim; ++k) sum += expf(x[base + k * f.stride] - top);
        float log_sum = static_cast<float>(log(sum));
        for (int64_t k = 0; k < f.dim; ++k) {
            float v = x[base + k * f.stride] - top;
            y[base + k * f.stride] = take_log ? v - log_sum : expf(v - log_sum);
        }
    }
}

// softmax: gi = y * (go - sum(go * y)); log-softmax: gi = go - exp(y) * sum(go)
__global__ void softmax_backward(const float *y, const float *go, float *gi, Frames f,
                                 int take_log) {
    int64_t groups = f.frames * f.stride;
    for (int64_t g = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; g < groups;
         g += (int64_t)gridDim.x * blockDim.x) {
        int64_t base = (g / f.stride) * f.dim * f.stride + g % f.stride;
        double sum = 0;
        for (int64_t k = 0; k < f.dim; ++k) {
            int64_t at = base + k * f.stride;
            sum += take_log ? go[at] : go[at] * y[at];
        }
        float s = static_cast<float>(sum);
        for (int64_t k = 0; k < f.dim; ++k) {
            int64_t at = base + k * f.stride;
            gi[at] = take_log ? go[at] - expf(y[at]) * s : y[at] * (go[at] - s);
        }
    }
}

}  // namespace

}  // namespace t7cu

using namespace t7cu;

extern "C" {

int t7cu_nn_softmax(T7CudaTensor *output, const T7CudaTensor *input, int log) {
    Frames f;
    if (frames_of(input, &f)) return -1;
    if (output == input) return fail("the output must be distinct from the input");
    ContiguousView x(input);
    if (!x.ok()) return -1;
    if (resize_as(output, input) || !check_contiguous(output, "output")) return -1;
    int64_t groups = f.frames * f.stride;
    if (groups == 0 || f.dim == 0) return 0;
    softmax_forward<<<blocks_for(groups), kThreads, 0, current_stream()>>>(
        x.data(), first_element(output), f, log);
    return check_launch("softmax");
}

int t7cu_nn_softmax_backward(T7CudaTensor *grad_input, const T7CudaTensor *grad_output,
                             const T7CudaTensor *output, int log) {
    Frames f;
    if (frames_of(output, &f)) return -1;
    if (!check_same_count(grad_output, output, "gradOutput and output")) return -1;
    if (grad_input == grad_output || grad_input == output) {
        return fail("gradInput must be distinct from its operands");
    }
    ContiguousView y(output), go(grad_output);
    if (!y.ok() || !go.ok()) return -1;
    if (resize_as(grad_input, output) || !check_contiguous(grad_input, "gradInput")) return -1;
    int64_t groups = f.frames * f.stride;
    if (groups == 0 || f.dim == 0) return 0;
    softmax_backward<<<blocks_for(groups), kThreads, 0, current_stream()>>>(
        y.data(), go.data(), first_element(grad_input), f, log);
    return check_launch("softmax gradient");
}

}  // extern "C"
