// Matrix products through cuBLAS, for tensors laid out in rows or in columns.
//
// cuBLAS reads matrices by columns; our tensors are row-major views with any strides. A
// matrix whose rows are contiguous is, read by columns, its own transpose, so each product is
// asked of cuBLAS in transposed form; a matrix contiguous in neither direction is copied
// first.

#include <memory>

#include <cublas_v2.h>

#include "common.cuh"

namespace t7cu {

namespace {

thread_local cublasHandle_t handles[T7CU_MAX_DEVICES];

int check_blas(cublasStatus_t status, const char *what) {
    if (status == CUBLAS_STATUS_SUCCESS) return 0;
    return fail("%s: cuBLAS error %s", what, cublasGetStatusString(status));
}

// The calling thread's handle for the current device, on the current stream.
cublasHandle_t blas_handle() {
    int device = current_device();
    if (handles[device] == nullptr) {
        if (check_blas(cublasCreate(&handles[device]), "starting cuBLAS")) return nullptr;
    }
    if (check_blas(cublasSetStream(handles[device], current_stream()), "setting the stream")) {
        return nullptr;
    }
    return handles[device];
}

int as_int(int64_t v, const char *what) {
    if (v > 0x7fffffff) return fail("%s: %lld exceeds cuBLAS's 32-bit sizes", what,
                                    static_cast<long long>(v));
    return 0;
}

// A matrix operand: its first element, sizes, and strides between rows and columns.
struct Matrix {
    float *data;
    int64_t rows, cols, row_stride, col_stride;

    Matrix transposed() const { return Matrix{data, cols, rows, col_stride, row_stride}; }
    // Rows contiguous (a row-major matrix with leading dimension leading()).
    bool by_rows() const {
        return (cols == 1 || col_stride == 1) && (rows == 1 || row_stride >= cols);
    }
    int64_t leading() const { return rows == 1 ? (cols > 0 ? cols : 1) : row_stride; }
};

Matrix matrix_of(const T7CudaTensor *t) {
    return Matrix{first_element(t), t->_size[0], t->_size[1], t->_stride[0], t->_stride[1]};
}

// A product operand as cuBLAS takes it: row-major, possibly transposed, with a dense copy
// when the tensor is contiguous in neither direction.
class Operand {
public:
    explicit Operand(const T7CudaTensor *t) : ok_(true) {
        Matrix m = matrix_of(t);
        if (m.by_rows()) {
            init(m.data, false, m.leading());
        } else if (m.transposed().by_rows()) {
            init(m.data, true, m.transposed().leading());
        } else {
            dense_ = std::make_unique<ContiguousView>(t);
            ok_ = dense_->ok();
            init(const_cast<float *>(dense_->data()), false, m.cols > 0 ? m.cols : 1);
        }
    }
    bool ok() const { return ok_; }
    const float *data;
    bool transposed;
    int64_t ld;
private:
    void init(float *p, bool t, int64_t l) { data = p; transposed = t; ld = l; }
    std::unique_ptr<ContiguousView> dense_;
    bool ok_;
};

bool check_matrix(const T7CudaTensor *t, const char *name) {
    if (t->_ndim != 2) {
        fail("%s must be a matrix, got a %dD tensor", name, t->_ndim);
        return false;
    }
    return check_on_current_device(t, name);
}

bool check_vector(const T7CudaTensor *t, const char *name) {
    if (t->_ndim != 1) {
        fail("%s must be a vector, got a %dD tensor", name, t->_ndim);
        return false;
    }
    return check_on_current_device(t, name);
}

// r = m (unless r is m), with r given m's sizes; the starting point of r = beta m + ...
int start_from(T7CudaTensor *r, const T7CudaTensor *m, float beta) {
    if (r == m) return 0;
    if (resize_as(r, m)) return -1;
    if (beta == 0.f) return 0;
    return t7cu_tensor_copy(r, m);
}

// r = beta r; with beta 0 the old contents are not read (they may be uninitialized), as
// BLAS does.
int scale_by(T7CudaTensor *r, float beta) {
    if (beta == 1.f) return 0;
    if (beta == 0.f) return t7cu_map(r, nullptr, nullptr, nullptr, T7CU_FILL, 0, 0);
    return t7cu_map(r, r, nullptr, nullptr, T7CU_MUL_SCALAR, beta, 0);
}

}  // namespace

int gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha,
         const float *a, int64_t lda, const float *b, int64_t ldb, float beta, float *c,
         int64_t ldc) {
    if (m == 0 || n == 0) return 0;
    if (as_int(m, "gemm") || as_int(n, "gemm") || as_int(k, "gemm") || as_int(lda, "gemm") ||
        as_int(ldb, "gemm") || as_int(ldc, "gemm")) return -1;
    cublasHandle_t handle = blas_handle();
    if (handle == nullptr) return -1;
    // row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T
    return check_blas(cublasSgemm(handle, trans_b ? CUBLAS_OP_T : CUBLAS_OP_N,
                                  trans_a ? CUBLAS_OP_T : CUBLAS_OP_N, (int)n, (int)m, (int)k,
                                  &alpha, b, (int)ldb, a, (int)lda, &beta, c, (int)ldc),
                      "matrix product");
}

}  // namespace t7cu

using namespace t7cu;

extern "C" {

int t7cu_addmm(T7CudaTensor *r, float beta, const T7CudaTensor *m, float alpha,
               const T7CudaTensor *a, const T7CudaTensor *b) {
    if (!check_matrix(m, "the matrix added") || !check_matrix(a, "the first factor") ||
        !check_matrix(b, "the second factor")) return -1;
    if (a->_size[1] != b->_size[0] || m->_size[0] != a->_size[0] ||
        m->_size[1] != b->_size[1]) {
        return fail("size mismatch, m1: [%lld x %lld], m2: [%lld x %lld]",
                    (long long)a->_size[0], (long long)a->_size[1], (long long)b->_size[0],
                    (long long)b->_size[1]);
    }
    if (start_from(r, m, beta)) return -1;
    if (a->_size[1] == 0) return scale_by(r, beta);  // an empty product adds nothing
    Matrix out = matrix_of(r);
    const T7CudaTensor *first = a, *second = b;
    bool swap = false;
    if (!out.by_rows() && out.transposed().by_rows()) {
        // r by columns: r^T = b^T a^T by rows
        out = out.transposed();
        swap = true;
    }
    Scratch dense(out.by_rows() ? 0 : static_cast<size_t>(out.rows * out.cols));
    float *target = out.data;
    int64_t ldc = out.leading();
    if (!out.by_rows()) {
        if (!dense.ok()) return -1;
        T7CudaStorage storage;
        T7CudaTensor view;
        dense_view(&view, &storage, dense.get(), 2, r->_size);
        if (beta != 0.f && t7cu_tensor_copy(&view, r)) return -1;
        target = dense.get();
        ldc = out.cols > 0 ? out.cols : 1;
    }
    Operand pa(first), pb(second);
    if (!pa.ok() || !pb.ok()) return -1;
    int status;
    if (swap) {
        // (b^T) and (a^T): a row-major operand transposed is the same memory, flag flipped
        status = gemm(!pb.transposed, !pa.transposed, out.rows, out.cols, a->_size[1], alpha,
                      pb.data, pb.ld, pa.data, pa.ld, beta, target, ldc);
    } else {
        status = gemm(pa.transposed, pb.transposed, out.rows, out.cols, a->_size[1], alpha,
                      pa.data, pa.ld, pb.data, pb.ld, beta, target, ldc);
    }
    if (status) return -1;
    if (!out.by_rows()) {
        T7CudaStorage storage;
        T7CudaTensor view;
        dense_view(&view, &storage, dense.get(), 2, r->_size);
        return t7cu_tensor_copy(r, &view);
    }
    return 0;
}

int t7cu_addmv(T7CudaTensor *r, float beta, const T7CudaTensor *v, float alpha,
               const T7CudaTensor *a, const T7CudaTensor *x) {
    if (!check_vector(v, "the vector added") || !check_matrix(a, "the matrix") ||
        !check_vector(x, "the vector")) return -1;
    if (a->_size[1] != x->_size[0] || a->_size[0] != v->_size[0]) {
        return fail("size mismatch, [%lld x %lld], [%lld]", (long long)a->_size[0],
                    (long long)a->_size[1], (long long)x->_size[0]);
    }
    if (start_from(r, v, beta)) return -1;
    if (r->_size[0] == 0) return 0;
    if (a->_size[1] == 0) return scale_by(r, beta);
    Operand pa(a);
    if (!pa.ok()) return -1;
    cublasHandle_t handle = blas_handle();
    if (handle == nullptr) return -1;
    int64_t rows = a->_size[0], cols = a->_size[1];
    if (as_int(rows, "addmv") || as_int(cols, "addmv") || as_int(pa.ld, "addmv")) return -1;
    int incx = (int)(x->_size[0] == 1 ? 1 : x->_stride[0]);
    int incy = (int)(r->_size[0] == 1 ? 1 : r->_stride[0]);
    if (incx <= 0 || incy <= 0) return fail("addmv: vectors need positive strides");
    // row-major a read by columns is a^T (cols x rows): y = (a^T)^T x
    cublasStatus_t status =
        pa.transposed
            ? cublasSgemv(handle, CUBLAS_OP_N, (int)rows, (int)cols, &alpha, pa.data,
                          (int)pa.ld, first_element(x), incx, &beta, first_element(r), incy)
            : cublasSgemv(handle, CUBLAS_OP_T, (int)cols, (int)rows, &alpha, pa.data,
                          (int)pa.ld, first_element(x), incx, &beta, first_element(r), incy);
    return check_blas(status, "matrix-vector product");
}

int t7cu_addr(T7CudaTensor *r, float beta, const T7CudaTensor *m, float alpha,
              const T7CudaTensor *x, const T7CudaTensor *y) {
    if (!check_matrix(m, "the matrix added") || !check_vector(x, "the first vector") ||
        !check_vector(y, "the second vector")) return -1;
    if (m->_size[0] != x->_size[0] || m->_size[1] != y->_size[0]) {
        return fail("size mismatch, [%lld x %lld], [%lld], [%lld]", (long long)m->_size[0],
                    (long long)m->_size[1], (long long)x->_size[0], (long long)y->_size[0]);
    }
    if (start_from(r, m, beta)) return -1;
    if (scale_by(r, beta)) return -1;
    if (nelement(r) == 0) return 0;
    Matrix out = matrix_of(r);
    const T7CudaTensor *u = x, *w = y;
    if (!out.by_rows()) {
        if (!out.transposed().by_rows()) {
            return fail("addr: the result must be contiguous by rows or by columns");
        }
        out = out.transposed();  // r^T += alpha y x^T
        u = y;
        w = x;
    }
    cublasHandle_t handle = blas_handle();
    if (handle == nullptr) return -1;
    int incu = (int)(u->_size[0] == 1 ? 1 : u->_stride[0]);
    int incw = (int)(w->_size[0] == 1 ? 1 : w->_stride[0]);
    if (incu <= 0 || incw <= 0) return fail("addr: vectors need positive strides");
    if (as_int(out.rows, "addr") || as_int(out.cols, "addr") || as_int(out.leading(), "addr")) {
        return -1;
    }
    // row-major out (rows x cols) read by columns is out^T: out^T += alpha w u^T
    return check_blas(cublasSger(handle, (int)out.cols, (int)out.rows, &alpha, first_element(w),
                                 incw, first_element(u), incu, out.data, (int)out.leading()),
                      "outer product");
}

int t7cu_dot(const T7CudaTensor *x, const T7CudaTensor *y, double *result) {
    if (!check_same_count(x, y, "dot")) return -1;
    int64_t n = nelement(x);
    *result = 0;
    if (n == 0) return 0;
    if (as_int(n, "dot")) return -1;
    ContiguousView dx(x), dy(y);
    if (!dx.ok() || !dy.ok()) return -1;
    cublasHandle_t handle = blas_handle();
    if (handle == nullptr) return -1;
    float value = 0.f;  // host pointer mode: cuBLAS waits for the result
    if (check_blas(cublasSdot(handle, (int)n, dx.data(), 1, dy.data(), 1, &value), "dot")) {
        return -1;
    }
    *result = value;
    return 0;
}

}  // extern "C"
