// profiler.h — per-kernel timing for finding hot spots: while enabled for a backend, every
// KernelTable entry of that backend is wrapped by a function that synchronises the device,
// times the call on the host clock and adds it to a per-entry total. Synchronising after every
// call inflates the total a little (no overlap), which is what a hot-spot list wants.
// Usage: enable_kernel_profiling(Backend::Cuda, true); ...work...; print_kernel_profile(stdout);
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "kernels/kernels.h"

namespace nasflat::kernels {

struct KernelProfileEntry {
    std::string name;
    int64_t calls = 0;
    double seconds = 0.0;
};

void enable_kernel_profiling(Backend backend, bool on);
// Entries with at least one call, most time first.
std::vector<KernelProfileEntry> kernel_profile();
void reset_kernel_profile();
void print_kernel_profile(std::FILE* out);

// Used by kernel_table(): the wrapped table while profiling `backend`, else null.
const KernelTable* profiling_table(Backend backend);

}  // namespace nasflat::kernels
