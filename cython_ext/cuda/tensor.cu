// Storages and tensors: life cycle, geometry, and copies within the device and with the host.

#include <cstdlib>
#include <cstring>

#include "common.cuh"

namespace t7cu {

int64_t nelement(const T7CudaTensor *t) {
    if (t->_ndim == 0) return 0;
    int64_t n = 1;
    for (int d = 0; d < t->_ndim; ++d) n *= t->_size[d];
    return n;
}

bool is_contiguous(const T7CudaTensor *t) {
    int64_t expected = 1;
    for (int d = t->_ndim - 1; d >= 0; --d) {
        if (t->_size[d] == 1) continue;
        if (t->_stride[d] != expected) return false;
        expected *= t->_size[d];
    }
    return true;
}

float *first_element(const T7CudaTensor *t) {
    if (t->_storage == nullptr || t->_storage->_data == nullptr) return nullptr;
    return t->_storage->_data + t->_offset;
}

Strided strided(const T7CudaTensor *t) {
    Strided s;
    s.data = first_element(t);
    s.ndim = 0;
    for (int d = 0; d < t->_ndim; ++d) {
        if (t->_size[d] == 1) continue;
        if (s.ndim > 0 && s.stride[s.ndim - 1] == t->_stride[d] * t->_size[d]) {
            s.size[s.ndim - 1] *= t->_size[d];
            s.stride[s.ndim - 1] = t->_stride[d];
        } else {
            s.size[s.ndim] = t->_size[d];
            s.stride[s.ndim] = t->_stride[d];
            ++s.ndim;
        }
    }
    if (s.ndim == 0) {  // one element
        s.ndim = 1;
        s.size[0] = 1;
        s.stride[0] = 1;
    }
    return s;
}

bool check_tensor(const T7CudaTensor *t, const char *name) {
    if (t == nullptr) { fail("%s: a tensor expected, got NULL", name); return false; }
    return true;
}

bool check_same_count(const T7CudaTensor *a, const T7CudaTensor *b, const char *what) {
    if (nelement(a) != nelement(b)) {
        fail("%s: inconsistent tensor size, %lld and %lld elements", what,
             static_cast<long long>(nelement(a)), static_cast<long long>(nelement(b)));
        return false;
    }
    return true;
}

bool check_contiguous(const T7CudaTensor *t, const char *name) {
    if (!is_contiguous(t)) { fail("%s must be contiguous", name); return false; }
    return true;
}

bool check_on_current_device(const T7CudaTensor *t, const char *name) {
    if (t->_storage != nullptr && t->_storage->_device != current_device()) {
        fail("%s is on device %d but the current device is %d (cutorch.setDevice)", name,
             t->_storage->_device, current_device());
        return false;
    }
    return true;
}

void dense_view(T7CudaTensor *t, T7CudaStorage *storage, float *data, int ndim,
                const int64_t *size) {
    memset(storage, 0, sizeof *storage);
    memset(t, 0, sizeof *t);
    storage->_refcount = 1;
    storage->_data = data;
    storage->_device = current_device();
    t->_refcount = 1;
    t->_storage = storage;
    t->_ndim = ndim;
    t->_device = storage->_device;
    int64_t step = 1;
    for (int d = ndim - 1; d >= 0; --d) {
        t->_size[d] = size[d];
        t->_stride[d] = step;
        step *= size[d];
    }
    storage->_size = step;
}

ContiguousView::ContiguousView(const T7CudaTensor *t)
    : copy_(is_contiguous(t) ? 0 : static_cast<size_t>(nelement(t))), data_(nullptr),
      ok_(true) {
    if (is_contiguous(t)) {
        data_ = first_element(t);
        return;
    }
    if (!copy_.ok()) { ok_ = false; return; }
    T7CudaStorage storage;
    T7CudaTensor dense;
    dense_view(&dense, &storage, copy_.get(), t->_ndim, t->_size);
    ok_ = t7cu_map(&dense, t, nullptr, nullptr, T7CU_COPY, 0, 0) == 0;
    data_ = copy_.get();
}

}  // namespace t7cu

using namespace t7cu;

namespace {

// The number of elements a view reaches into its storage, from its offset (0 if empty).
int64_t view_extent(int ndim, const int64_t *size, const int64_t *stride) {
    int64_t last = 0;
    for (int d = 0; d < ndim; ++d) {
        if (size[d] == 0) return 0;
        last += (size[d] - 1) * stride[d];
    }
    return ndim == 0 ? 0 : last + 1;
}

int check_geometry(int ndim, const int64_t *size, const int64_t *stride) {
    if (ndim < 0 || ndim > T7CU_MAX_DIMS) {
        return fail("a tensor has 0 to %d dimensions, not %d", T7CU_MAX_DIMS, ndim);
    }
    for (int d = 0; d < ndim; ++d) {
        if (size[d] < 0) return fail("size %lld of dimension %d is negative",
                                     static_cast<long long>(size[d]), d + 1);
        if (stride != nullptr && stride[d] < 0) {
            return fail("stride %lld of dimension %d is negative",
                        static_cast<long long>(stride[d]), d + 1);
        }
    }
    return 0;
}

void atomic_retain(int64_t *count) { __atomic_add_fetch(count, 1, __ATOMIC_RELAXED); }
bool atomic_release(int64_t *count) { return __atomic_sub_fetch(count, 1, __ATOMIC_ACQ_REL) == 0; }

}  // namespace

extern "C" {

T7CudaStorage *t7cu_storage_new(int64_t size) {
    if (size < 0) {
        fail("storage size %lld is negative", static_cast<long long>(size));
        return nullptr;
    }
    T7CudaStorage *s = static_cast<T7CudaStorage *>(calloc(1, sizeof(T7CudaStorage)));
    if (s == nullptr) { fail("out of host memory"); return nullptr; }
    s->_refcount = 1;
    s->_device = current_device();
    if (size > 0) {
        s->_data = static_cast<float *>(device_alloc(static_cast<size_t>(size) * 4));
        if (s->_data == nullptr) { free(s); return nullptr; }
    }
    s->_size = size;
    return s;
}

T7CudaStorage *t7cu_storage_borrow(float *data, int64_t size, int device,
                                   void (*release)(void *context), void *context) {
    if (size < 0 || (size > 0 && data == nullptr) || release == nullptr) {
        fail("t7cu_storage_borrow: invalid memory (%lld elements)", static_cast<long long>(size));
        return nullptr;
    }
    T7CudaStorage *s = static_cast<T7CudaStorage *>(calloc(1, sizeof(T7CudaStorage)));
    if (s == nullptr) { fail("out of host memory"); return nullptr; }
    s->_refcount = 1;
    s->_data = data;
    s->_size = size;
    s->_device = device;
    s->_release = release;
    s->_release_context = context;
    return s;
}

void t7cu_storage_retain(T7CudaStorage *s) { if (s) atomic_retain(&s->_refcount); }

void t7cu_storage_release(T7CudaStorage *s) {
    if (s == nullptr || !atomic_release(&s->_refcount)) return;
    if (s->_release != nullptr) {
        s->_release(s->_release_context);
    } else {
        device_free(s->_data);
    }
    free(s);
}

int t7cu_storage_resize(T7CudaStorage *s, int64_t size) {
    if (size < 0) return fail("storage size %lld is negative", static_cast<long long>(size));
    if (size == s->_size) return 0;
    if (s->_release != nullptr) {
        return fail("a storage over borrowed memory (DLPack) cannot be resized from %lld to "
                    "%lld elements", static_cast<long long>(s->_size),
                    static_cast<long long>(size));
    }
    float *data = nullptr;
    if (size > 0) {
        data = static_cast<float *>(device_alloc(static_cast<size_t>(size) * 4));
        if (data == nullptr) return -1;
        int64_t keep = size < s->_size ? size : s->_size;
        if (keep > 0 && check_cuda(cudaMemcpyAsync(data, s->_data, keep * 4,
                                                   cudaMemcpyDeviceToDevice, current_stream()),
                                   "resizing a storage")) {
            device_free(data);
            return -1;
        }
    }
    device_free(s->_data);
    s->_data = data;
    s->_size = size;
    return 0;
}

int t7cu_storage_copy(T7CudaStorage *dst, const T7CudaStorage *src) {
    if (dst->_size != src->_size) {
        return fail("copying a storage of %lld elements into one of %lld",
                    static_cast<long long>(src->_size), static_cast<long long>(dst->_size));
    }
    if (dst->_size == 0) return 0;
    return check_cuda(cudaMemcpyAsync(dst->_data, src->_data, dst->_size * 4,
                                      cudaMemcpyDefault, current_stream()), "copying a storage");
}

int t7cu_storage_copy_from_host(T7CudaStorage *dst, const float *src) {
    if (dst->_size == 0) return 0;
    return check_cuda(cudaMemcpyAsync(dst->_data, src, dst->_size * 4, cudaMemcpyHostToDevice,
                                      current_stream()), "copying to the device");
}

int t7cu_storage_copy_to_host(float *dst, const T7CudaStorage *src) {
    if (src->_size == 0) return 0;
    cudaStream_t stream = current_stream();
    if (check_cuda(cudaMemcpyAsync(dst, src->_data, src->_size * 4, cudaMemcpyDeviceToHost,
                                   stream), "copying to the host")) return -1;
    return check_cuda(cudaStreamSynchronize(stream), "copying to the host");
}

int t7cu_storage_get(const T7CudaStorage *s, int64_t index, float *value) {
    if (index < 0 || index >= s->_size) {
        return fail("index %lld out of bounds (storage of %lld elements)",
                    static_cast<long long>(index + 1), static_cast<long long>(s->_size));
    }
    cudaStream_t stream = current_stream();
    if (check_cuda(cudaMemcpyAsync(value, s->_data + index, 4, cudaMemcpyDeviceToHost, stream),
                   "reading an element")) return -1;
    return check_cuda(cudaStreamSynchronize(stream), "reading an element");
}

int t7cu_storage_set(T7CudaStorage *s, int64_t index, float value) {
    if (index < 0 || index >= s->_size) {
        return fail("index %lld out of bounds (storage of %lld elements)",
                    static_cast<long long>(index + 1), static_cast<long long>(s->_size));
    }
    // the value lives on this stack frame: the copy must be done before returning
    cudaStream_t stream = current_stream();
    if (check_cuda(cudaMemcpyAsync(s->_data + index, &value, 4, cudaMemcpyHostToDevice, stream),
                   "writing an element")) return -1;
    return check_cuda(cudaStreamSynchronize(stream), "writing an element");
}

T7CudaTensor *t7cu_tensor_new(void) {
    T7CudaTensor *t = static_cast<T7CudaTensor *>(calloc(1, sizeof(T7CudaTensor)));
    if (t == nullptr) { fail("out of host memory"); return nullptr; }
    t->_refcount = 1;
    t->_device = current_device();
    return t;
}

T7CudaTensor *t7cu_tensor_new_view(T7CudaStorage *storage, int64_t offset, int ndim,
                                   const int64_t *size, const int64_t *stride) {
    T7CudaTensor *t = t7cu_tensor_new();
    if (t == nullptr) return nullptr;
    if (t7cu_tensor_set(t, storage, offset, ndim, size, stride)) {
        t7cu_tensor_release(t);
        return nullptr;
    }
    return t;
}

void t7cu_tensor_retain(T7CudaTensor *t) { if (t) atomic_retain(&t->_refcount); }

void t7cu_tensor_release(T7CudaTensor *t) {
    if (t == nullptr || !atomic_release(&t->_refcount)) return;
    t7cu_storage_release(t->_storage);
    free(t);
}

int64_t t7cu_tensor_nelement(const T7CudaTensor *t) { return nelement(t); }

int t7cu_tensor_is_contiguous(const T7CudaTensor *t) { return is_contiguous(t) ? 1 : 0; }

int t7cu_tensor_set(T7CudaTensor *t, T7CudaStorage *storage, int64_t offset, int ndim,
                    const int64_t *size, const int64_t *stride) {
    if (check_geometry(ndim, size, stride)) return -1;
    if (offset < 0) {
        return fail("storage offset %lld is negative", static_cast<long long>(offset + 1));
    }
    int64_t dense[T7CU_MAX_DIMS];
    if (stride == nullptr) {
        int64_t step = 1;
        for (int d = ndim - 1; d >= 0; --d) { dense[d] = step; step *= size[d] ? size[d] : 1; }
        stride = dense;
    }
    int64_t extent = view_extent(ndim, size, stride);
    if (extent > 0 && (storage == nullptr || offset + extent > storage->_size)) {
        return fail("the view (offset %lld, %lld elements reached) does not fit in a storage "
                    "of %lld elements", static_cast<long long>(offset + 1),
                    static_cast<long long>(extent),
                    static_cast<long long>(storage ? storage->_size : 0));
    }
    if (storage != t->_storage) {
        t7cu_storage_retain(storage);
        t7cu_storage_release(t->_storage);
        t->_storage = storage;
    }
    t->_offset = storage ? offset : 0;
    t->_ndim = ndim;
    for (int d = 0; d < ndim; ++d) { t->_size[d] = size[d]; t->_stride[d] = stride[d]; }
    if (storage) t->_device = storage->_device;
    return 0;
}

int t7cu_tensor_resize(T7CudaTensor *t, int ndim, const int64_t *size, const int64_t *stride) {
    if (check_geometry(ndim, size, stride)) return -1;
    int64_t dense[T7CU_MAX_DIMS];
    if (stride == nullptr) {
        int64_t step = 1;
        for (int d = ndim - 1; d >= 0; --d) { dense[d] = step; step *= size[d] ? size[d] : 1; }
        stride = dense;
    }
    int64_t needed = t->_offset + view_extent(ndim, size, stride);
    if (needed > 0) {
        if (t->_storage == nullptr) {
            T7CudaStorage *s = t7cu_storage_new(needed);
            if (s == nullptr) return -1;
            t->_storage = s;
            t->_offset = 0;
            t->_device = s->_device;
        } else if (needed > t->_storage->_size) {
            if (t7cu_storage_resize(t->_storage, needed)) return -1;
        }
    }
    t->_ndim = ndim;
    for (int d = 0; d < ndim; ++d) { t->_size[d] = size[d]; t->_stride[d] = stride[d]; }
    return 0;
}

int t7cu_tensor_copy(T7CudaTensor *dst, const T7CudaTensor *src) {
    if (!check_same_count(dst, src, "copy")) return -1;
    if (nelement(dst) == 0) return 0;
    bool same_device = dst->_storage->_device == src->_storage->_device;
    if (is_contiguous(dst) && is_contiguous(src)) {
        return check_cuda(cudaMemcpyAsync(first_element(dst), first_element(src),
                                          nelement(dst) * 4, cudaMemcpyDefault,
                                          current_stream()), "copying a tensor");
    }
    if (!same_device) {
        return fail("copy between devices needs contiguous tensors (call :contiguous())");
    }
    return t7cu_map(dst, src, nullptr, nullptr, T7CU_COPY, 0, 0);
}

int t7cu_tensor_copy_from_host(T7CudaTensor *dst, const float *src) {
    int64_t n = nelement(dst);
    if (n == 0) return 0;
    if (!check_on_current_device(dst, "the destination")) return -1;
    if (is_contiguous(dst)) {
        return check_cuda(cudaMemcpyAsync(first_element(dst), src, n * 4,
                                          cudaMemcpyHostToDevice, current_stream()),
                          "copying to the device");
    }
    Scratch staging(static_cast<size_t>(n));
    if (!staging.ok()) return -1;
    if (check_cuda(cudaMemcpyAsync(staging.get(), src, n * 4, cudaMemcpyHostToDevice,
                                   current_stream()), "copying to the device")) return -1;
    T7CudaStorage storage;
    T7CudaTensor dense;
    dense_view(&dense, &storage, staging.get(), 1, &n);
    return t7cu_map(dst, &dense, nullptr, nullptr, T7CU_COPY, 0, 0);
}

int t7cu_tensor_copy_to_host(float *dst, const T7CudaTensor *src) {
    int64_t n = nelement(src);
    if (n == 0) return 0;
    if (!check_on_current_device(src, "the source")) return -1;
    ContiguousView dense(src);
    if (!dense.ok()) return -1;
    cudaStream_t stream = current_stream();
    if (check_cuda(cudaMemcpyAsync(dst, dense.data(), n * 4, cudaMemcpyDeviceToHost, stream),
                   "copying to the host")) return -1;
    return check_cuda(cudaStreamSynchronize(stream), "copying to the host");
}

}  // extern "C"

namespace t7cu {

int resize(T7CudaTensor *r, int ndim, const int64_t *size) {
    return t7cu_tensor_resize(r, ndim, size, nullptr);
}

int resize_as(T7CudaTensor *r, const T7CudaTensor *like) {
    return resize(r, like->_ndim, like->_size);
}

}  // namespace t7cu
