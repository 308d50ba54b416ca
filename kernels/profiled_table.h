// profiled_table.h — per-kernel timing of a backend: while enabled, kernel_table(backend) hands
// out a table whose every entry synchronises the device, times the call on the host clock and
// adds it to the entry's total (base/profiler.h). Synchronising after every call inflates the
// total a little (no overlap), which is what a hot-spot list wants.
// Usage: enable_kernel_profiling(Backend::Cuda, true); ...work...; print_kernel_profile(stdout);
#pragma once

#include "kernels/base/profiler.h"
#include "kernels/kernels.h"

namespace nasflat::kernels {

// On: forget earlier totals and time every entry of `backend`'s table (through
// override_kernel_table, wrapping whatever table it handed out before). Off: that table again.
void enable_kernel_profiling(Backend backend, bool on);

}  // namespace nasflat::kernels
