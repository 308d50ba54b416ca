// cuda_glue.cu — the CUDA runtime calls behind memory.cpp: device count, allocation,
// copies, zeroing, synchronisation (declared in cuda_glue.h with plain C++ signatures).
// CPU-only builds use cuda_glue_cpu_only.cpp instead. Everything runs on the default stream.
#include <cuda_runtime.h>

#include "kernels/base/check.h"
#include "kernels/base/cuda_check.cuh"
#include "kernels/base/cuda_glue.h"
#include "kernels/base/memory.h"

namespace nasflat::kernels::cuda_glue {

// CI machines have nvcc but no driver or GPU: cudaGetDeviceCount then fails (no device,
// insufficient driver, ...). That is "0 GPUs", not an error, so clear it and never throw.
// Counted once: the answer cannot change within a process.
int device_count() {
    static const int count = [] {
        int n = 0;
        cudaError_t err = cudaGetDeviceCount(&n);
        if (err != cudaSuccess) {
            (void)cudaGetLastError();  // forget the non-sticky error
            return 0;
        }
        return n;
    }();
    return count;
}

void* alloc(size_t bytes) {
    void* p = nullptr;
    cudaError_t err = cudaMalloc(&p, bytes);
    if (err != cudaSuccess) {
        (void)cudaGetLastError();  // out-of-memory is not sticky; keep the context usable
        size_t free_bytes = 0, total_bytes = 0;
        (void)cudaMemGetInfo(&free_bytes, &total_bytes);
        (void)cudaGetLastError();
        fail("cuda alloc: cudaMalloc of ", bytes, " bytes failed (", cudaGetErrorString(err), "); ",
             free_bytes, " of ", total_bytes,
             " bytes free on the device; hint: use a smaller batch");
    }
    return p;
}

void free(void* p) {
    if (p == nullptr) return;
    cudaError_t err = cudaFree(p);
    // At process exit the runtime may already be unloaded; the memory goes with the context.
    if (err == cudaErrorCudartUnloading) {
        (void)cudaGetLastError();
        return;
    }
    CUDA_CHECK(err);
}

void copy(void* dst, bool dst_on_device, const void* src, bool src_on_device, size_t bytes) {
    if (bytes == 0) return;
    cudaMemcpyKind kind = dst_on_device
                              ? (src_on_device ? cudaMemcpyDeviceToDevice : cudaMemcpyHostToDevice)
                              : (src_on_device ? cudaMemcpyDeviceToHost : cudaMemcpyHostToHost);
    // Synchronous with respect to the default stream: host data is ready (or consumed) when
    // this returns, which is what the host-side callers expect.
    CUDA_CHECK(cudaMemcpy(dst, src, bytes, kind));
}

void zero(void* p, size_t bytes) {
    if (bytes == 0) return;
    CUDA_CHECK(cudaMemset(p, 0, bytes));
}

void synchronize() {
    CUDA_CHECK(cudaDeviceSynchronize());
}

}  // namespace nasflat::kernels::cuda_glue

namespace nasflat::kernels::cuda_detail {

// Grow-only scratch for multi-pass kernels (cuda_columns.cuh). Freeing the old block with
// cudaFree synchronises the device, so no kernel still reads it.
float* cuda_workspace(int64_t floats) {
    static void* block = nullptr;
    static int64_t capacity = 0;
    if (floats > capacity) {
        if (block != nullptr) raw_free(Device::CUDA, block);
        capacity = floats < (1 << 20) ? (1 << 20) : floats;
        block = raw_alloc(Device::CUDA, static_cast<size_t>(capacity) * sizeof(float));
    }
    return static_cast<float*>(block);
}

}  // namespace nasflat::kernels::cuda_detail
