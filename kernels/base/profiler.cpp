// profiler.cpp — see profiler.h. Entries are few (one per kernel) and looked up by name.
#include "kernels/base/profiler.h"

#include <algorithm>
#include <cstring>

namespace nasflat::kernels {
namespace {
std::vector<KernelProfileEntry>& entries() {
    static std::vector<KernelProfileEntry> e;
    return e;
}
}  // namespace

void add_kernel_time(const char* name, double seconds) {
    auto& all = entries();
    auto it = std::find_if(all.begin(), all.end(),
                           [name](const KernelProfileEntry& e) { return e.name == name; });
    if (it == all.end()) it = all.insert(all.end(), KernelProfileEntry{name});
    it->calls++;
    it->seconds += seconds;
}

std::vector<KernelProfileEntry> kernel_profile() {
    std::vector<KernelProfileEntry> out;
    for (const auto& e : entries()) {
        if (e.calls > 0) out.push_back(e);
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.seconds > b.seconds; });
    return out;
}

void reset_kernel_profile() {
    entries().clear();
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
