// profiled_table.cpp — see profiled_table.h. One wrapper per KernelTable entry, generated from the
// entry's function-pointer type; kEntries lists the entries, and a static_assert fails the build
// when the table has an entry that the list lacks.
#include "kernels/profiled_table.h"

#include <chrono>
#include <type_traits>

#include "kernels/base/check.h"
#include "kernels/base/memory.h"

namespace nasflat::kernels {
namespace {

struct State {
    bool on = false;
    Backend backend = Backend::CpuFast;
    const KernelTable* before = nullptr;  // the override in place before profiling, if any
    KernelTable original{};
    KernelTable wrapped{};
};
State& state() {
    static State s;
    return s;
}

Device device_of(Backend b) { return b == Backend::Cuda ? Device::CUDA : Device::CPU; }

// Wrapper<F*>::call<&KernelTable::entry, name> times one call of the original entry.
template <typename Fn>
struct Wrapper;
template <typename... Args>
struct Wrapper<void (*)(Args...)> {
    template <void (*KernelTable::*Member)(Args...), const char* Name>
    static void call(Args... args) {
        State& s = state();
        const Device d = device_of(s.backend);
        synchronize(d);
        const auto t0 = std::chrono::steady_clock::now();
        (s.original.*Member)(args...);
        synchronize(d);
        add_kernel_time(Name, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
                                  .count());
    }
};

// Wraps entry `Member` of the table, named `Name`; returns 1 to count the entries.
template <auto Member, const char* Name>
int wrap(KernelTable& t) {
    using Fn = std::remove_reference_t<decltype(t.*Member)>;
    t.*Member = &Wrapper<Fn>::template call<Member, Name>;
    return 1;
}

// The entries' names (template arguments need objects with linkage).
constexpr char kFill[] = "fill", kCopy[] = "copy", kAddScaled[] = "add_scaled",
               kUnaryForward[] = "unary_forward", kUnaryBackward[] = "unary_backward",
               kBinaryForward[] = "binary_forward", kBinaryBackward[] = "binary_backward",
               kGatedResidualForward[] = "gated_residual_forward",
               kGatedResidualBackward[] = "gated_residual_backward",
               kAverageForward[] = "average_forward", kAverageBackward[] = "average_backward",
               kGemm[] = "gemm", kReduceSum[] = "reduce_sum", kBroadcastAdd[] = "broadcast_add",
               kCopyBlock[] = "copy_block", kGatherRowsForward[] = "gather_rows_forward",
               kGatherRowsBackward[] = "gather_rows_backward",
               kSoftmaxForward[] = "softmax_forward", kSoftmaxBackward[] = "softmax_backward",
               kLayerNormForward[] = "layer_norm_forward",
               kLayerNormBackward[] = "layer_norm_backward",
               kSegmentSumForward[] = "segment_sum_forward",
               kSegmentSumBackward[] = "segment_sum_backward", kSpmm[] = "spmm",
               kSddmm[] = "sddmm", kEdgeSoftmaxForward[] = "edge_softmax_forward",
               kEdgeSoftmaxBackward[] = "edge_softmax_backward",
               kFusedReadout[] = "fused_readout", kDropoutForward[] = "dropout_forward",
               kDropoutBackward[] = "dropout_backward",
               kPairHingeForward[] = "pair_hinge_forward",
               kPairHingeBackward[] = "pair_hinge_backward", kMseForward[] = "mse_forward",
               kMseBackward[] = "mse_backward", kAdamwStep[] = "adamw_step";

// Every entry of the table, once. Returns how many were wrapped.
int wrap_all(KernelTable& t) {
    using T = KernelTable;
    return wrap<&T::fill, kFill>(t) + wrap<&T::copy, kCopy>(t) +
           wrap<&T::add_scaled, kAddScaled>(t) + wrap<&T::unary_forward, kUnaryForward>(t) +
           wrap<&T::unary_backward, kUnaryBackward>(t) +
           wrap<&T::binary_forward, kBinaryForward>(t) +
           wrap<&T::binary_backward, kBinaryBackward>(t) +
           wrap<&T::gated_residual_forward, kGatedResidualForward>(t) +
           wrap<&T::gated_residual_backward, kGatedResidualBackward>(t) +
           wrap<&T::average_forward, kAverageForward>(t) +
           wrap<&T::average_backward, kAverageBackward>(t) + wrap<&T::gemm, kGemm>(t) +
           wrap<&T::reduce_sum, kReduceSum>(t) + wrap<&T::broadcast_add, kBroadcastAdd>(t) +
           wrap<&T::copy_block, kCopyBlock>(t) +
           wrap<&T::gather_rows_forward, kGatherRowsForward>(t) +
           wrap<&T::gather_rows_backward, kGatherRowsBackward>(t) +
           wrap<&T::softmax_forward, kSoftmaxForward>(t) +
           wrap<&T::softmax_backward, kSoftmaxBackward>(t) +
           wrap<&T::layer_norm_forward, kLayerNormForward>(t) +
           wrap<&T::layer_norm_backward, kLayerNormBackward>(t) +
           wrap<&T::segment_sum_forward, kSegmentSumForward>(t) +
           wrap<&T::segment_sum_backward, kSegmentSumBackward>(t) + wrap<&T::spmm, kSpmm>(t) +
           wrap<&T::sddmm, kSddmm>(t) + wrap<&T::edge_softmax_forward, kEdgeSoftmaxForward>(t) +
           wrap<&T::edge_softmax_backward, kEdgeSoftmaxBackward>(t) +
           wrap<&T::fused_readout, kFusedReadout>(t) +
           wrap<&T::dropout_forward, kDropoutForward>(t) +
           wrap<&T::dropout_backward, kDropoutBackward>(t) +
           wrap<&T::pair_hinge_forward, kPairHingeForward>(t) +
           wrap<&T::pair_hinge_backward, kPairHingeBackward>(t) +
           wrap<&T::mse_forward, kMseForward>(t) + wrap<&T::mse_backward, kMseBackward>(t) +
           wrap<&T::adamw_step, kAdamwStep>(t);
}
constexpr int kNumEntries = 35;  // the wrap<> calls above
// The table is its Backend and one function pointer per entry: a new entry not added above
// (and counted here) fails this check.
static_assert(sizeof(KernelTable) == sizeof(void*) * (kNumEntries + 1),
              "profiled_table.cpp: wrap every KernelTable entry (wrap_all) and count it");

}  // namespace

void enable_kernel_profiling(Backend backend, bool on) {
    State& s = state();
    if (s.on) {  // back to the table of before, whichever backend was profiled
        override_kernel_table(s.backend, s.before);
        s.on = false;
    }
    if (!on) return;
    s.backend = backend;
    s.before = kernel_table_override(backend);
    s.original = kernel_table(backend);
    s.wrapped = s.original;
    reset_kernel_profile();
    NASFLAT_CHECK(wrap_all(s.wrapped) == kNumEntries, "profiled table: entry count");
    override_kernel_table(backend, &s.wrapped);
    s.on = true;
}

}  // namespace nasflat::kernels
