// test_backends_graph.cpp — normalisation and message-passing kernels of the fast backends
// against the CPU reference: softmax, masked softmax, layer norm, segment readout, SpMM (forward
// and reverse CSR), SDDMM and edge softmax, on batches with empty graphs, 1-node graphs, isolated
// nodes and in-degree > 32.
#include <algorithm>

#include "kernels/graph/graph.h"
#include "tests/kernels/backend_fixture.h"

namespace nasflat::testing {
namespace {

class GraphKernels : public BackendTest {};

TEST_P(GraphKernels, SoftmaxOverAnyDim) {
    Rng rng(11);
    for (auto [outer, len, inner] : std::vector<std::array<int64_t, 3>>{
             {1, 1, 1}, {4, 8, 1}, {3, 5, 7}, {64, 22, 1}, {2, 130, 3}, {0, 4, 2}}) {
        int64_t n = outer * len * inner;
        auto x = random_values(rng, n, -5, 5), g = random_values(rng, n), dx0 = random_values(rng, n);
        std::vector<float> y(n), dx = dx0;
        ref().softmax_forward(y.data(), x.data(), outer, len, inner);
        ref().softmax_backward(dx.data(), g.data(), y.data(), outer, len, inner);
        DFloat dX(x, device()), dY(std::vector<float>(n, NAN), device()), dG(g, device()),
            dDX(dx0, device());
        fast().softmax_forward(dY.data(), dX.data(), outer, len, inner);
        fast().softmax_backward(dDX.data(), dG.data(), dY.data(), outer, len, inner);
        expect_close(dY.host(), y, 1e-6f, 1e-5f, "softmax forward");
        expect_close(dDX.host(), dx, 1e-6f, 1e-4f, "softmax backward");
    }
}

// Masks with fully masked rows, single allowed entries, rows longer than a warp; logits up to
// +-1e4 and inf/NaN under the mask (never read).
TEST_P(GraphKernels, MaskedSoftmax) {
    Rng rng(13);
    for (auto [rows, len] : std::vector<std::pair<int64_t, int64_t>>{
             {1, 1}, {6, 1}, {16, 16}, {40, 48}, {7, 130}, {0, 8}}) {
        const int64_t n = rows * len;
        auto x = random_values(rng, n, -5, 5), g = random_values(rng, n);
        auto dx0 = random_values(rng, n), u = random_values(rng, n, 0, 1);
        std::vector<float> mask(n);
        for (int64_t i = 0; i < n; ++i) {
            const int64_t r = i / len;
            mask[i] = r % 4 == 1 ? 0.0f : (u[i] < 0.6f || i % len == r % len ? 1.0f : 0.0f);
            if (r % 5 == 2) x[i] *= 2000.0f;                  // large logits
            if (mask[i] == 0.0f && i % 3 == 0) x[i] = i % 2 ? INFINITY : NAN;  // never read
        }
        std::vector<float> y(n), dx = dx0;
        ref().masked_softmax_forward(y.data(), x.data(), mask.data(), rows, len);
        ref().softmax_backward(dx.data(), g.data(), y.data(), rows, len, 1);
        DFloat dX(x, device()), dM(mask, device()), dY(std::vector<float>(n, NAN), device()),
            dG(g, device()), dDX(dx0, device());
        fast().masked_softmax_forward(dY.data(), dX.data(), dM.data(), rows, len);
        fast().softmax_backward(dDX.data(), dG.data(), dY.data(), rows, len, 1);
        expect_close(dY.host(), y, 1e-6f, 1e-5f, "masked softmax forward");
        expect_close(dDX.host(), dx, 1e-6f, 1e-4f, "masked softmax backward");
        for (int64_t i = 0; i < n; ++i) {
            if (mask[i] == 0.0f) {
                EXPECT_EQ(y[i], 0.0f) << "masked entry " << i;
            }
        }
    }
}

TEST_P(GraphKernels, LayerNorm) {
    Rng rng(12);
    for (auto [rows, cols] : std::vector<std::pair<int64_t, int64_t>>{
             {1, 1}, {5, 7}, {1024, 128}, {33, 130}, {0, 16}}) {
        int64_t n = rows * cols;
        auto x = random_values(rng, n, -3, 3), gamma = random_values(rng, cols),
             beta = random_values(rng, cols), g = random_values(rng, n);
        auto dx0 = random_values(rng, n), dg0 = random_values(rng, cols), db0 = random_values(rng, cols);
        std::vector<float> y(n), mu(rows), rs(rows), dx = dx0, dg = dg0, db = db0;
        ref().layer_norm_forward(y.data(), mu.data(), rs.data(), x.data(), gamma.data(),
                                 beta.data(), rows, cols, 1e-5f);
        ref().layer_norm_backward(dx.data(), dg.data(), db.data(), g.data(), x.data(), mu.data(),
                                  rs.data(), gamma.data(), rows, cols);
        DFloat dX(x, device()), dGa(gamma, device()), dBe(beta, device()), dG(g, device()),
            dY(std::vector<float>(n, NAN), device()), dMu(std::vector<float>(rows), device()),
            dRs(std::vector<float>(rows), device()), dDX(dx0, device()), dDG(dg0, device()),
            dDB(db0, device());
        fast().layer_norm_forward(dY.data(), dMu.data(), dRs.data(), dX.data(), dGa.data(),
                                  dBe.data(), rows, cols, 1e-5f);
        fast().layer_norm_backward(dDX.data(), dDG.data(), dDB.data(), dG.data(), dX.data(),
                                   dMu.data(), dRs.data(), dGa.data(), rows, cols);
        // cols == 1: xhat is 0 and rstd = 1/sqrt(eps) is huge, so only the forward is compared.
        expect_close(dY.host(), y, 1e-4f, 1e-4f, "layer_norm forward");
        if (cols > 1) expect_close(dDX.host(), dx, 1e-4f, 1e-3f, "layer_norm dx");
        expect_close(dDG.host(), dg, 1e-3f, 1e-4f, "layer_norm dgamma");
        expect_close(dDB.host(), db, 1e-3f, 1e-4f, "layer_norm dbeta");
    }
}

// Sizes: an empty graph, 1-node graphs, NB201-sized, FBNet-sized and a 40-node dense graph.
const std::vector<int> kSizes = {1, 0, 8, 22, 40, 1, 8, 3};

TEST_P(GraphKernels, SegmentSum) {
    Rng rng(13);
    RandomGraphs graphs = random_graphs(rng, kSizes, 0.3);
    const int64_t G = static_cast<int64_t>(kSizes.size()), N = graphs.num_nodes;
    for (int64_t F : {1, 40, 128, 130}) {
        for (bool weighted : {false, true}) {
            auto x = random_values(rng, N * F), w = random_values(rng, N), g = random_values(rng, G * F);
            auto dx0 = random_values(rng, N * F);
            std::vector<float> out(G * F), dx = dx0;
            const float* wp = weighted ? w.data() : nullptr;
            ref().segment_sum_forward(out.data(), x.data(), graphs.seg_ptr.data(), wp, G, F);
            ref().segment_sum_backward(dx.data(), g.data(), graphs.seg_ptr.data(), wp, G, F);
            DFloat dX(x, device()), dW(w, device()), dG(g, device()), dDX(dx0, device()),
                dOut(std::vector<float>(G * F, NAN), device());
            DInt dSeg(graphs.seg_ptr, device());
            float* dwp = weighted ? dW.data() : nullptr;
            fast().segment_sum_forward(dOut.data(), dX.data(), dSeg.data(), dwp, G, F);
            fast().segment_sum_backward(dDX.data(), dG.data(), dSeg.data(), dwp, G, F);
            expect_close(dOut.host(), out, 1e-5f, 1e-5f, "segment_sum forward");
            expect_close(dDX.host(), dx, 1e-6f, 1e-6f, "segment_sum backward");
        }
    }
}

TEST_P(GraphKernels, SpmmSddmmEdgeSoftmax) {
    Rng rng(14);
    for (double density : {0.0, 0.3, 1.0}) {
        RandomGraphs graphs = random_graphs(rng, kSizes, density);
        const int32_t N = graphs.num_nodes;
        Csr host_csr = Csr::from_pairs(N, N, graphs.rows, graphs.cols, Device::CPU);
        Csr csr = Csr::from_pairs(N, N, graphs.rows, graphs.cols, device());
        const int64_t E = host_csr.num_edges();
        for (int64_t F : {1, 8, 128, 130}) {
            auto x = random_values(rng, N * F), val = random_values(rng, E),
                 o0 = random_values(rng, N * F), y0 = random_values(rng, E);
            DFloat dX(x, device()), dVal(val, device());
            for (bool with_val : {false, true}) {
                for (bool acc : {false, true}) {
                    for (bool reverse : {false, true}) {
                        auto want = o0;
                        kernels::CsrView hv = reverse ? host_csr.reverse() : host_csr.forward();
                        kernels::CsrView dv = reverse ? csr.reverse() : csr.forward();
                        ref().spmm(want.data(), hv, with_val ? val.data() : nullptr, x.data(), F, acc);
                        DFloat dO(o0, device());
                        fast().spmm(dO.data(), dv, with_val ? dVal.data() : nullptr, dX.data(), F, acc);
                        expect_close(dO.host(), want, 1e-4f, 1e-5f,
                                     "spmm F" + std::to_string(F) + (reverse ? " reverse" : ""));
                    }
                }
            }
            auto b = random_values(rng, N * F);
            std::vector<float> s(E);
            ref().sddmm(s.data(), host_csr.forward(), x.data(), b.data(), F);
            DFloat dB(b, device()), dS(std::vector<float>(E, NAN), device());
            fast().sddmm(dS.data(), csr.forward(), dX.data(), dB.data(), F);
            expect_close(dS.host(), s, 1e-4f, 1e-4f, "sddmm F" + std::to_string(F));

            std::vector<float> y(y0), ds(y0);
            ref().edge_softmax_forward(y.data(), host_csr.forward(), s.data());
            ref().edge_softmax_backward(ds.data(), host_csr.forward(), y.data(), val.data());
            DFloat dY(y0, device()), dDS(y0, device());
            fast().edge_softmax_forward(dY.data(), csr.forward(), dS.data());
            fast().edge_softmax_backward(dDS.data(), csr.forward(), dY.data(), dVal.data());
            expect_close(dY.host(), y, 1e-5f, 1e-4f, "edge_softmax forward");
            expect_close(dDS.host(), ds, 1e-5f, 1e-4f, "edge_softmax backward");
        }
    }
}

NASFLAT_INSTANTIATE_BACKENDS(GraphKernels);

// The fast SDDMM takes a row's edges 8 or 4 at a time and pads the last group; every edge's
// score must have the same bits wherever it sits in its row: here against the same edge alone in
// a row of its own (rows of 0-23 edges, F with and without a tail of F % 16).
TEST(SddmmCpuFast, AnEdgeHasTheSameBitsAnywhereInItsRow) {
    Rng rng(15);
    const int32_t N = 24;
    std::vector<int32_t> rows, cols;
    for (int32_t i = 0; i < N; ++i) {
        for (int32_t j = 0; j < i; ++j) {  // row i reads i nodes, in a shuffled order
            rows.push_back(i);
            cols.push_back((j * 7 + i) % N);
        }
    }
    const int32_t E = static_cast<int32_t>(rows.size());
    Csr csr = Csr::from_pairs(N, N, rows, cols, Device::CPU);
    const kernels::CsrView A = csr.forward();
    for (int64_t F : {1, 16, 37, 128, 130}) {
        auto a = random_values(rng, N * F), b = random_values(rng, N * F);
        std::vector<float> out(E, NAN);
        kernels::sddmm_cpu_fast(out.data(), A, a.data(), b.data(), F);
        // Edge e alone: one row (a copy of its a row) reading its one column.
        std::vector<float> a_alone(static_cast<size_t>(E) * F);
        std::vector<int32_t> alone_rows(E);
        for (int32_t i = 0; i < N; ++i) {
            for (int32_t e = A.row_ptr[i]; e < A.row_ptr[i + 1]; ++e) {
                std::copy(a.begin() + i * F, a.begin() + (i + 1) * F, a_alone.begin() + e * F);
                alone_rows[e] = e;
            }
        }
        std::vector<int32_t> alone_cols(A.col, A.col + E);
        Csr alone = Csr::from_pairs(E, N, alone_rows, alone_cols, Device::CPU);
        std::vector<float> want(E, NAN);
        kernels::sddmm_cpu_fast(want.data(), alone.forward(), a_alone.data(), b.data(), F);
        for (int32_t e = 0; e < E; ++e) ASSERT_EQ(out[e], want[e]) << "F " << F << " edge " << e;
    }
}

}  // namespace
}  // namespace nasflat::testing
