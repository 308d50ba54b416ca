// profiler.h — per-kernel time totals for finding hot spots: a named entry per kernel, its calls
// and seconds. kernels/profiled_table.h fills them by wrapping every KernelTable entry while
// profiling is on; anything else may add its own entries.
// Usage: enable_kernel_profiling(Backend::Cuda, true); ...work...; print_kernel_profile(stdout);
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace nasflat::kernels {

struct KernelProfileEntry {
    std::string name;
    int64_t calls = 0;
    double seconds = 0.0;
};

// One call of `seconds` to the entry `name` (created on first use).
void add_kernel_time(const char* name, double seconds);
// Entries with at least one call, most time first.
std::vector<KernelProfileEntry> kernel_profile();
// Forgets every entry.
void reset_kernel_profile();
// kernel, calls, ms, share of the total: one line per entry of kernel_profile().
void print_kernel_profile(std::FILE* out);

}  // namespace nasflat::kernels
