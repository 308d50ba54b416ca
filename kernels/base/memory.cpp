// memory.cpp — host memory and dispatch to the CUDA runtime (cuda_glue.cu) when built.
#include "kernels/base/memory.h"

#include <atomic>
#include <cstdlib>
#include <cstring>

#include "kernels/base/check.h"
#include "kernels/base/cuda_glue.h"

namespace nasflat {

const char* device_name(Device d) { return d == Device::CPU ? "cpu" : "cuda"; }

namespace kernels {
namespace {
std::atomic<int64_t> g_alloc_count[2];
constexpr size_t kHostAlignment = 64;  // one cache line; AVX-512 loads stay aligned
}  // namespace

void* raw_alloc(Device d, size_t bytes) {
    if (bytes == 0) bytes = kHostAlignment;
    void* p = nullptr;
    if (d == Device::CPU) {
        size_t rounded = (bytes + kHostAlignment - 1) / kHostAlignment * kHostAlignment;
        p = std::aligned_alloc(kHostAlignment, rounded);
        NASFLAT_CHECK(p != nullptr, "raw_alloc: out of host memory for ", bytes, " bytes");
    } else {
        p = cuda_glue::alloc(bytes);
    }
    g_alloc_count[static_cast<int>(d)]++;
    return p;
}

void raw_free(Device d, void* p) {
    if (p == nullptr) return;
    if (d == Device::CPU) {
        std::free(p);
    } else {
        cuda_glue::free(p);
    }
}

void raw_copy(void* dst, Device dst_device, const void* src, Device src_device, size_t bytes) {
    if (bytes == 0) return;
    if (dst_device == Device::CPU && src_device == Device::CPU) {
        std::memcpy(dst, src, bytes);
    } else {
        cuda_glue::copy(dst, dst_device == Device::CUDA, src, src_device == Device::CUDA, bytes);
    }
}

void raw_zero(Device d, void* p, size_t bytes) {
    if (bytes == 0) return;
    if (d == Device::CPU) {
        std::memset(p, 0, bytes);
    } else {
        cuda_glue::zero(p, bytes);
    }
}

void synchronize(Device d) {
    if (d == Device::CUDA) cuda_glue::synchronize();
}

int64_t raw_alloc_count(Device d) { return g_alloc_count[static_cast<int>(d)].load(); }

bool cuda_available() { return cuda_glue::device_count() > 0; }

}  // namespace kernels
}  // namespace nasflat
