// bench_common.cpp — see bench_common.h.
#include "bench/bench_common.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "kernels/base/check.h"

#ifdef NASFLAT_WITH_CUDA
#include <cuda_runtime.h>
#endif

namespace nasflat::bench {
namespace {
double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

}  // namespace

double time_cpu_ms(int reps, const std::function<void()>& fn) {
    fn();  // warm-up: page in outputs, fill caches
    std::vector<double> ms;
    for (int r = 0; r < reps; ++r) {
        auto t0 = std::chrono::steady_clock::now();
        fn();
        auto t1 = std::chrono::steady_clock::now();
        ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    return median(ms);
}

#ifdef NASFLAT_WITH_CUDA
#define BENCH_CUDA(call)                                                                 \
    do {                                                                                 \
        cudaError_t err_ = (call);                                                       \
        if (err_ != cudaSuccess) fail("bench: ", #call, ": ", cudaGetErrorString(err_)); \
    } while (0)

// A buffer twice the L2 size, cleared before every timed rep so no rep finds its inputs in L2.
struct L2Flusher {
    void* buf = nullptr;
    size_t bytes = 0;
    L2Flusher() {
        int device = 0, l2 = 0;
        BENCH_CUDA(cudaGetDevice(&device));
        BENCH_CUDA(cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, device));
        bytes = std::max<size_t>(2 * static_cast<size_t>(l2), 8u << 20);
        BENCH_CUDA(cudaMalloc(&buf, bytes));
    }
    void flush() { BENCH_CUDA(cudaMemsetAsync(buf, 0, bytes, 0)); }
};

double time_cuda_ms(int reps, const std::function<void()>& fn) {
    static L2Flusher flusher;
    for (int w = 0; w < 3; ++w) fn();
    cudaEvent_t start, stop;
    BENCH_CUDA(cudaEventCreate(&start));
    BENCH_CUDA(cudaEventCreate(&stop));
    std::vector<double> ms;
    for (int r = 0; r < reps; ++r) {
        flusher.flush();
        BENCH_CUDA(cudaEventRecord(start, 0));
        fn();
        BENCH_CUDA(cudaEventRecord(stop, 0));
        BENCH_CUDA(cudaEventSynchronize(stop));
        float t = 0.0f;
        BENCH_CUDA(cudaEventElapsedTime(&t, start, stop));
        ms.push_back(t);
    }
    BENCH_CUDA(cudaEventDestroy(start));
    BENCH_CUDA(cudaEventDestroy(stop));
    return median(ms);
}

// Device-to-device copy of 256 MiB: 2 x bytes moved per copy.
double cuda_copy_gbs() {
    const size_t bytes = 256u << 20;
    void *a = nullptr, *b = nullptr;
    BENCH_CUDA(cudaMalloc(&a, bytes));
    BENCH_CUDA(cudaMalloc(&b, bytes));
    BENCH_CUDA(cudaMemset(a, 0, bytes));
    double ms = time_cuda_ms(
        10, [&] { BENCH_CUDA(cudaMemcpyAsync(b, a, bytes, cudaMemcpyDeviceToDevice, 0)); });
    BENCH_CUDA(cudaFree(a));
    BENCH_CUDA(cudaFree(b));
    return 2.0 * bytes / (ms * 1e6);
}
#endif

// One core's memcpy of 64 MiB: 2 x bytes moved per copy.
double cpu_copy_gbs() {
    const size_t bytes = 64u << 20;
    std::vector<char> a(bytes, 1), b(bytes, 0);
    double ms = time_cpu_ms(5, [&] { std::memcpy(b.data(), a.data(), bytes); });
    return 2.0 * bytes / (ms * 1e6);
}

#ifndef NASFLAT_WITH_CUDA
double time_cuda_ms(int, const std::function<void()>&) {
    fail("bench: CUDA timing asked of a build without CUDA");
}
double cuda_copy_gbs() {
    fail("bench: CUDA bandwidth asked of a build without CUDA");
}
#endif

std::vector<float> random_floats(uint64_t seed, int64_t n, float lo, float hi) {
    Rng rng(seed);
    std::vector<float> v(static_cast<size_t>(n));
    for (auto& x : v) x = static_cast<float>(rng.uniform(lo, hi));
    return v;
}

void Runner::variant(const Op& op, const std::string& backend, Device d,
                     const std::function<void()>& reset, const std::function<void()>& run,
                     const std::function<std::vector<float>()>& result, double tol) {
    if (tol < 0) tol = op.tol;
    if (pass == Pass::Validate) {
        reset();
        run();
        kernels::synchronize(d);
        double err = rel_error(result(), op.want);
        bool ok = err <= tol;
        if (!ok) ++mismatches;
        std::printf("  validate %-22s %-16s %-32s rel err %.2e %s\n", op.name.c_str(),
                    backend.c_str(), op.shape.c_str(), err, ok ? "ok" : "MISMATCH");
        return;
    }
    int reps = opt_.reps > 0 ? opt_.reps
                             : (d == Device::CPU ? (opt_.quick ? 3 : 10) : (opt_.quick ? 10 : 50));
    double ms = 0.0;
    if (d == Device::CPU) {
        ms = time_cpu_ms(reps, run);
    } else {
#ifdef NASFLAT_WITH_CUDA
        ms = time_cuda_ms(reps, run);
#endif
    }
    rows.push_back({op.name, backend, op.shape, d, ms, op.flops, op.bytes});
}

// max |got - want| / max |want|; non-finite output counts as infinitely wrong.
double Runner::rel_error(const std::vector<float>& got, const std::vector<float>& want) {
    if (got.size() != want.size()) return INFINITY;
    double max_diff = 0.0, max_ref = 0.0;
    for (size_t i = 0; i < got.size(); ++i) {
        if (!std::isfinite(got[i])) return INFINITY;
        max_diff = std::max(max_diff, std::fabs(static_cast<double>(got[i]) - want[i]));
        max_ref = std::max(max_ref, std::fabs(static_cast<double>(want[i])));
    }
    return max_ref > 0.0 ? max_diff / max_ref : max_diff;
}

void print_table(const std::vector<Row>& rows, double cpu_gbs, double cuda_gbs) {
    std::printf("\n%-24s | %-16s | %-32s | %10s | %9s | %8s | %6s\n", "op", "backend/version",
                "shape", "ms", "GFLOP/s", "GB/s", "%copy");
    std::printf("%s\n", std::string(125, '-').c_str());
    for (const Row& row : rows) {
        double s = row.ms * 1e-3;
        double gbs = s > 0 ? row.bytes / s / 1e9 : 0.0;
        double peak = row.device == Device::CPU ? cpu_gbs : cuda_gbs;
        char gflops[32];
        if (row.flops > 0 && s > 0) {
            std::snprintf(gflops, sizeof gflops, "%9.1f", row.flops / s / 1e9);
        } else {
            std::snprintf(gflops, sizeof gflops, "%9s", "-");
        }
        std::printf("%-24s | %-16s | %-32s | %10.4f | %s | %8.1f | %5.0f%%\n", row.op.c_str(),
                    row.backend.c_str(), row.shape.c_str(), row.ms, gflops, gbs,
                    peak > 0 ? 100.0 * gbs / peak : 0.0);
    }
}

}  // namespace nasflat::bench
