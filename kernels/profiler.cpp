// profiler.cpp — see profiler.h. One wrapper per KernelTable entry, generated from the entry's
// function-pointer type, so adding an entry to the table needs one PROFILE() line here.
#include "kernels/profiler.h"

#include <algorithm>
#include <chrono>

#include "kernels/base/memory.h"

namespace nasflat::kernels {
namespace {

struct State {
    bool on = false;
    Backend backend = Backend::CpuFast;
    KernelTable original{};
    KernelTable wrapped{};
    std::vector<KernelProfileEntry> entries;
};
State& state() {
    static State s;
    return s;
}

Device device_of(Backend b) { return b == Backend::Cuda ? Device::CUDA : Device::CPU; }

template <typename Fn>
struct Wrapper;
template <typename... Args>
struct Wrapper<void (*)(Args...)> {
    template <void (*KernelTable::*Member)(Args...), int Id>
    static void call(Args... args) {
        State& s = state();
        const Device d = device_of(s.backend);
        synchronize(d);
        auto t0 = std::chrono::steady_clock::now();
        (s.original.*Member)(args...);
        synchronize(d);
        s.entries[Id].seconds +=
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        s.entries[Id].calls++;
    }
};

#define NASFLAT_PROFILE_ENTRIES(X)                                                          \
    X(fill) X(copy) X(add_scaled) X(gemm) X(unary_forward) X(unary_backward)                \
    X(binary_forward) X(binary_backward) X(gated_residual_forward)                          \
    X(gated_residual_backward) X(average_forward) X(average_backward) X(reduce_sum)         \
    X(broadcast_add) X(copy_block) X(gather_rows_forward) X(gather_rows_backward)           \
    X(softmax_forward) X(softmax_backward) X(layer_norm_forward) X(layer_norm_backward)     \
    X(segment_sum_forward) X(segment_sum_backward) X(spmm) X(sddmm) X(edge_softmax_forward) \
    X(edge_softmax_backward) X(fused_readout) X(dropout_forward) X(dropout_backward)        \
    X(pair_hinge_forward) X(pair_hinge_backward) X(mse_forward) X(mse_backward)             \
    X(adamw_step)

enum EntryId {
#define NASFLAT_ID(entry) k_##entry,
    NASFLAT_PROFILE_ENTRIES(NASFLAT_ID) kNumEntries
#undef NASFLAT_ID
};

}  // namespace

void enable_kernel_profiling(Backend backend, bool on) {
    State& s = state();
    s.on = false;
    if (!on) return;
    s.backend = backend;
    s.original = kernel_table(backend);
    s.wrapped = s.original;
    s.entries.assign(kNumEntries, {});
#define NASFLAT_WRAP(entry)                                                     \
    s.entries[k_##entry].name = #entry;                                         \
    s.wrapped.entry =                                                           \
        Wrapper<decltype(KernelTable::entry)>::call<&KernelTable::entry, k_##entry>;
    NASFLAT_PROFILE_ENTRIES(NASFLAT_WRAP)
#undef NASFLAT_WRAP
    s.on = true;
}

const KernelTable* profiling_table(Backend backend) {
    const State& s = state();
    return s.on && s.backend == backend ? &s.wrapped : nullptr;
}

std::vector<KernelProfileEntry> kernel_profile() {
    std::vector<KernelProfileEntry> out;
    for (const auto& e : state().entries) {
        if (e.calls > 0) out.push_back(e);
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.seconds > b.seconds; });
    return out;
}

void reset_kernel_profile() {
    for (auto& e : state().entries) {
        e.calls = 0;
        e.seconds = 0.0;
    }
}

void print_kernel_profile(std::FILE* out) {
    double total = 0;
    for (const auto& e : kernel_profile()) total += e.seconds;
    std::fprintf(out, "  %-24s %8s %10s %6s\n", "kernel", "calls", "ms", "share");
    for (const auto& e : kernel_profile()) {
        std::fprintf(out, "  %-24s %8lld %10.3f %5.1f%%\n", e.name.c_str(),
                     static_cast<long long>(e.calls), e.seconds * 1e3,
                     total > 0 ? 100.0 * e.seconds / total : 0.0);
    }
}

}  // namespace nasflat::kernels
