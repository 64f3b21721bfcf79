// 2-D convolution as unfold (im2col) + matrix product, as Torch7's SpatialConvolutionMM.
//
// Several samples are unfolded side by side into one column matrix [K, nb * L] (K = input
// planes * kernel area, L = output positions), so that one product serves a chunk of the
// batch: a product per sample would make a thousand small cuBLAS calls for a batch of 1024.
// The product's result [output planes, nb * L] is then rearranged into [nb, planes, L].

#include "common.cuh"

namespace t7cu {

namespace {

// Column buffers stay under this many floats (256 MiB); the batch is cut into chunks.
constexpr int64_t kColumnBudget = 64LL << 20;

struct Geometry {
    int64_t batch, planes, height, width, out_h, out_w;
    int64_t k;   // rows of the column matrix
    int64_t l;   // output positions per plane
};

__global__ void im2col(const float *input, int64_t nb, int64_t planes, int64_t height,
                       int64_t width, int64_t kh, int64_t kw, int64_t sh, int64_t sw,
                       int64_t ph, int64_t pw, int64_t out_h, int64_t out_w, float *cols) {
    int64_t l = out_h * out_w, span = nb * l, total = planes * kh * kw * span;
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < total;
         i += (int64_t)gridDim.x * blockDim.x) {
        int64_t col = i % span, row = i / span;
        int64_t n = col / l, pos = col % l;
        int64_t y = pos / out_w, x = pos % out_w;
        int64_t j = row % kw, r = row / kw, ki = r % kh, c = r / kh;
        int64_t h = y * sh - ph + ki, w = x * sw - pw + j;
        cols[i] = (h >= 0 && h < height && w >= 0 && w < width)
                      ? input[((n * planes + c) * height + h) * width + w]
                      : 0.f;
    }
}

// The inverse gathering: each input element sums the column entries that read it.
__global__ void col2im(const float *cols, int64_t nb, int64_t planes, int64_t height,
                       int64_t width, int64_t kh, int64_t kw, int64_t sh, int64_t sw,
                       int64_t ph, int64_t pw, int64_t out_h, int64_t out_w, float *input) {
    int64_t l = out_h * out_w, span = nb * l, total = nb * planes * height * width;
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < total;
         i += (int64_t)gridDim.x * blockDim.x) {
        int64_t w = i % width, h = (i / width) % height;
        int64_t c = (i / (width * height)) % planes, n = i / (width * height * planes);
        float sum = 0.f;
        for (int64_t ki = 0; ki < kh; ++ki) {
            int64_t yy = h + ph - ki;
            if (yy < 0 || yy % sh != 0 || yy / sh >= out_h) continue;
            for (int64_t j = 0; j < kw; ++j) {
                int64_t xx = w + pw - j;
                if (xx < 0 || xx % sw != 0 || xx / sw >= out_w) continue;
                int64_t row = (c * kh + ki) * kw + j;
                sum += cols[row * span + n * l + (yy / sh) * out_w + xx / sw];
            }
        }
        input[i] = sum;
    }
}

// [planes, nb * l] -> [nb, planes, l], adding bias[plane] when given.
__global__ void planes_to_batch(const float *from, int64_t nb, int64_t planes, int64_t l,
                                const float *bias, float *to) {
    int64_t total = nb * planes * l;
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < total;
         i += (int64_t)gridDim.x * blockDim.x) {
        int64_t pos = i % l, p = (i / l) % planes, n = i / (l * planes);
        to[i] = from[(p * nb + n) * l + pos] + (bias ? bias[p] : 0.f);
    }
}

// [nb, planes, l] -> [planes, nb * l]
__global__ void batch_to_planes(const float *from, int64_t nb, int64_t planes, int64_t l,
                                float *to) {
    int64_t total = nb * planes * l;
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < total;
         i += (int64_t)gridDim.x * blockDim.x) {
        int64_t pos = i % l, p = (i / l) % planes, n = i / (l * planes);
        to[(p * nb + n) * l + pos] = from[i];
    }
}

// grad_bias[p] += scale * the sum of row p (a block per row).
__global__ void add_row_sums(const float *rows, int64_t count, int64_t length, float scale,
                             float *out) {
    __shared__ float partial[kThreads];
    for (int64_t r = blockIdx.x; r < count; r += gridDim.x) {
        float sum = 0.f;
        for (int64_t i = threadIdx.x; i < length; i += blockDim.x) sum += rows[r * length + i];
        partial[threadIdx.x] = sum;
        __syncthreads();
        for (int step = blockDim.x / 2; step > 0; step /= 2) {
            if (threadIdx.x < step) partial[threadIdx.x] += partial[threadIdx.x + step];
            __syncthreads();
        }
        if (threadIdx.x == 0) out[r] += scale * partial[0];
        __syncthreads();
    }
}

int geometry(const T7CudaTensor *input, const T7CudaConvShape *s, Geometry *g) {
    if (input->_ndim != 3 && input->_ndim != 4) {
        return fail("3D or 4D (batch mode) tensor expected for input, but got a %dD tensor",
                    input->_ndim);
    }
    if (s->kernel_h <= 0 || s->kernel_w <= 0 || s->stride_h <= 0 || s->stride_w <= 0 ||
        s->pad_h < 0 || s->pad_w < 0) {
        return fail("kernel and stride must be positive, padding not negative");
    }
    int first = input->_ndim - 3;
    g->batch = first ? input->_size[0] : 1;
    g->planes = input->_size[first];
    g->height = input->_size[first + 1];
    g->width = input->_size[first + 2];
    if (g->planes != s->input_planes) {
        return fail("input has %lld planes, the module expects %lld",
                    (long long)g->planes, (long long)s->input_planes);
    }
    g->out_h = (g->height + 2 * s->pad_h - s->kernel_h) / s->stride_h + 1;
    g->out_w = (g->width + 2 * s->pad_w - s->kernel_w) / s->stride_w + 1;
    if (g->height + 2 * s->pad_h < s->kernel_h || g->width + 2 * s->pad_w < s->kernel_w) {
        return fail("input image (%lldx%lld) smaller than the kernel (%lldx%lld)",
                    (long long)g->height, (long long)g->width, (long long)s->kernel_h,
                    (long long)s->kernel_w);
    }
    g->k = s->input_planes * s->kernel_h * s->kernel_w;
    g->l = g->out_h * g->out_w;
    return 0;
}

int check_weight(const T7CudaTensor *weight, const T7CudaConvShape *s, const char *name) {
    if (nelement(weight) != s->output_planes * s->input_planes * s->kernel_h * s->kernel_w) {
        return fail("%s has %lld elements, expected %lld x %lld x %lld x %lld", name,
                    (long long)nelement(weight), (long long)s->output_planes,
                    (long long)s->input_planes, (long long)s->kernel_h, (long long)s->kernel_w);
    }
    if (!check_contiguous(weight, name) || !check_on_current_device(weight, name)) return -1;
    return 0;
}

int64_t chunk_of(const Geometry &g) {
    int64_t per_sample = g.k * g.l > 0 ? g.k * g.l : 1;
    int64_t nb = kColumnBudget / per_sample;
    if (nb < 1) nb = 1;
    return nb < g.batch ? nb : g.batch;
}

// The batch cut into chunks whose column matrix fits kColumnBudget, with the two scratch
// matrices each pass uses: columns [K, nb L] and per-plane values [planes, nb L].
struct Chunks {
    Chunks(const Geometry &g, int64_t planes)
        : nb(chunk_of(g)), cols(g.k * nb * g.l), per_plane(planes * nb * g.l) {}
    bool ok() const { return cols.ok() && per_plane.ok(); }
    int64_t nb;
    Scratch cols, per_plane;
};

int check_grad_output(const T7CudaTensor *grad_output, const Geometry &g,
                      const T7CudaConvShape *s) {
    if (nelement(grad_output) != g.batch * s->output_planes * g.l) {
        return fail("gradOutput has %lld elements, expected %lld",
                    (long long)nelement(grad_output),
                    (long long)(g.batch * s->output_planes * g.l));
    }
    return 0;
}

void unfold(const float *input, int64_t nb, const Geometry &g, const T7CudaConvShape *s,
            float *cols) {
    im2col<<<blocks_for(g.k * nb * g.l), kThreads, 0, current_stream()>>>(
        input, nb, g.planes, g.height, g.width, s->kernel_h, s->kernel_w, s->stride_h,
        s->stride_w, s->pad_h, s->pad_w, g.out_h, g.out_w, cols);
}

int output_sizes(const T7CudaTensor *input, const Geometry &g, const T7CudaConvShape *s,
                 int64_t *size) {
    int at = 0;
    if (input->_ndim == 4) size[at++] = g.batch;
    size[at++] = s->output_planes;
    size[at++] = g.out_h;
    size[at++] = g.out_w;
    return at;
}

}  // namespace

}  // namespace t7cu

using namespace t7cu;

extern "C" {

int t7cu_nn_conv2d_forward(T7CudaTensor *output, const T7CudaTensor *input,
                           const T7CudaTensor *weight, const T7CudaTensor *bias,
                           const T7CudaConvShape *shape) {
    Geometry g;
    if (geometry(input, shape, &g) || check_weight(weight, shape, "weight")) return -1;
    if (bias && (nelement(bias) != shape->output_planes || !check_contiguous(bias, "bias"))) {
        return fail("bias must be a contiguous tensor of %lld elements",
                    (long long)shape->output_planes);
    }
    int64_t size[4];
    if (resize(output, output_sizes(input, g, shape, size), size)) return -1;
    if (!check_contiguous(output, "output")) return -1;
    ContiguousView in(input);
    if (!in.ok()) return -1;
    Chunks c(g, shape->output_planes);
    if (!c.ok()) return -1;
    const int64_t in_sample = g.planes * g.height * g.width;
    const int64_t out_sample = shape->output_planes * g.l;
    for (int64_t n0 = 0; n0 < g.batch; n0 += c.nb) {
        int64_t count = g.batch - n0 < c.nb ? g.batch - n0 : c.nb;
        unfold(in.data() + n0 * in_sample, count, g, shape, c.cols.get());
        if (gemm(false, false, shape->output_planes, count * g.l, g.k, 1.f,
                 first_element(weight), g.k, c.cols.get(), count * g.l, 0.f,
                 c.per_plane.get(), count * g.l)) return -1;
        planes_to_batch<<<blocks_for(count * out_sample), kThreads, 0, current_stream()>>>(
            c.per_plane.get(), count, shape->output_planes, g.l,
            bias ? first_element(bias) : nullptr,
            first_element(output) + n0 * out_sample);
    }
    return check_launch("convolution");
}

int t7cu_nn_conv2d_backward_input(T7CudaTensor *grad_input, const T7CudaTensor *input,
                                  const T7CudaTensor *grad_output, const T7CudaTensor *weight,
                                  const T7CudaConvShape *shape) {
    Geometry g;
    if (geometry(input, shape, &g) || check_weight(weight, shape, "weight") ||
        check_grad_output(grad_output, g, shape)) return -1;
    if (resize_as(grad_input, input) || !check_contiguous(grad_input, "gradInput")) return -1;
    ContiguousView go(grad_output);
    Chunks c(g, shape->output_planes);
    if (!go.ok() || !c.ok()) return -1;
    const int64_t in_sample = g.planes * g.height * g.width;
    const int64_t out_sample = shape->output_planes * g.l;
    for (int64_t n0 = 0; n0 < g.batch; n0 += c.nb) {
        int64_t count = g.batch - n0 < c.nb ? g.batch - n0 : c.nb;
        batch_to_planes<<<blocks_for(count * out_sample), kThreads, 0, current_stream()>>>(
            go.data() + n0 * out_sample, count, shape->output_planes, g.l, c.per_plane.get());
        if (gemm(true, false, g.k, count * g.l, shape->output_planes, 1.f,
                 first_element(weight), g.k, c.per_plane.get(), count * g.l, 0.f,
                 c.cols.get(), count * g.l)) return -1;
        col2im<<<blocks_for(count * in_sample), kThreads, 0, current_stream()>>>(
            c.cols.get(), count, g.planes, g.height, g.width, shape->kernel_h, shape->kernel_w,
            shape->stride_h, shape->stride_w, shape->pad_h, shape->pad_w, g.out_h, g.out_w,
            first_element(grad_input) + n0 * in_sample);
    }
    return check_launch("convolution gradient");
}

int t7cu_nn_conv2d_backward_params(T7CudaTensor *grad_weight, T7CudaTensor *grad_bias,
                                   const T7CudaTensor *input, const T7CudaTensor *grad_output,
                                   float scale, const T7CudaConvShape *shape) {
    Geometry g;
    if (geometry(input, shape, &g) || check_weight(grad_weight, shape, "gradWeight")) return -1;
    if (grad_bias && (nelement(grad_bias) != shape->output_planes ||
                      !check_contiguous(grad_bias, "gradBias"))) {
        return fail("gradBias must be a contiguous tensor of %lld elements",
                    (long long)shape->output_planes);
    }
    if (check_grad_output(grad_output, g, shape)) return -1;
    ContiguousView in(input), go(grad_output);
    Chunks c(g, shape->output_planes);
    if (!in.ok() || !go.ok() || !c.ok()) return -1;
    const int64_t in_sample = g.planes * g.height * g.width;
    const int64_t out_sample = shape->output_planes * g.l;
    for (int64_t n0 = 0; n0 < g.batch; n0 += c.nb) {
        int64_t count = g.batch - n0 < c.nb ? g.batch - n0 : c.nb;
        unfold(in.data() + n0 * in_sample, count, g, shape, c.cols.get());
        batch_to_planes<<<blocks_for(count * out_sample), kThreads, 0, current_stream()>>>(
            go.data() + n0 * out_sample, count, shape->output_planes, g.l, c.per_plane.get());
        // gradWeight [planes, K] += scale * per_plane [planes, nb L] x cols^T [nb L, K]
        if (gemm(false, true, shape->output_planes, g.k, count * g.l, scale,
                 c.per_plane.get(), count * g.l, c.cols.get(), count * g.l, 1.f,
                 first_element(grad_weight), g.k)) {
            return -1;
        }
        if (grad_bias) {
            unsigned grid = shape->output_planes < 65535 ? (unsigned)shape->output_planes : 65535u;
            add_row_sums<<<grid, kThreads, 0, current_stream()>>>(
                c.per_plane.get(), shape->output_planes, count * g.l, scale,
                first_element(grad_bias));
        }
    }
    return check_launch("convolution parameter gradient");
}

}  // extern "C"
