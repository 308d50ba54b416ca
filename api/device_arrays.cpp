// device_arrays.cpp — see device_arrays.h; through kernels/base/memory.h.
#include "api/device_arrays.h"

#include "api/errors.h"
#include "kernels/base/memory.h"
#include "kernels/kernels.h"

namespace nasflat::api {

bool cuda_build() { return kernels::cuda_compiled(); }

void copy_from_gpu(void* host_dst, const void* gpu_src, size_t bytes) {
    translated([&] { kernels::raw_copy(host_dst, Device::CPU, gpu_src, Device::CUDA, bytes); });
}

void copy_to_gpu(void* gpu_dst, const void* host_src, size_t bytes) {
    translated([&] { kernels::raw_copy(gpu_dst, Device::CUDA, host_src, Device::CPU, bytes); });
}

void* gpu_alloc(size_t bytes) {
    return translated([&] { return kernels::raw_alloc(Device::CUDA, bytes); });
}

void gpu_free(void* p) { kernels::raw_free(Device::CUDA, p); }

}  // namespace nasflat::api
