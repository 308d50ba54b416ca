// test_profiled_table.cpp — the per-kernel profiler (kernels/profiled_table.h) wraps every entry
// of a table, counts the calls, and hands the plain table back when switched off.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "kernels/profiled_table.h"

namespace nasflat::testing {
namespace {

using kernels::Backend;
using kernels::KernelTable;

// The table's function pointers, in member order (the Backend field comes first).
std::vector<const void*> entries_of(const KernelTable& t) {
    const size_t n = (sizeof(KernelTable) - sizeof(void*)) / sizeof(void*);
    std::vector<const void*> out(n);
    std::memcpy(out.data(), reinterpret_cast<const char*>(&t) + sizeof(void*), n * sizeof(void*));
    return out;
}

TEST(ProfiledTable, WrapsEveryEntryAndCountsCalls) {
    const std::vector<const void*> plain = entries_of(kernels::kernel_table(Backend::CpuReference));
    kernels::enable_kernel_profiling(Backend::CpuReference, true);
    const KernelTable& profiled = kernels::kernel_table(Backend::CpuReference);
    const std::vector<const void*> wrapped = entries_of(profiled);
    ASSERT_EQ(wrapped.size(), plain.size());
    for (size_t i = 0; i < plain.size(); ++i) {
        EXPECT_NE(wrapped[i], nullptr) << "entry " << i;
        EXPECT_NE(wrapped[i], plain[i]) << "entry " << i << " is not wrapped";
    }
    std::vector<float> x(5, 0.0f);
    profiled.fill(x.data(), 5, 2.0f);
    profiled.fill(x.data(), 5, 3.0f);
    EXPECT_EQ(x[4], 3.0f);
    const auto profile = kernels::kernel_profile();
    ASSERT_EQ(profile.size(), 1u);
    EXPECT_EQ(profile[0].name, "fill");
    EXPECT_EQ(profile[0].calls, 2);
    kernels::enable_kernel_profiling(Backend::CpuReference, false);
    EXPECT_EQ(entries_of(kernels::kernel_table(Backend::CpuReference)), plain);
}

}  // namespace
}  // namespace nasflat::testing
