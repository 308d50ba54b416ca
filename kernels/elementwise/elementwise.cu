// elementwise.cu — CUDA kernels of the elementwise family (elementwise.h): memory, unary and
// binary ops with broadcast, the layer tails.
// Dims: n elements, nb elements of a broadcast operand: a is viewed as (n / nb, nb) and b as one
// (nb) row repeated; (rows, F) views for the layer tails.
// Reference twins: elementwise.cpp (plain loops). Bench: bench/bench_ops.cpp.
// Each op: a static __global__ kernel with a grid-stride loop, a launcher that returns early on
// empty work and checks the launch. No atomics: the broadcast gradient db is a deterministic
// two-pass column sum (cuda_columns.cuh).
#include "kernels/cuda_columns.cuh"
#include "kernels/cuda_common.cuh"
#include "kernels/elementwise/elementwise.h"
#include "kernels/elementwise/elementwise_math.h"

namespace nasflat::kernels {

using namespace cuda_detail;

// --- memory ------------------------------------------------------------------------------------

static __global__ void fill_kernel(float* __restrict__ out,  // (n)
                                   int64_t n, float value) {
    for (int64_t i = global_thread(); i < n; i += grid_threads()) out[i] = value;
}

static __global__ void copy_kernel(float* __restrict__ out,      // (n)
                                   const float* __restrict__ x,  // (n)
                                   int64_t n) {
    for (int64_t i = global_thread(); i < n; i += grid_threads()) out[i] = x[i];
}

static __global__ void add_scaled_kernel(float* __restrict__ out,      // (n)
                                         const float* __restrict__ x,  // (n)
                                         int64_t n, float alpha) {
    for (int64_t i = global_thread(); i < n; i += grid_threads()) out[i] += alpha * x[i];
}

void fill_cuda(float* out, int64_t n, float value) {
    if (n <= 0) return;
    fill_kernel<<<blocks_for(n, kThreads), kThreads>>>(out, n, value);
    CUDA_CHECK(cudaGetLastError());
}

void copy_cuda(float* out, const float* x, int64_t n) {
    if (n <= 0) return;
    copy_kernel<<<blocks_for(n, kThreads), kThreads>>>(out, x, n);
    CUDA_CHECK(cudaGetLastError());
}

void add_scaled_cuda(float* out, const float* x, int64_t n, float alpha) {
    if (n <= 0) return;
    add_scaled_kernel<<<blocks_for(n, kThreads), kThreads>>>(out, x, n, alpha);
    CUDA_CHECK(cudaGetLastError());
}

// --- elementwise -------------------------------------------------------------------------------

// The scalar formulas are elementwise_math.h's (shared with the CPU reference, elementwise.cpp).
static __global__ void unary_forward_kernel(UnaryOp op,
                                            float* __restrict__ out,      // (n)
                                            const float* __restrict__ x,  // (n)
                                            int64_t n, float alpha) {
    for (int64_t i = global_thread(); i < n; i += grid_threads()) {
        out[i] = unary_value(op, x[i], alpha);
    }
}

static __global__ void unary_backward_kernel(UnaryOp op,
                                             float* __restrict__ dx,          // (n)
                                             const float* __restrict__ dout,  // (n)
                                             const float* __restrict__ x,     // (n) the input
                                             const float* __restrict__ y,     // (n) the output
                                             int64_t n, float alpha) {
    for (int64_t i = global_thread(); i < n; i += grid_threads()) {
        dx[i] += unary_grad(op, dout[i], x, y, i, alpha);
    }
}

void unary_forward_cuda(UnaryOp op, float* out, const float* x, int64_t n, float alpha) {
    if (n <= 0) return;
    unary_forward_kernel<<<blocks_for(n, kThreads), kThreads>>>(op, out, x, n, alpha);
    CUDA_CHECK(cudaGetLastError());
}

void unary_backward_cuda(UnaryOp op, float* dx, const float* dout, const float* x, const float* y,
                         int64_t n, float alpha) {
    if (n <= 0) return;
    unary_backward_kernel<<<blocks_for(n, kThreads), kThreads>>>(op, dx, dout, x, y, n, alpha);
    CUDA_CHECK(cudaGetLastError());
}

// forward: out_i = a_i (op) b_{i mod nb}. Index is uint32_t whenever n < 2^31: a 64-bit
// modulo costs several times the 32-bit one and these are the most frequent kernels.
template <typename Index>
static __global__ void binary_forward_kernel(BinaryOp op,
                                             float* __restrict__ out,      // (n)
                                             const float* __restrict__ a,  // (n)
                                             const float* __restrict__ b,  // (nb)
                                             Index n, Index nb) {
    const Index stride = static_cast<Index>(grid_threads());
    for (Index i = static_cast<Index>(global_thread()); i < n; i += stride) {
        out[i] = binary_value(op, a[i], b[i % nb]);
    }
}

// backward, a side: add/sub: da += g; mul: da += g b
template <typename Index>
static __global__ void binary_backward_da_kernel(BinaryOp op,
                                                 float* __restrict__ da,          // (n)
                                                 const float* __restrict__ dout,  // (n)
                                                 const float* __restrict__ b,     // (nb)
                                                 Index n, Index nb) {
    const Index stride = static_cast<Index>(grid_threads());
    for (Index i = static_cast<Index>(global_thread()); i < n; i += stride) {
        da[i] += binary_grad_a(op, dout[i], b, i % nb);
    }
}

// backward, b side, no broadcast (nb == n): db_i += d/db_i elementwise.
static __global__ void binary_backward_db_same_kernel(BinaryOp op,
                                                      float* __restrict__ db,          // (n)
                                                      const float* __restrict__ dout,  // (n)
                                                      const float* __restrict__ a,     // (n)
                                                      int64_t n) {
    for (int64_t i = global_thread(); i < n; i += grid_threads()) {
        db[i] += binary_grad_b(op, dout[i], a, i);
    }
}

// backward, b side, broadcast: db_j += sum over rows r of d/db at (r, j) (add g, sub -g,
// mul g a): the two-pass column sums of cuda_columns.cuh.
struct BinaryDbValue {
    BinaryOp op;
    const float* dout;  // (rows, nb)
    const float* a;     // (rows, nb)
    int64_t nb;
    __device__ void operator()(int64_t r, int64_t c, float (&v)[1]) const {
        v[0] = binary_grad_b(op, dout[r * nb + c], a, r * nb + c);
    }
};

void binary_forward_cuda(BinaryOp op, float* out, const float* a, const float* b, int64_t n,
                         int64_t nb) {
    if (n <= 0) return;
    if (n < (int64_t{1} << 31)) {
        binary_forward_kernel<uint32_t><<<blocks_for(n, kThreads), kThreads>>>(
            op, out, a, b, static_cast<uint32_t>(n), static_cast<uint32_t>(nb));
    } else {
        binary_forward_kernel<int64_t><<<blocks_for(n, kThreads), kThreads>>>(op, out, a, b, n, nb);
    }
    CUDA_CHECK(cudaGetLastError());
}

void binary_backward_cuda(BinaryOp op, float* da, float* db, const float* dout, const float* a,
                          const float* b, int64_t n, int64_t nb) {
    if (n <= 0 || nb <= 0) return;
    if (da != nullptr) {
        if (n < (int64_t{1} << 31)) {
            binary_backward_da_kernel<uint32_t><<<blocks_for(n, kThreads), kThreads>>>(
                op, da, dout, b, static_cast<uint32_t>(n), static_cast<uint32_t>(nb));
        } else {
            binary_backward_da_kernel<int64_t>
                <<<blocks_for(n, kThreads), kThreads>>>(op, da, dout, b, n, nb);
        }
        CUDA_CHECK(cudaGetLastError());
    }
    if (db != nullptr) {
        if (nb == n) {
            binary_backward_db_same_kernel<<<blocks_for(n, kThreads), kThreads>>>(op, db, dout, a,
                                                                                  n);
            CUDA_CHECK(cudaGetLastError());
        } else {
            column_sums<1>(db, nullptr, BinaryDbValue{op, dout, a, nb}, n / nb, nb, true);
        }
    }
}

// --- layer tails ---------------------------------------------------------------------------
// One thread per element of the (rows, F) view; gb, s, b optional. Index as in binary_forward.

// out = sigmoid(p + gb) * m + s + b; y keeps the gate when not null
template <typename Index>
static __global__ void gated_residual_forward_kernel(
    float* __restrict__ out,       // (rows, F)
    float* __restrict__ y,         // (rows, F) or null
    const float* __restrict__ p,   // (rows, F)
    const float* __restrict__ gb,  // (F) or null
    const float* __restrict__ m,   // (rows, F)
    const float* __restrict__ s,   // (rows, F) or null
    const float* __restrict__ b,   // (F) or null
    Index n, Index F) {
    const Index stride = static_cast<Index>(grid_threads());
    for (Index i = static_cast<Index>(global_thread()); i < n; i += stride) {
        const Index f = i % F;
        const float gate = 1.0f / (1.0f + expf(-(p[i] + (gb ? gb[f] : 0.0f))));
        out[i] = gate * m[i] + (s ? s[i] : 0.0f) + (b ? b[f] : 0.0f);
        if (y) y[i] = gate;
    }
}

// dp, dm, ds get dout m y (1 - y), dout y and dout: assigned (fresh buffers) or added
template <typename Index>
static __global__ void gated_residual_backward_kernel(GatedResidualGrads g,
                                                      const float* __restrict__ dout,
                                                      const float* __restrict__ y,
                                                      const float* __restrict__ m, Index n) {
    const Index stride = static_cast<Index>(grid_threads());
    for (Index i = static_cast<Index>(global_thread()); i < n; i += stride) {
        const float go = dout[i], gate = y[i];
        const float d = go * m[i] * gate * (1.0f - gate);
        if (g.dp.ptr) g.dp.ptr[i] = g.dp.accumulate ? g.dp.ptr[i] + d : d;
        if (g.dm.ptr) g.dm.ptr[i] = g.dm.accumulate ? g.dm.ptr[i] + go * gate : go * gate;
        if (g.ds.ptr) g.ds.ptr[i] = g.ds.accumulate ? g.ds.ptr[i] + go : go;
    }
}

// The column sums' two values per element: dpre (recomputed, no scratch tensor) and dout.
struct GatedColumnValue {
    const float* dout;
    const float* y;
    const float* m;
    int64_t F;
    __device__ void operator()(int64_t r, int64_t c, float (&v)[2]) const {
        const int64_t i = r * F + c;
        v[0] = dout[i] * m[i] * y[i] * (1.0f - y[i]);
        v[1] = dout[i];
    }
};

void gated_residual_forward_cuda(float* out, float* y, const float* p, const float* gb,
                                 const float* m, const float* s, const float* b, int64_t rows,
                                 int64_t F) {
    const int64_t n = rows * F;
    if (n <= 0) return;
    if (n < (int64_t{1} << 31)) {
        gated_residual_forward_kernel<uint32_t><<<blocks_for(n, kThreads), kThreads>>>(
            out, y, p, gb, m, s, b, static_cast<uint32_t>(n), static_cast<uint32_t>(F));
    } else {
        gated_residual_forward_kernel<int64_t>
            <<<blocks_for(n, kThreads), kThreads>>>(out, y, p, gb, m, s, b, n, F);
    }
    CUDA_CHECK(cudaGetLastError());
}

void gated_residual_backward_cuda(const GatedResidualGrads& g, const float* dout, const float* y,
                                  const float* m, int64_t rows, int64_t F) {
    const int64_t n = rows * F;
    if (n <= 0) return;
    if (g.dp.ptr || g.dm.ptr || g.ds.ptr) {
        if (n < (int64_t{1} << 31)) {
            gated_residual_backward_kernel<uint32_t><<<blocks_for(n, kThreads), kThreads>>>(
                g, dout, y, m, static_cast<uint32_t>(n));
        } else {
            gated_residual_backward_kernel<int64_t>
                <<<blocks_for(n, kThreads), kThreads>>>(g, dout, y, m, n);
        }
        CUDA_CHECK(cudaGetLastError());
    }
    if (g.dgb || g.db) {
        column_sums<2>(g.dgb, g.db, GatedColumnValue{dout, y, m, F}, rows, F, true);
    }
}

// out = (a + b) / 2, ReLU'd when relu
static __global__ void average_forward_kernel(float* __restrict__ out, const float* __restrict__ a,
                                              const float* __restrict__ b, int64_t n, bool relu) {
    for (int64_t i = global_thread(); i < n; i += grid_threads()) {
        const float v = 0.5f * (a[i] + b[i]);
        out[i] = relu && v < 0.0f ? 0.0f : v;
    }
}

// da and db get dout / 2 where the output is positive (everywhere when !relu): assigned or added
static __global__ void average_backward_kernel(GradOut da, GradOut db,
                                               const float* __restrict__ dout,
                                               const float* __restrict__ out, int64_t n,
                                               bool relu) {
    for (int64_t i = global_thread(); i < n; i += grid_threads()) {
        const float g = relu && !(out[i] > 0.0f) ? 0.0f : 0.5f * dout[i];
        if (da.ptr) da.ptr[i] = da.accumulate ? da.ptr[i] + g : g;
        if (db.ptr) db.ptr[i] = db.accumulate ? db.ptr[i] + g : g;
    }
}

void average_forward_cuda(float* out, const float* a, const float* b, int64_t n, bool relu) {
    if (n <= 0) return;
    average_forward_kernel<<<blocks_for(n, kThreads), kThreads>>>(out, a, b, n, relu);
    CUDA_CHECK(cudaGetLastError());
}

void average_backward_cuda(GradOut da, GradOut db, const float* dout, const float* out, int64_t n,
                           bool relu) {
    if (n <= 0) return;
    average_backward_kernel<<<blocks_for(n, kThreads), kThreads>>>(da, db, dout, out, n, relu);
    CUDA_CHECK(cudaGetLastError());
}

}  // namespace nasflat::kernels
