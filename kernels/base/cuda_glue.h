// cuda_glue.h — the few CUDA runtime calls the host code needs, behind plain C++ signatures so
// that .cpp files never include CUDA headers. Defined in cuda_glue.cu when built with CUDA;
// cuda_glue_cpu_only.cpp otherwise (device_count() == 0, everything else throws).
#pragma once

#include <cstddef>

namespace nasflat::kernels::cuda_glue {

int device_count();  // 0 when no GPU (or no CUDA in this build); never throws
void* alloc(size_t bytes);
void free(void* p);
void copy(void* dst, bool dst_on_device, const void* src, bool src_on_device, size_t bytes);
void zero(void* p, size_t bytes);
void synchronize();

}  // namespace nasflat::kernels::cuda_glue
