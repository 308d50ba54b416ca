// memory.h — raw memory on a device: allocate, free, copy, zero; counts device allocations.
// The autograd Buffer sits on top of this; kernels never allocate.
#pragma once

#include <cstddef>
#include <cstdint>

namespace nasflat {

enum class Device { CPU, CUDA };
const char* device_name(Device d);

namespace kernels {

void* raw_alloc(Device d, size_t bytes);
void raw_free(Device d, void* p);
// Copies bytes between any two devices (host<->device included).
void raw_copy(void* dst, Device dst_device, const void* src, Device src_device, size_t bytes);
void raw_zero(Device d, void* p, size_t bytes);
// Blocks until queued device work is done (no-op on the CPU).
void synchronize(Device d);

// Number of successful raw_alloc calls per device since start (tests use it to prove that a
// training step allocates nothing once the caches are warm).
int64_t raw_alloc_count(Device d);

// True when a CUDA GPU can be used by this process (built with CUDA and a device is visible).
bool cuda_available();

}  // namespace kernels
}  // namespace nasflat
