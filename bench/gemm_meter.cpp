// gemm_meter.cpp — see gemm_meter.h.
#include "bench/gemm_meter.h"

#include <chrono>

#include "kernels/base/check.h"

namespace nasflat::bench {
namespace {
// One meter at a time: the wrapper is a plain function pointer and finds its totals here.
struct Totals {
    kernels::GemmFn* inner = nullptr;
    double flops = 0.0, seconds = 0.0;
};
Totals& totals() {
    static Totals t;
    return t;
}

void metered_gemm(int64_t batch, bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K,
                  float alpha, const float* A, int64_t stride_a, const float* B, int64_t stride_b,
                  float beta, float* C, int64_t stride_c) {
    Totals& t = totals();
    const auto t0 = std::chrono::steady_clock::now();
    t.inner(batch, trans_a, trans_b, M, N, K, alpha, A, stride_a, B, stride_b, beta, C, stride_c);
    t.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    t.flops += 2.0 * static_cast<double>(batch) * static_cast<double>(M) *
               static_cast<double>(N) * static_cast<double>(K);
}
}  // namespace

GemmMeter::GemmMeter(kernels::Backend backend)
    : backend_(backend), before_(kernels::kernel_table_override(backend)) {
    NASFLAT_CHECK(backend != kernels::Backend::Cuda, "GemmMeter",
                  "times CPU GEMMs only (a CUDA call returns before it finishes)");
    NASFLAT_CHECK(totals().inner == nullptr, "GemmMeter", "one meter at a time");
    wrapped_ = kernels::kernel_table(backend);
    totals() = Totals{wrapped_.gemm, 0.0, 0.0};
    wrapped_.gemm = &metered_gemm;
    kernels::override_kernel_table(backend, &wrapped_);
}

GemmMeter::~GemmMeter() {
    kernels::override_kernel_table(backend_, before_);
    totals().inner = nullptr;
}

double GemmMeter::gflops_per_second() const {
    const Totals& t = totals();
    return t.seconds > 0.0 ? t.flops / t.seconds / 1e9 : 0.0;
}

}  // namespace nasflat::bench
