// bench_kernels.cpp — kernel micro-benchmark at NASFLAT shapes: GEMM (bench_gemm.cpp), the
// sparse product (forward CSR and reverse-CSR backward), SDDMM + edge softmax (attention),
// embedding gather forward + backward, for every backend, and on CUDA beside the versions the
// product dropped (bench/experiments/, cuSPARSE included).
// Dims: G graphs, n nodes per graph, N = G n nodes, E edge slots, F = 128 features.
// Pass 1 validates every variant against the CPU reference (max |got - ref| / max |ref|) and
// exits 1 on any mismatch before timing anything. Pass 2 times: CPU with std::chrono (warm
// caches), CUDA with events after a warm-up and an L2 flush before every rep; median of reps.
// Run:  build/bench/bench_kernels [--quick] [--device cpu|cuda|all] [--graphs G[,G2,...]] [--reps
// R] GPU sweep for the performance table: bench_kernels --device cuda --graphs
// 1024,16384,131072,1048576 GB/s counts the compulsory bytes of each op (each input read once, each
// output written once; see the napkin math at every op), so it is an effective bandwidth; "%copy"
// relates it to a device-to-device copy measured in the same run (CPU rows run with warm caches, so
// small shapes can exceed 100% of a DRAM copy).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "autograd/index.h"
#include "bench/bench_common.h"
#include "bench/bench_gemm.h"
#include "bench/bench_ops.h"
#include "kernels/base/check.h"

#ifdef NASFLAT_WITH_CUDA
#include "bench/experiments/experiments.h"
#endif

namespace nasflat::bench {
namespace {

constexpr int64_t kF = 128;  // features in every op

// ---------------------------------------------------------------------------------------------
// Graph batches: G copies of one small graph, block-diagonal, edges as (reader, source).
enum class Pattern { Nb201Dag, FbnetChain };

struct Batch {
    int64_t G = 0, n = 0;
    std::vector<int32_t> rows, cols;
    int32_t num_nodes() const { return static_cast<int32_t>(G * n); }
};

Batch make_batch(Pattern p, int64_t G) {
    // NB201 cell with ops on nodes: 0 input, 1..6 the six ops, 7 output (10 edges).
    static const std::vector<std::pair<int, int>> kNb201 = {{1, 0}, {2, 0}, {3, 1}, {4, 0}, {5, 1},
                                                            {6, 2}, {6, 3}, {7, 4}, {7, 5}, {7, 6}};
    Batch b;
    b.G = G;
    std::vector<std::pair<int, int>> edges;
    if (p == Pattern::Nb201Dag) {
        b.n = 8;
        edges = kNb201;
    } else {  // FBNet: a chain of 22 layers, each reading the previous one
        b.n = 22;
        for (int i = 1; i < 22; ++i) edges.push_back({i, i - 1});
    }
    for (int64_t g = 0; g < G; ++g) {
        for (auto [r, c] : edges) {
            b.rows.push_back(static_cast<int32_t>(g * b.n + r));
            b.cols.push_back(static_cast<int32_t>(g * b.n + c));
        }
    }
    return b;
}

// The attention pattern of the reference configuration: every node attends to all n nodes of
// its graph (n^2 edge slots per graph, self included).
Batch make_complete(int64_t G, int64_t n) {
    Batch b;
    b.G = G;
    b.n = n;
    b.rows.reserve(G * n * n);
    b.cols.reserve(G * n * n);
    for (int64_t g = 0; g < G; ++g) {
        for (int64_t i = 0; i < n; ++i) {
            for (int64_t j = 0; j < n; ++j) {
                b.rows.push_back(static_cast<int32_t>(g * n + i));
                b.cols.push_back(static_cast<int32_t>(g * n + j));
            }
        }
    }
    return b;
}

// ---------------------------------------------------------------------------------------------
std::string shape_of(const Batch& b, int64_t E, const char* pattern) {
    return std::to_string(b.G) + "x" + std::to_string(b.n) + "x" + std::to_string(kF) + " " +
           pattern + " E=" + std::to_string(E);
}

// Sparse product over a batch, forward and backward.
// forward:  out (N, F) = A x, A the forward CSR; val null (graph flow: plain sum over
//           predecessors) or per-edge weights (attention).
//   flops = 2 E F; bytes = 4 (2 N F [x read, out written] + N + 1 + E [row_ptr, col] (+ E val))
// backward: dx (N, F) += A^T dout through the reverse CSR (+ E edge_id), accumulating
//   (+ N F for reading dx).
void bench_spmm(Runner& r, const Batch& b, const char* pattern, bool weighted) {
    const int32_t N = b.num_nodes();
    const int64_t E = static_cast<int64_t>(b.rows.size());
    auto x = random_floats(3, N * kF), val = random_floats(4, E, 0.0f, 1.0f);
    auto out0 = random_floats(5, N * kF);
    const double idx_bytes = 4.0 * (N + 1 + E) + (weighted ? 4.0 * E : 0.0);
    Op fwd, bwd;
    fwd.name = std::string("spmm fwd") + (weighted ? " weighted" : "");
    bwd.name = std::string("spmm bwd (rev CSR)") + (weighted ? " w" : "");
    fwd.shape = bwd.shape = shape_of(b, E, pattern);
    fwd.flops = bwd.flops = 2.0 * E * kF;
    fwd.bytes = 4.0 * 2 * N * kF + idx_bytes;
    bwd.bytes = 4.0 * 3 * N * kF + idx_bytes + 4.0 * E;
    Csr host_csr = Csr::from_pairs(N, N, b.rows, b.cols, Device::CPU, "bench graph");
    const float* hv = weighted ? val.data() : nullptr;
    if (r.validating()) {
        fwd.want = out0;
        r.ref().spmm(fwd.want.data(), host_csr.forward(), hv, x.data(), kF, false);
        bwd.want = out0;
        r.ref().spmm(bwd.want.data(), host_csr.reverse(), hv, x.data(), kF, true);
    }
    for (Device d : r.devices()) {
        Csr csr = Csr::from_pairs(N, N, b.rows, b.cols, d, "bench graph");
        DF dx(x, d), dval(val, d), dout(out0, d);
        const float* v = weighted ? dval.get() : nullptr;
        auto reset = [&] { dout.set(out0); };
        auto result = [&] { return dout.host(); };
        if (d == Device::CPU) {
            const KernelTable& t = r.table(d);
            r.variant(
                fwd, "cpu-fast", d, reset,
                [&] { t.spmm(dout.get(), csr.forward(), v, dx.get(), kF, false); }, result);
            r.variant(
                bwd, "cpu-fast", d, reset,
                [&] { t.spmm(dout.get(), csr.reverse(), v, dx.get(), kF, true); }, result);
            continue;
        }
#ifdef NASFLAT_WITH_CUDA
        // `*` marks the product's version; cuSPARSE cannot follow edge_id (the backward's
        // reverse CSR with forward-order values).
        const std::pair<const char*, kernels::SpmmFn*> versions[] = {
            {"cuda v1", spmm_v1_cuda}, {"cuda v2*", kernels::spmm_cuda},
            {"cuda cusparse", spmm_cusparse_cuda}};
        for (const auto& [name, spmm] : versions) {
            r.variant(
                fwd, name, d, reset,
                [&, spmm = spmm] { spmm(dout.get(), csr.forward(), v, dx.get(), kF, false); },
                result);
            if (spmm == spmm_cusparse_cuda) continue;
            r.variant(
                bwd, name, d, reset,
                [&, spmm = spmm] { spmm(dout.get(), csr.reverse(), v, dx.get(), kF, true); },
                result);
        }
#endif
    }
}

// Attention scores and their softmax over each node's edge slots (forward CSR).
// sddmm:     s_e = <q_i, k_col(e)>; flops 2 E F; bytes 4 (2 N F + N + 1 + 2 E)
// softmax:   y = softmax over each row of s; flops ~4 E (max, sub+exp, sum, div);
//            bytes 4 (N + 1 + 2 E)
// backward:  ds += y (dy - <y, dy>_row); flops ~4 E; bytes 4 (N + 1 + 4 E) (y, dy, ds rw)
void bench_attention(Runner& r, const Batch& b, const char* pattern) {
    const int32_t N = b.num_nodes();
    const int64_t E = static_cast<int64_t>(b.rows.size());
    auto q = random_floats(6, N * kF), k = random_floats(7, N * kF);
    // Scores of the size a scaled dot product gives (|s| <~ 3), so exp stays well conditioned.
    auto s = random_floats(8, E, -3.0f, 3.0f), dy = random_floats(9, E);
    auto e0 = random_floats(10, E);
    Op sd, sm, smb;
    sd.name = "sddmm";
    sm.name = "edge_softmax fwd";
    smb.name = "edge_softmax bwd";
    sd.shape = sm.shape = smb.shape = shape_of(b, E, pattern);
    sd.flops = 2.0 * E * kF;
    sd.bytes = 4.0 * (2.0 * N * kF + N + 1 + 2.0 * E);
    sm.flops = smb.flops = 4.0 * E;
    sm.bytes = 4.0 * (N + 1 + 2.0 * E);
    smb.bytes = 4.0 * (N + 1 + 4.0 * E);
    Csr host_csr = Csr::from_pairs(N, N, b.rows, b.cols, Device::CPU, "bench graph");
    // Softmax inputs are fixed (not the sddmm output) so each op is validated on its own.
    std::vector<float> y(E);
    r.ref().edge_softmax_forward(y.data(), host_csr.forward(), s.data());
    if (r.validating()) {
        sd.want = e0;
        r.ref().sddmm(sd.want.data(), host_csr.forward(), q.data(), k.data(), kF);
        sm.want = y;
        smb.want = e0;
        r.ref().edge_softmax_backward(smb.want.data(), host_csr.forward(), y.data(), dy.data());
    }
    for (Device d : r.devices()) {
        Csr csr = Csr::from_pairs(N, N, b.rows, b.cols, d, "bench graph");
        DF dq(q, d), dk(k, d), ds(s, d), ddy(dy, d), dyv(y, d), dout(e0, d);
        auto reset = [&] { dout.set(e0); };
        auto result = [&] { return dout.host(); };
        if (d == Device::CPU) {
            const KernelTable& t = r.table(d);
            r.variant(
                sd, "cpu-fast", d, reset,
                [&] { t.sddmm(dout.get(), csr.forward(), dq.get(), dk.get(), kF); }, result);
            r.variant(
                sm, "cpu-fast", d, reset,
                [&] { t.edge_softmax_forward(dout.get(), csr.forward(), ds.get()); }, result);
            r.variant(
                smb, "cpu-fast", d, reset,
                [&] { t.edge_softmax_backward(dout.get(), csr.forward(), dyv.get(), ddy.get()); },
                result);
            continue;
        }
#ifdef NASFLAT_WITH_CUDA
        // v1: bench/experiments (a thread per row); v2*: the product's warp per row.
        const std::pair<const char*, kernels::SddmmFn*> sddmms[] = {
            {"cuda v1", sddmm_v1_cuda}, {"cuda v2*", kernels::sddmm_cuda}};
        for (const auto& [name, sddmm] : sddmms) {
            r.variant(
                sd, name, d, reset,
                [&, sddmm = sddmm] { sddmm(dout.get(), csr.forward(), dq.get(), dk.get(), kF); },
                result);
        }
        struct SoftmaxVersion {
            const char* name;
            kernels::EdgeSoftmaxForwardFn* forward;
            kernels::EdgeSoftmaxBackwardFn* backward;
        };
        const SoftmaxVersion softmaxes[] = {
            {"cuda v1", edge_softmax_forward_v1_cuda, edge_softmax_backward_v1_cuda},
            {"cuda v2*", kernels::edge_softmax_forward_cuda, kernels::edge_softmax_backward_cuda}};
        for (const SoftmaxVersion& sv : softmaxes) {
            r.variant(
                sm, sv.name, d, reset,
                [&] { sv.forward(dout.get(), csr.forward(), ds.get()); }, result);
            r.variant(
                smb, sv.name, d, reset,
                [&] { sv.backward(dout.get(), csr.forward(), dyv.get(), ddy.get()); }, result);
        }
#endif
    }
}

// Op embedding: out (N, F) = table[op(i)], table (V, F); backward dtable += sum of the rows of
// dout at the positions of each op (inverse index: V rows, N entries, ~N / V per row).
// forward:  flops 0; bytes 4 (N F + N + V F)
// backward: flops N F; bytes 4 (N F + 2 V F + V + 1 + N)
void bench_embedding(Runner& r, int64_t G, int64_t n, int32_t V) {
    const int64_t N = G * n;
    std::vector<int32_t> idx(N);
    Rng rng(11);
    for (auto& i : idx) i = static_cast<int32_t>(rng.below(static_cast<uint64_t>(V)));
    auto table = random_floats(12, V * kF), dout = random_floats(13, N * kF);
    auto out0 = random_floats(14, N * kF), dt0 = random_floats(15, V * kF);
    Op fwd, bwd;
    fwd.name = "embedding fwd";
    bwd.name = "embedding bwd (inverse)";
    fwd.shape = bwd.shape = std::to_string(G) + "x" + std::to_string(n) + "x" + std::to_string(kF) +
                            " V=" + std::to_string(V);
    fwd.bytes = 4.0 * (N * kF + N + V * kF);
    bwd.flops = 1.0 * N * kF;
    bwd.bytes = 4.0 * (N * kF + 2.0 * V * kF + V + 1 + N);
    if (r.validating()) {
        IndexMap host_map = IndexMap::make(idx, V, Device::CPU, "bench embedding");
        fwd.want = out0;
        r.ref().gather_rows_forward(fwd.want.data(), table.data(), host_map.idx(), N, kF);
        bwd.want = dt0;
        r.ref().gather_rows_backward(bwd.want.data(), dout.data(), host_map.inverse(), kF);
    }
    for (Device d : r.devices()) {
        IndexMap map = IndexMap::make(idx, V, d, "bench embedding");
        DF dtable(table, d), ddout(dout, d), dout_f(out0, d), ddt(dt0, d);
        const KernelTable& t = r.table(d);
        const std::string name = d == Device::CPU ? "cpu-fast" : "cuda";
        r.variant(
            fwd, name, d, [&] { dout_f.set(out0); },
            [&] { t.gather_rows_forward(dout_f.get(), dtable.get(), map.idx(), N, kF); },
            [&] { return dout_f.host(); });
        auto reset_b = [&] { ddt.set(dt0); };
        auto result_b = [&] { return ddt.host(); };
        if (d == Device::CPU) {
            r.variant(
                bwd, name, d, reset_b,
                [&] { t.gather_rows_backward(ddt.get(), ddout.get(), map.inverse(), kF); },
                result_b);
            continue;
        }
#ifdef NASFLAT_WITH_CUDA
        // v1, v3: the product's two kernels (the table picks by in-degree); v2: experiments/.
        const std::pair<const char*, kernels::GatherRowsBackwardFn*> gathers[] = {
            {"cuda v1 per row", kernels::gather_rows_backward_per_row_cuda},
            {"cuda v2", gather_rows_backward_v2_cuda},
            {"cuda v3 chunked", kernels::gather_rows_backward_chunked_cuda}};
        for (const auto& [name, gather] : gathers) {
            r.variant(
                bwd, name, d, reset_b,
                [&, gather = gather] { gather(ddt.get(), ddout.get(), map.inverse(), kF); },
                result_b);
        }
#endif
    }
}

// Every op at both NASFLAT shapes: NB201 (8-node DAG, 10 edges) and FBNet (22-node chain).
void run_all(Runner& r, int64_t G) {
    for (Pattern p : {Pattern::Nb201Dag, Pattern::FbnetChain}) {
        const bool nb = p == Pattern::Nb201Dag;
        const int64_t n = nb ? 8 : 22;
        bench_gemm(r, G, n, 96, 128);
        bench_gemm(r, G, n, 128, 128);
        bench_gemm_backward(r, G, n, 128, 128);
        Batch dag = make_batch(p, G);
        bench_spmm(r, dag, nb ? "nb201-dag" : "fbnet-chain", false);
        Batch full = make_complete(G, n);
        bench_spmm(r, full, "complete", true);
        bench_attention(r, full, "complete");
        bench_embedding(r, G, n, nb ? 7 : 11);
        bench_other_ops(r, G, n);
    }
}

int usage(const char* prog) {
    std::fprintf(stderr,
                 "usage: %s [--quick] [--device cpu|cuda|all] [--graphs G] [--reps R]\n"
                 "  --quick    fewer reps (and G = 512 when only the CPU is timed)\n"
                 "  --device   which backends to validate and time (default all)\n"
                 "  --graphs   graphs per batch, or a list to sweep (e.g. 1024,65536,1048576:\n"
                 "             validated at the smallest, timed at each; default 4096)\n"
                 "  --reps     timed repetitions per row (median reported)\n",
                 prog);
    return 2;
}

int run(int argc, char** argv) {
    Options opt;
    std::vector<int64_t> sizes;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--quick") {
            opt.quick = true;
        } else if (a == "--device" && i + 1 < argc) {
            std::string d = argv[++i];
            if (d != "cpu" && d != "cuda" && d != "all") return usage(argv[0]);
            opt.want_cpu = d != "cuda";
            opt.want_cuda = d != "cpu";
            opt.cuda_explicit = d == "cuda";
        } else if (a == "--graphs" && i + 1 < argc) {
            // One size or a comma list (a sweep: validated at the smallest, timed at each).
            for (const char* p = argv[++i]; *p;) {
                const long long g = std::atoll(p);
                if (g <= 0) return usage(argv[0]);
                sizes.push_back(g);
                while (*p && *p != ',') ++p;
                if (*p == ',') ++p;
            }
            opt.graphs = sizes.empty() ? 0 : *std::min_element(sizes.begin(), sizes.end());
        } else if (a == "--reps" && i + 1 < argc) {
            opt.reps = std::atoi(argv[++i]);
            if (opt.reps <= 0) return usage(argv[0]);
        } else {
            return usage(argv[0]);
        }
    }
    const bool cuda_ok = kernels::cuda_available();
    if (opt.want_cuda && !cuda_ok) {
        const char* why = kernels::cuda_compiled() ? "no CUDA GPU is visible"
                                                   : "this binary was built without CUDA";
        if (opt.cuda_explicit) {
            std::fprintf(stderr, "bench_kernels: --device cuda, but %s\n", why);
            return 2;
        }
        std::printf("note: CUDA rows skipped (%s)\n", why);
    }
    const bool timing_cuda = opt.want_cuda && cuda_ok;
    const int64_t G = opt.graphs > 0 ? opt.graphs : (opt.quick && !timing_cuda ? 512 : 4096);

    Runner r(opt, cuda_ok);
    std::printf("pass 1: validate every variant against the CPU reference (G = %lld)\n",
                static_cast<long long>(G));
    run_all(r, G);
    if (r.mismatches > 0) {
        std::fprintf(stderr,
                     "bench_kernels: %d variant(s) MISMATCH the CPU reference; nothing "
                     "was timed\n",
                     r.mismatches);
        return 1;
    }
    double cpu_gbs = opt.want_cpu ? cpu_copy_gbs() : 0.0, cuda_gbs = 0.0;
#ifdef NASFLAT_WITH_CUDA
    if (timing_cuda) cuda_gbs = cuda_copy_gbs();
#endif
    std::printf("pass 2: time (CPU: 1 core, warm caches; CUDA: events, L2 flushed, median)\n");
    if (cpu_gbs > 0) std::printf("  measured copy bandwidth, cpu (1 core): %.1f GB/s\n", cpu_gbs);
    if (cuda_gbs > 0) std::printf("  measured copy bandwidth, cuda (d2d):   %.1f GB/s\n", cuda_gbs);
    r.pass = Pass::Time;
    if (sizes.empty()) sizes.push_back(G);
    for (int64_t g : sizes) run_all(r, g);
    print_table(r.rows, cpu_gbs, cuda_gbs);
    std::printf(
        "\n* = default version in the CUDA KernelTable. cuSPARSE has no backward row: it "
        "cannot follow edge_id.\n");
    return 0;
}

}  // namespace
}  // namespace nasflat::bench

int main(int argc, char** argv) {
    try {
        return nasflat::bench::run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_kernels: %s\n", e.what());
        return 1;
    }
}
