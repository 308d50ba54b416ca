// graph.cpp — CPU reference kernels for message passing over a block-diagonal CSR batch of
// graphs (graph.h): segment readout, sparse-dense product (SpMM), edge scores (SDDMM), edge
// softmax.
// Dims: N nodes (all graphs), E edge slots, F features, G graphs (segments).
// Forward products walk the forward CSR (row i = the nodes i reads from); their backward walks
// the reverse CSR (row j = the nodes that read j) with edge_id pointing at forward-order values,
// so every output row is owned by one loop iteration: no atomics. CUDA twins: graph.cu.
#include <cmath>

#include "kernels/graph/graph.h"

namespace nasflat::kernels {

// forward: out[g] = sum_{i in segment g} w_i x_i
void segment_sum_forward_cpu(float* out, const float* x, const int32_t* seg_ptr, const float* w,
                             int64_t G, int64_t F) {
    for (int64_t g = 0; g < G; ++g) {
        for (int64_t f = 0; f < F; ++f) out[g * F + f] = 0.0f;
        for (int32_t i = seg_ptr[g]; i < seg_ptr[g + 1]; ++i) {
            float wi = w ? w[i] : 1.0f;
            for (int64_t f = 0; f < F; ++f) out[g * F + f] += wi * x[static_cast<int64_t>(i) * F + f];
        }
    }
}

// backward: dx_i += w_i dout[g(i)]
void segment_sum_backward_cpu(float* dx, const float* dout, const int32_t* seg_ptr,
                              const float* w, int64_t G, int64_t F) {
    for (int64_t g = 0; g < G; ++g) {
        for (int32_t i = seg_ptr[g]; i < seg_ptr[g + 1]; ++i) {
            float wi = w ? w[i] : 1.0f;
            for (int64_t f = 0; f < F; ++f) dx[static_cast<int64_t>(i) * F + f] += wi * dout[g * F + f];
        }
    }
}

// forward:  out_i = sum_{e in row i} v_e x_{col(e)}
// backward: dx_j = sum_{e in reverse row j} v_e dout_i  -> the same kernel on the reverse CSR
void spmm_cpu(float* out, CsrView A, const float* val, const float* x, int64_t F,
              bool accumulate) {
    for (int32_t i = 0; i < A.num_rows; ++i) {
        float* o = out + static_cast<int64_t>(i) * F;
        if (!accumulate) {
            for (int64_t f = 0; f < F; ++f) o[f] = 0.0f;
        }
        for (int32_t e = A.row_ptr[i]; e < A.row_ptr[i + 1]; ++e) {
            float v = val ? val[A.edge_id ? A.edge_id[e] : e] : 1.0f;
            const float* xs = x + static_cast<int64_t>(A.col[e]) * F;
            for (int64_t f = 0; f < F; ++f) o[f] += v * xs[f];
        }
    }
}

// forward: out_e = <a_i, b_{col(e)}> for e in row i
void sddmm_cpu(float* out, CsrView A, const float* a, const float* b, int64_t F) {
    for (int32_t i = 0; i < A.num_rows; ++i) {
        const float* ai = a + static_cast<int64_t>(i) * F;
        for (int32_t e = A.row_ptr[i]; e < A.row_ptr[i + 1]; ++e) {
            const float* bj = b + static_cast<int64_t>(A.col[e]) * F;
            float acc = 0.0f;
            for (int64_t f = 0; f < F; ++f) acc += ai[f] * bj[f];
            out[e] = acc;
        }
    }
}

// forward: y_e = exp(s_e - max_row) / sum_row exp(s - max_row); an empty row writes nothing
void edge_softmax_forward_cpu(float* out, CsrView A, const float* s) {
    for (int32_t i = 0; i < A.num_rows; ++i) {
        int32_t lo = A.row_ptr[i], hi = A.row_ptr[i + 1];
        if (lo == hi) continue;
        float mx = -INFINITY;
        for (int32_t e = lo; e < hi; ++e) mx = std::fmax(mx, s[e]);
        float sum = 0.0f;
        for (int32_t e = lo; e < hi; ++e) {
            out[e] = std::exp(s[e] - mx);
            sum += out[e];
        }
        for (int32_t e = lo; e < hi; ++e) out[e] /= sum;
    }
}

// backward: ds_e += y_e (dy_e - sum_row y dy)
void edge_softmax_backward_cpu(float* ds, CsrView A, const float* y, const float* dy) {
    for (int32_t i = 0; i < A.num_rows; ++i) {
        int32_t lo = A.row_ptr[i], hi = A.row_ptr[i + 1];
        float dot = 0.0f;
        for (int32_t e = lo; e < hi; ++e) dot += y[e] * dy[e];
        for (int32_t e = lo; e < hi; ++e) ds[e] += y[e] * (dy[e] - dot);
    }
}

}  // namespace nasflat::kernels
