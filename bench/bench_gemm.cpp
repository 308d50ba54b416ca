// bench_gemm.cpp — see bench_gemm.h. Every variant is validated against the CPU reference GEMM
// (which accumulates in double) before it is timed.
#include "bench/bench_gemm.h"

#include <string>
#include <vector>

#ifdef NASFLAT_WITH_CUDA
#include "kernels/gemm/gemm.h"
#endif

namespace nasflat::bench {

// GEMM: Y (M, O) = X (M, K) W (K, O), M = G n rows.
// flops = 2 M K O; bytes = 4 (M K + K O + M O)   (X and W read once, Y written once).
void bench_gemm(Runner& r, int64_t G, int64_t n, int64_t K, int64_t O) {
    const int64_t M = G * n;
    Op op;
    op.name = "gemm " + std::to_string(K) + "->" + std::to_string(O);
    op.shape = std::to_string(G) + "x" + std::to_string(n) + " rows=" + std::to_string(M);
    op.flops = 2.0 * M * K * O;
    op.bytes = 4.0 * (M * K + K * O + M * O);
    auto x = random_floats(1, M * K), w = random_floats(2, K * O, -0.1f, 0.1f);
    if (r.validating()) {
        op.want.assign(M * O, 0.0f);
        r.ref().gemm(1, false, false, M, O, K, 1.0f, x.data(), 0, w.data(), 0, 0.0f, op.want.data(),
                     0);
    }
    for (Device d : r.devices()) {
        DF dx(x, d), dw(w, d), dy(std::vector<float>(M * O, 0.0f), d);
        const KernelTable& t = r.table(d);
        auto run = [&] {
            t.gemm(1, false, false, M, O, K, 1.0f, dx.get(), 0, dw.get(), 0, 0.0f, dy.get(), 0);
        };
        auto result = [&] { return dy.host(); };
        r.variant(
            op, d == Device::CPU ? "cpu-fast" : "cuda fp32", d, [] {}, run, result);
#ifdef NASFLAT_WITH_CUDA
        if (d == Device::CUDA) {
            // TF32 rounds inputs to 10 mantissa bits: ~1e-3 relative error expected at K ~ 100.
            auto run_tf32 = [&] {
                kernels::set_cuda_gemm_tf32(true);
                run();
                kernels::set_cuda_gemm_tf32(false);
            };
            r.variant(
                op, "cuda tf32", d, [] {}, run_tf32, result, 1e-2);
        }
#endif
    }
}

// The two backward products of a linear layer y (M, O) = x (M, K) w (K, O), accumulating as
// autograd does (beta = 1):
//   dx (M, K) += dy w^T   (trans_b; inner dim O)
//   dw (K, O) += x^T dy   (trans_a; inner dim M = every node of the batch, output only K x O)
// dw is the shape a GEMM library may tile poorly (few output tiles, a long inner loop), so it is
// also timed split over S row chunks: S strided products into S partial (K, O) blocks, then
// their fixed-order sum (reduce_sum over the chunk dim) added into dw. Deterministic.
void bench_gemm_backward(Runner& r, int64_t G, int64_t n, int64_t K, int64_t O) {
    const int64_t M = G * n;
    auto x = random_floats(21, M * K), dy = random_floats(22, M * O);
    auto w = random_floats(23, K * O, -0.1f, 0.1f);
    auto dx0 = random_floats(24, M * K), dw0 = random_floats(25, K * O);
    Op gx, gw;
    gx.name = "gemm dx " + std::to_string(K) + "<-" + std::to_string(O);
    gw.name = "gemm dw " + std::to_string(K) + "x" + std::to_string(O);
    gx.shape = gw.shape =
        std::to_string(G) + "x" + std::to_string(n) + " rows=" + std::to_string(M);
    gx.flops = gw.flops = 2.0 * M * K * O;
    gx.bytes = 4.0 * (M * O + K * O + 2 * M * K);
    gw.bytes = 4.0 * (M * K + M * O + 2 * K * O);
    if (r.validating()) {
        gx.want = dx0;
        r.ref().gemm(1, false, true, M, K, O, 1.0f, dy.data(), 0, w.data(), 0, 1.0f, gx.want.data(),
                     0);
        gw.want = dw0;
        r.ref().gemm(1, true, false, K, O, M, 1.0f, x.data(), 0, dy.data(), 0, 1.0f, gw.want.data(),
                     0);
    }
    for (Device d : r.devices()) {
        DF dX(x, d), dDY(dy, d), dW(w, d), dDX(dx0, d), dDW(dw0, d);
        const KernelTable& t = r.table(d);
        const std::string name = d == Device::CPU ? "cpu-fast" : "cuda fp32";
        r.variant(
            gx, name, d, [&] { dDX.set(dx0); },
            [&] {
                t.gemm(1, false, true, M, K, O, 1.0f, dDY.get(), 0, dW.get(), 0, 1.0f, dDX.get(),
                       0);
            },
            [&] { return dDX.host(); });
        auto reset_w = [&] { dDW.set(dw0); };
        auto result_w = [&] { return dDW.host(); };
        r.variant(
            gw, name, d, reset_w,
            [&] {
                t.gemm(1, true, false, K, O, M, 1.0f, dX.get(), 0, dDY.get(), 0, 1.0f, dDW.get(),
                       0);
            },
            result_w);
        if (d == Device::CPU) continue;
        for (int64_t S : {8, 32, 128}) {
            if (M % S != 0) continue;
            const int64_t rows = M / S;
            DF parts(std::vector<float>(S * K * O, 0.0f), d), sum(std::vector<float>(K * O), d);
            r.variant(
                gw, "cuda fp32 split " + std::to_string(S), d, reset_w,
                [&, rows, S] {
                    t.gemm(S, true, false, K, O, rows, 1.0f, dX.get(), rows * K, dDY.get(),
                           rows * O, 0.0f, parts.get(), K * O);
                    t.reduce_sum(sum.get(), parts.get(), 1, S, K * O);
                    t.add_scaled(dDW.get(), sum.get(), K * O, 1.0f);
                },
                result_w);
        }
    }
}

}  // namespace nasflat::bench
