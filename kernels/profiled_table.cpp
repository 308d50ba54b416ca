// profiled_table.cpp — see profiled_table.h. kEntries lists every KernelTable entry (member
// order) and kNames their names; one wrapper per entry is generated from the entry's
// function-pointer type. The static_asserts fail the build when the table gains an entry that
// the lists lack, so adding an op cannot leave it unprofiled.
#include "kernels/profiled_table.h"

#include <chrono>
#include <iterator>
#include <tuple>
#include <type_traits>
#include <utility>

#include "kernels/base/memory.h"

namespace nasflat::kernels {
namespace {

using T = KernelTable;
constexpr auto kEntries = std::make_tuple(
    &T::fill, &T::copy, &T::add_scaled, &T::unary_forward, &T::unary_backward, &T::binary_forward,
    &T::binary_backward, &T::gated_residual_forward, &T::gated_residual_backward,
    &T::average_forward, &T::average_backward, &T::gemm, &T::reduce_sum, &T::broadcast_add,
    &T::copy_block, &T::gather_rows_forward, &T::gather_rows_backward, &T::softmax_forward,
    &T::softmax_backward, &T::masked_softmax_forward, &T::layer_norm_forward,
    &T::layer_norm_backward, &T::segment_sum_forward, &T::segment_sum_backward, &T::spmm, &T::sddmm,
    &T::edge_softmax_forward, &T::edge_softmax_backward, &T::fused_readout, &T::dropout_forward,
    &T::dropout_backward, &T::pair_hinge_forward, &T::pair_hinge_backward, &T::mse_forward,
    &T::mse_backward, &T::l1_forward, &T::l1_backward, &T::adamw_step);
constexpr const char* kNames[] = {
    "fill", "copy", "add_scaled", "unary_forward", "unary_backward", "binary_forward",
    "binary_backward", "gated_residual_forward", "gated_residual_backward", "average_forward",
    "average_backward", "gemm", "reduce_sum", "broadcast_add", "copy_block", "gather_rows_forward",
    "gather_rows_backward", "softmax_forward", "softmax_backward", "masked_softmax_forward",
    "layer_norm_forward", "layer_norm_backward", "segment_sum_forward", "segment_sum_backward",
    "spmm", "sddmm", "edge_softmax_forward", "edge_softmax_backward", "fused_readout",
    "dropout_forward", "dropout_backward", "pair_hinge_forward", "pair_hinge_backward",
    "mse_forward", "mse_backward", "l1_forward", "l1_backward", "adamw_step"};
constexpr size_t kNumEntries = std::tuple_size_v<decltype(kEntries)>;
static_assert(std::size(kNames) == kNumEntries, "profiled_table.cpp: one name per entry");
// The table is its Backend and one function pointer per entry.
static_assert(sizeof(KernelTable) == sizeof(void*) * (kNumEntries + 1),
              "profiled_table.cpp: list every KernelTable entry in kEntries and kNames");

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

// Wrapper<F*>::call<Id> times one call of entry Id of the original table.
template <typename Fn>
struct Wrapper;
template <typename... Args>
struct Wrapper<void (*)(Args...)> {
    template <size_t Id>
    static void call(Args... args) {
        State& s = state();
        const Device d = device_of(s.backend);
        synchronize(d);
        const auto t0 = std::chrono::steady_clock::now();
        (s.original.*std::get<Id>(kEntries))(args...);
        synchronize(d);
        add_kernel_time(kNames[Id], std::chrono::duration<double>(
                                        std::chrono::steady_clock::now() - t0)
                                        .count());
    }
};

// Entry Id of `t` replaced by its wrapper.
template <size_t Id>
void wrap(KernelTable& t) {
    auto& entry = t.*std::get<Id>(kEntries);
    entry = &Wrapper<std::remove_reference_t<decltype(entry)>>::template call<Id>;
}

template <size_t... Id>
void wrap_all(KernelTable& t, std::index_sequence<Id...>) {
    (wrap<Id>(t), ...);
}

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
    wrap_all(s.wrapped, std::make_index_sequence<kNumEntries>{});
    override_kernel_table(backend, &s.wrapped);
    s.on = true;
}

}  // namespace nasflat::kernels
