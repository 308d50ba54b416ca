// test_backends_dense.cpp — every dense/elementwise/layout kernel of the fast backends (CPU fast,
// CUDA) against the CPU reference, on random inputs and nasty sizes (0, 1, not multiples of 8).
#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <tuple>

#include "kernels/gemm/gemm.h"
#include "kernels/kernels.h"
#include "kernels/layout/gather_chunks.h"
#include "tests/kernels/backend_fixture.h"

namespace nasflat::testing {
namespace {

using kernels::BinaryOp;
using kernels::UnaryOp;

class DenseKernels : public BackendTest {};

TEST_P(DenseKernels, GemmMatchesReference) {
    Rng rng(1);
    struct Case {
        int64_t batch, M, N, K;
    };
    const Case cases[] = {{1, 1, 1, 1},    {1, 7, 13, 5}, {2, 33, 17, 65}, {1, 128, 96, 48},
                          {3, 9, 130, 31}, {1, 0, 5, 3},  {1, 5, 0, 3},    {2, 5, 3, 0}};
    for (const Case& c : cases) {
        for (int ta = 0; ta < 2; ++ta) {
            for (int tb = 0; tb < 2; ++tb) {
                for (float beta : {0.0f, 0.5f}) {
                    auto a = random_values(rng, c.batch * c.M * c.K);
                    auto b = random_values(rng, c.batch * c.K * c.N);
                    auto cc = random_values(rng, c.batch * c.M * c.N);
                    std::vector<float> want = cc;
                    ref().gemm(c.batch, ta, tb, c.M, c.N, c.K, 0.75f, a.data(), c.M * c.K, b.data(),
                               c.K * c.N, beta, want.data(), c.M * c.N);
                    DFloat da(a, device()), db(b, device()), dc(cc, device());
                    fast().gemm(c.batch, ta, tb, c.M, c.N, c.K, 0.75f, da.data(), c.M * c.K,
                                db.data(), c.K * c.N, beta, dc.data(), c.M * c.N);
                    expect_close(dc.host(), want, 1e-4f * (1 + c.K), 1e-4f,
                                 "gemm M" + std::to_string(c.M) + " N" + std::to_string(c.N) +
                                     " K" + std::to_string(c.K) + " ta" + std::to_string(ta) +
                                     " tb" + std::to_string(tb));
                }
            }
        }
    }
}

// Both GEMMs gemm_cpu_fast chooses from, whichever this processor gets (the 256-bit one on any
// machine that can run it: it is built for the AVX2 level): the reference's values, and beta 0
// ignores NaN in C.
TEST(GemmCpuFast, BothVectorWidthsMatchTheReference) {
    std::vector<std::pair<const char*, kernels::GemmFn*>> gemms = {
        {"gemm_cpu_fast_full", kernels::gemm_cpu_fast_full}};
#if defined(__x86_64__) || defined(__i386__)
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        gemms.push_back({"gemm_cpu_fast_256", kernels::gemm_cpu_fast_256});
    }
#endif
    Rng rng(3);
    for (auto [batch, M, N, K] : std::vector<std::array<int64_t, 4>>{
             {1, 1, 1, 1}, {2, 33, 17, 65}, {1, 128, 96, 48}, {3, 9, 130, 31}, {2, 5, 3, 0},
             {1, 2816, 128, 128}}) {
        for (int ta = 0; ta < 2; ++ta) {
            for (int tb = 0; tb < 2; ++tb) {
                for (float beta : {0.0f, 0.5f}) {
                    auto a = random_values(rng, batch * M * K);
                    auto b = random_values(rng, batch * K * N);
                    auto c = beta == 0.0f ? std::vector<float>(batch * M * N, NAN)
                                          : random_values(rng, batch * M * N);
                    std::vector<float> want = c;
                    kernels::gemm_cpu(batch, ta, tb, M, N, K, 0.75f, a.data(), M * K, b.data(),
                                      K * N, beta, want.data(), M * N);
                    for (auto [name, gemm] : gemms) {
                        std::vector<float> got = c;
                        gemm(batch, ta, tb, M, N, K, 0.75f, a.data(), M * K, b.data(), K * N,
                             beta, got.data(), M * N);
                        expect_close(got, want, 1e-4f * (1 + K), 1e-4f,
                                     std::string(name) + " M" + std::to_string(M) + " K" +
                                         std::to_string(K) + " ta" + std::to_string(ta) + " tb" +
                                         std::to_string(tb));
                    }
                }
            }
        }
    }
}

TEST_P(DenseKernels, MemoryOps) {
    Rng rng(2);
    for (int64_t n : {0, 1, 1027}) {
        auto x = random_values(rng, n), y = random_values(rng, n);
        DFloat dx(x, device()), dy(y, device());
        fast().add_scaled(dy.data(), dx.data(), n, -0.5f);
        auto want = y;
        ref().add_scaled(want.data(), x.data(), n, -0.5f);
        expect_close(dy.host(), want, 1e-6f, 1e-6f, "add_scaled");
        fast().copy(dy.data(), dx.data(), n);
        expect_close(dy.host(), x, 0, 0, "copy");
        fast().fill(dy.data(), n, 3.5f);
        expect_close(dy.host(), std::vector<float>(n, 3.5f), 0, 0, "fill");
    }
}

TEST_P(DenseKernels, UnaryForwardBackward) {
    Rng rng(3);
    for (UnaryOp op : {UnaryOp::Relu, UnaryOp::LeakyRelu, UnaryOp::Sigmoid, UnaryOp::Exp,
                       UnaryOp::Log, UnaryOp::Softplus, UnaryOp::Abs, UnaryOp::Gelu}) {
        for (int64_t n : {0, 1, 1000, 1027}) {
            // log reads (0.01, 8); the others [-4, 4), softplus and gelu also far out in both
            // tails (gelu's slope bump near -1.5 and its saturation at +-10 both inside).
            auto x = op == UnaryOp::Log ? random_values(rng, n, 0.01f, 8)
                     : op == UnaryOp::Softplus || op == UnaryOp::Gelu
                         ? random_values(rng, n, -40, 40)
                                                : random_values(rng, n, -4, 4);
            auto g = random_values(rng, n), dx0 = random_values(rng, n);
            std::vector<float> y(n), dx = dx0;
            ref().unary_forward(op, y.data(), x.data(), n, 0.01f);
            ref().unary_backward(op, dx.data(), g.data(), x.data(), y.data(), n, 0.01f);
            DFloat dX(x, device()), dY(std::vector<float>(n, NAN), device()), dG(g, device()),
                dDX(dx0, device());
            fast().unary_forward(op, dY.data(), dX.data(), n, 0.01f);
            fast().unary_backward(op, dDX.data(), dG.data(), dX.data(), dY.data(), n, 0.01f);
            expect_close(dY.host(), y, 1e-6f, 1e-5f, "unary forward");
            expect_close(dDX.host(), dx, 1e-6f, 1e-5f, "unary backward");
        }
    }
}

TEST_P(DenseKernels, BinaryForwardBackwardWithBroadcast) {
    Rng rng(4);
    for (BinaryOp op : {BinaryOp::Add, BinaryOp::Sub, BinaryOp::Mul}) {
        for (auto [n, nb] : std::vector<std::pair<int64_t, int64_t>>{
                 {0, 1}, {1, 1}, {12, 12}, {1040, 130}, {4096 * 3, 3}, {999, 1}}) {
            auto a = random_values(rng, n), b = random_values(rng, nb), g = random_values(rng, n);
            auto da0 = random_values(rng, n), db0 = random_values(rng, nb);
            std::vector<float> out(n), da = da0, db = db0;
            ref().binary_forward(op, out.data(), a.data(), b.data(), n, nb);
            ref().binary_backward(op, da.data(), db.data(), g.data(), a.data(), b.data(), n, nb);
            DFloat dA(a, device()), dB(b, device()), dOut(std::vector<float>(n, NAN), device()),
                dG(g, device()), dDA(da0, device()), dDB(db0, device());
            fast().binary_forward(op, dOut.data(), dA.data(), dB.data(), n, nb);
            fast().binary_backward(op, dDA.data(), dDB.data(), dG.data(), dA.data(), dB.data(), n,
                                   nb);
            expect_close(dOut.host(), out, 1e-6f, 1e-6f, "binary forward");
            expect_close(dDA.host(), da, 1e-5f, 1e-5f, "binary backward da");
            expect_close(dDB.host(), db, 1e-3f, 1e-4f, "binary backward db (reduction)");
            // Null gradient pointers are allowed.
            fast().binary_backward(op, nullptr, dDB.data(), dG.data(), dA.data(), dB.data(), n, nb);
        }
    }
}

// The layer tails: every optional pointer present and absent; large |p| saturates the
// sigmoid (y = 0 or 1 exactly) without NaN; rows x F from empty to more than one grid's worth.
// The backward's gradients both added to existing ones and assigned into fresh buffers, which
// start as NaN here so that an element left unwritten shows.
TEST_P(DenseKernels, GatedResidualForwardBackward) {
    Rng rng(14);
    for (auto [rows, F] : std::vector<std::pair<int64_t, int64_t>>{
             {0, 4}, {1, 1}, {5, 7}, {1024, 128}, {33, 130}, {70000, 128}}) {
        const int64_t n = rows * F;
        auto p = random_values(rng, n, -4, 4), gb = random_values(rng, F),
             m = random_values(rng, n), s = random_values(rng, n), b = random_values(rng, F),
             g = random_values(rng, n);
        if (n > 2) p[0] = 200.0f, p[1] = -200.0f;  // saturated gates
        auto dp0 = random_values(rng, n), dm0 = random_values(rng, n), ds0 = random_values(rng, n),
             dgb0 = random_values(rng, F), db0 = random_values(rng, F);
        DFloat dP(p, device()), dGb(gb, device()), dM(m, device()), dS(s, device()),
            dB(b, device()), dG(g, device());
        for (int variant = 0; variant < 4; ++variant) {
            // 0: everything added; 1: no s, no b (the attention tail), dm assigned; 2: no gb,
            // no dp, no ds, no dgb; 3: dp, dm, ds assigned, no db.
            const bool fresh_dm = variant == 1 || variant == 3, fresh = variant == 3;
            const float* gbp = variant == 2 ? nullptr : gb.data();
            const float* sp = variant == 1 ? nullptr : s.data();
            const float* bp = variant == 1 ? nullptr : b.data();
            const std::vector<float> nan(static_cast<size_t>(n), NAN);
            std::vector<float> out(n), dp = fresh ? nan : dp0, dm = fresh_dm ? nan : dm0,
                                       ds = fresh ? nan : ds0, dgb = dgb0, db = db0;
            auto grads = [&](float* gp, float* gm, float* gs, float* ggb, float* gbias) {
                kernels::GatedResidualGrads out_grads;
                if (variant != 2) out_grads.dp = {gp, !fresh};
                out_grads.dm = {gm, !fresh_dm};
                if (variant != 2) out_grads.ds = {gs, !fresh};
                if (variant != 2) out_grads.dgb = ggb;
                if (variant != 3 && variant != 1) out_grads.db = gbias;
                return out_grads;
            };
            std::vector<float> y(n), y_nan(nan);
            ref().gated_residual_forward(out.data(), y.data(), p.data(), gbp, m.data(), sp, bp,
                                         rows, F);
            ref().gated_residual_forward(y_nan.data(), nullptr, p.data(), gbp, m.data(), sp, bp,
                                         rows, F);
            EXPECT_EQ(y_nan, out) << "the output does not depend on keeping the gate";
            ref().gated_residual_backward(
                grads(dp.data(), dm.data(), ds.data(), dgb.data(), db.data()), g.data(), y.data(),
                m.data(), rows, F);
            DFloat dOut(nan, device()), dDP(fresh ? nan : dp0, device()),
                dDM(fresh_dm ? nan : dm0, device()), dDS(fresh ? nan : ds0, device()),
                dDGb(dgb0, device()), dDB(db0, device());
            // With the gate kept (training) and without (inference): the same output.
            DFloat dY(nan, device()), dOutNoGate(nan, device());
            for (DFloat* o : {&dOut, &dOutNoGate}) {
                fast().gated_residual_forward(
                    o->data(), o == &dOut ? dY.data() : nullptr, dP.data(),
                    variant == 2 ? nullptr : dGb.data(), dM.data(),
                    variant == 1 ? nullptr : dS.data(), variant == 1 ? nullptr : dB.data(), rows,
                    F);
            }
            fast().gated_residual_backward(
                grads(dDP.data(), dDM.data(), dDS.data(), dDGb.data(), dDB.data()), dG.data(),
                dY.data(), dM.data(), rows, F);
            expect_close(dOut.host(), out, 1e-5f, 1e-5f, "gated_residual forward");
            expect_close(dOutNoGate.host(), out, 1e-5f, 1e-5f, "gated_residual forward, no gate");
            expect_close(dY.host(), y, 1e-6f, 1e-5f, "gated_residual gate");
            expect_close(dDP.host(), dp, 1e-5f, 1e-5f, "gated_residual dp");
            expect_close(dDM.host(), dm, 1e-5f, 1e-5f, "gated_residual dm");
            expect_close(dDS.host(), ds, 1e-6f, 1e-6f, "gated_residual ds");
            expect_close(dDGb.host(), dgb, 1e-3f, 1e-4f, "gated_residual dgb (column sums)");
            expect_close(dDB.host(), db, 1e-3f, 1e-4f, "gated_residual db (column sums)");
            if (fresh && n > 0) {
                for (const auto& [got, what] : {std::pair{dDP.host(), "dp"},
                                                std::pair{dDM.host(), "dm"},
                                                std::pair{dDS.host(), "ds"}}) {
                    EXPECT_EQ(std::count_if(got.begin(), got.end(),
                                            [](float v) { return std::isnan(v); }),
                              0)
                        << what << " assigned: every element written";
                }
            }
        }
    }
}

// NaN and infinite pre-activations, as a diverging training makes them: NaN gives NaN (the
// divergence check must see it, not a finite stand-in), +-inf saturates as in the reference,
// and nothing on the way is undefined behaviour (the ASan + UBSan suite runs this; the fast
// exp once converted NaN to int and shifted the negative result).
TEST_P(DenseKernels, SigmoidOfNanAndInfinityFollowsTheReference) {
    const float specials[] = {NAN, -NAN, INFINITY, -INFINITY, 1e30f, -1e30f, 88.5f, -88.5f, 0.0f};
    const int64_t rows = 3, F = 37;  // 111 values: vector bodies and scalar tails
    std::vector<float> x(rows * F), ones(rows * F, 1.0f);
    for (size_t i = 0; i < x.size(); ++i) x[i] = specials[i % std::size(specials)];
    const int64_t n = rows * F;
    std::vector<float> want(n), want_gate(n);
    ref().unary_forward(UnaryOp::Sigmoid, want.data(), x.data(), n, 0.0f);
    ref().gated_residual_forward(want_gate.data(), nullptr, x.data(), nullptr, ones.data(),
                                 nullptr, nullptr, rows, F);
    DFloat dX(x, device()), dOnes(ones, device()), dY(std::vector<float>(n, 0.5f), device()),
        dGate(std::vector<float>(n, 0.5f), device());
    fast().unary_forward(UnaryOp::Sigmoid, dY.data(), dX.data(), n, 0.0f);
    fast().gated_residual_forward(dGate.data(), nullptr, dX.data(), nullptr, dOnes.data(), nullptr,
                                  nullptr, rows, F);
    const std::vector<float> got = dY.host(), got_gate = dGate.host();
    for (int64_t i = 0; i < n; ++i) {
        for (auto [g, w, what] : {std::tuple{got[i], want[i], "sigmoid"},
                                  std::tuple{got_gate[i], want_gate[i], "gated_residual"}}) {
            if (std::isnan(w)) {
                EXPECT_TRUE(std::isnan(g)) << what << " of " << x[i] << " gave " << g;
            } else {
                EXPECT_NEAR(g, w, 1e-6f) << what << " of " << x[i];
            }
        }
    }
}

// The backward adding to existing gradients and assigning into fresh (NaN-filled) ones.
TEST_P(DenseKernels, AverageForwardBackward) {
    Rng rng(15);
    for (int64_t n : {0, 1, 7, 4096, 300001}) {
        auto a = random_values(rng, n), b = random_values(rng, n), g = random_values(rng, n);
        if (n > 1) b[0] = -a[0];  // exactly 0 after the ReLU: no gradient, as relu'(0) = 0
        const std::vector<float> nan(static_cast<size_t>(n), NAN);
        auto da0 = random_values(rng, n), db0 = random_values(rng, n);
        for (bool relu : {false, true}) {
            for (bool fresh : {false, true}) {
                std::vector<float> out(n), da = fresh ? nan : da0, db = db0;
                ref().average_forward(out.data(), a.data(), b.data(), n, relu);
                ref().average_backward({da.data(), !fresh}, {db.data(), true}, g.data(),
                                       out.data(), n, relu);
                DFloat dA(a, device()), dB(b, device()), dG(g, device()),
                    dDA(fresh ? nan : da0, device()), dDB(db0, device()), dOut(nan, device());
                fast().average_forward(dOut.data(), dA.data(), dB.data(), n, relu);
                fast().average_backward({dDA.data(), !fresh}, {dDB.data(), true}, dG.data(),
                                        dOut.data(), n, relu);
                // Exact: one add and one multiply by 0.5 on every backend.
                EXPECT_EQ(dOut.host(), out);
                EXPECT_EQ(dDA.host(), da);
                EXPECT_EQ(dDB.host(), db);
                if (fresh) {
                    EXPECT_TRUE(std::none_of(da.begin(), da.end(),
                                             [](float v) { return std::isnan(v); }));
                }
                fast().average_backward({}, {dDB.data(), true}, dG.data(), dOut.data(), n, relu);
            }
        }
    }
}

TEST_P(DenseKernels, ReduceBroadcastAndCopyBlock) {
    Rng rng(5);
    for (auto [outer, len, inner] : std::vector<std::array<int64_t, 3>>{
             {1, 1, 1}, {3, 0, 4}, {2, 5, 1}, {7, 8, 130}, {1, 300, 3}}) {
        int64_t n = outer * len * inner;
        auto x = random_values(rng, n), g = random_values(rng, outer * inner);
        auto dx0 = random_values(rng, n);
        std::vector<float> out(outer * inner), dx = dx0;
        ref().reduce_sum(out.data(), x.data(), outer, len, inner);
        ref().broadcast_add(dx.data(), g.data(), outer, len, inner, 0.25f);
        DFloat dX(x, device()), dOut(std::vector<float>(outer * inner, NAN), device()),
            dG(g, device()), dDX(dx0, device());
        fast().reduce_sum(dOut.data(), dX.data(), outer, len, inner);
        fast().broadcast_add(dDX.data(), dG.data(), outer, len, inner, 0.25f);
        expect_close(dOut.host(), out, 1e-4f, 1e-5f, "reduce_sum");
        expect_close(dDX.host(), dx, 1e-6f, 1e-6f, "broadcast_add");

        // copy x[:, 1:len, :] into out2[:, 2:len+1, :] of width len + 3
        if (len < 1) continue;
        int64_t out_len = len + 3;
        auto o0 = random_values(rng, outer * out_len * inner);
        for (bool acc : {false, true}) {
            auto want = o0;
            ref().copy_block(want.data(), out_len, 2, x.data(), len, 1, len - 1, outer, inner, acc);
            DFloat dO(o0, device());
            fast().copy_block(dO.data(), out_len, 2, dX.data(), len, 1, len - 1, outer, inner, acc);
            expect_close(dO.host(), want, 1e-6f, 1e-6f, "copy_block");
        }
    }
}

TEST_P(DenseKernels, GatherRowsWithRepeatsAndUnusedRows) {
    Rng rng(6);
    for (auto [rows, n, F] : std::vector<std::array<int64_t, 3>>{
             {1, 1, 1}, {7, 0, 4}, {7, 1000, 40}, {128, 4096, 8}, {3, 17, 130}}) {
        std::vector<int32_t> idx(n);
        for (auto& v : idx)
            v = static_cast<int32_t>(rng.below(rows > 1 ? rows - 1 : 1));  // last row unused
        auto x = random_values(rng, rows * F), g = random_values(rng, n * F);
        auto dx0 = random_values(rng, rows * F);
        IndexMap host_map = IndexMap::make(idx, static_cast<int32_t>(rows), Device::CPU);
        std::vector<float> out(n * F), dx = dx0;
        ref().gather_rows_forward(out.data(), x.data(), host_map.idx(), n, F);
        ref().gather_rows_backward(dx.data(), g.data(), host_map.inverse(), F);
        IndexMap map = IndexMap::make(idx, static_cast<int32_t>(rows), device());
        DFloat dX(x, device()), dOut(std::vector<float>(n * F, NAN), device()), dG(g, device()),
            dDX(dx0, device());
        fast().gather_rows_forward(dOut.data(), dX.data(), map.idx(), n, F);
        fast().gather_rows_backward(dDX.data(), dG.data(), map.inverse(), F);
        expect_close(dOut.host(), out, 0, 0, "gather forward");
        expect_close(dDX.host(), dx, 1e-4f, 1e-5f, "gather backward");
    }
}

NASFLAT_INSTANTIATE_BACKENDS(DenseKernels);

// Embedding-style indices whose inverse stresses the chunked backward's pieces (gather_chunks.h):
// rows spanning several chunks, empty rows at the start, middle and end, entry counts at and
// around multiples of the chunk, a chunk holding hundreds of one-entry rows.
struct GatherCase {
    int32_t rows;
    std::vector<int32_t> idx;
};
std::vector<GatherCase> nasty_gathers(Rng& rng) {
    std::vector<GatherCase> cases;
    auto random_case = [&](int32_t rows, int64_t n) {
        GatherCase c{rows, std::vector<int32_t>(n)};
        for (auto& v : c.idx) v = static_cast<int32_t>(rng.below(static_cast<uint64_t>(rows)));
        return c;
    };
    cases.push_back(random_case(1, 1000));   // one row over four chunks
    cases.push_back(random_case(7, 32768));  // NB201's op table at batch 4096
    cases.push_back(random_case(3, 256));    // exactly one chunk
    cases.push_back(random_case(3, 257));    // one entry into a second chunk
    cases.push_back(random_case(5, 255));
    cases.push_back(random_case(130, 5000));  // FBNet-sized table
    GatherCase perm{1000, {}};                // 1000 rows of one entry each
    for (int32_t v = 999; v >= 0; --v) perm.idx.push_back(v);
    cases.push_back(perm);
    GatherCase skewed{12, {}};  // rows 0-2, 5, 11 empty; row 4 over 3 chunks
    for (int k = 0; k < 700; ++k) skewed.idx.push_back(4);
    skewed.idx.push_back(3);
    for (int k = 0; k < 300; ++k) skewed.idx.push_back(k % 2 ? 6 : 10);
    for (int k = 0; k < 256; ++k) skewed.idx.push_back(7 + k % 3);
    cases.push_back(skewed);
    cases.push_back(GatherCase{4, {}});  // no entries
    return cases;
}

TEST(GatherBackwardChunked, SlotArithmetic) {
    // Row of entry: the largest v with row_ptr[v] <= e, skipping empty rows.
    const std::vector<int32_t> row_ptr = {0, 0, 3, 3, 3, 700, 701, 701};
    EXPECT_EQ(kernels::gather_row_of_entry(row_ptr.data(), 7, 0), 1);
    EXPECT_EQ(kernels::gather_row_of_entry(row_ptr.data(), 7, 2), 1);
    EXPECT_EQ(kernels::gather_row_of_entry(row_ptr.data(), 7, 3), 4);
    EXPECT_EQ(kernels::gather_row_of_entry(row_ptr.data(), 7, 699), 4);
    EXPECT_EQ(kernels::gather_row_of_entry(row_ptr.data(), 7, 700), 5);
    EXPECT_EQ(kernels::gather_chunk_count(256), 1);
    EXPECT_EQ(kernels::gather_chunk_count(257), 2);
    EXPECT_EQ(kernels::gather_slot_count(701, 7), 3 + 7 - 1);
}

// The CPU twin of the chunked CUDA kernel against the reference: a piece written to a wrong or
// shared slot, or a piece missed, changes a row's sum by a whole entry.
TEST(GatherBackwardChunked, TwinMatchesReference) {
    Rng rng(17);
    for (const GatherCase& c : nasty_gathers(rng)) {
        for (int64_t F : {1, 5, 33, 128}) {
            if (F == 128 && c.idx.size() > 6000) continue;  // the big case once, at F = 33
            const int64_t n = static_cast<int64_t>(c.idx.size());
            IndexMap map = IndexMap::make(c.idx, c.rows, Device::CPU);
            auto g = random_values(rng, n * F), dx0 = random_values(rng, c.rows * F);
            auto want = dx0, got = dx0;
            kernels::gather_rows_backward_cpu(want.data(), g.data(), map.inverse(), F);
            kernels::gather_rows_backward_chunked_cpu(got.data(), g.data(), map.inverse(), F);
            expect_close(got, want, 1e-4f, 1e-5f,
                         "chunked twin rows " + std::to_string(c.rows) + " n " + std::to_string(n) +
                             " F " + std::to_string(F));
        }
    }
}

#ifdef NASFLAT_WITH_CUDA
// Both CUDA kernels and the auto pick against the reference; the chunked one against its twin
// bit for bit.
TEST(GatherBackwardChunked, EveryCudaVersionOnTheGpu) {
    if (!gpu_available()) GTEST_SKIP() << "no CUDA GPU in this process";
    Rng rng(18);
    for (const GatherCase& c : nasty_gathers(rng)) {
        for (int64_t F : {1, 33, 128}) {
            const int64_t n = static_cast<int64_t>(c.idx.size());
            const std::string what = " rows " + std::to_string(c.rows) + " n " + std::to_string(n) +
                                     " F " + std::to_string(F);
            IndexMap host_map = IndexMap::make(c.idx, c.rows, Device::CPU);
            IndexMap map = IndexMap::make(c.idx, c.rows, Device::CUDA);
            auto g = random_values(rng, n * F), dx0 = random_values(rng, c.rows * F);
            auto want = dx0, twin = dx0;
            kernels::gather_rows_backward_cpu(want.data(), g.data(), host_map.inverse(), F);
            kernels::gather_rows_backward_chunked_cpu(twin.data(), g.data(), host_map.inverse(), F);
            DFloat dG(g, Device::CUDA);
            const std::pair<const char*, kernels::GatherRowsBackwardFn*> kernels_to_check[] = {
                {"per row", kernels::gather_rows_backward_per_row_cuda},
                {"chunked", kernels::gather_rows_backward_chunked_cuda},
                {"auto", kernels::gather_rows_backward_cuda}};
            for (const auto& [name, run] : kernels_to_check) {
                DFloat dDX(dx0, Device::CUDA);
                run(dDX.data(), dG.data(), map.inverse(), F);
                const std::vector<float> got = dDX.host();
                expect_close(got, want, 1e-4f, 1e-5f, name + what);
                if (run == kernels::gather_rows_backward_chunked_cuda) {
                    EXPECT_EQ(got, twin) << "chunked vs its twin" << what;
                }
            }
        }
    }
}
#endif

}  // namespace
}  // namespace nasflat::testing
