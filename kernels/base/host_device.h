// host_device.h — NASFLAT_HD marks a small function that both the CPU code and CUDA kernels call
// (stage code of the fused kernel, the counter-based RNG, scalar elementwise formulas).
// Under nvcc it is __host__ __device__ and force-inlined; under the host compiler plain inline.
// NASFLAT_HD_TEMPLATE goes before a NASFLAT_HD template whose arguments may be host-only
// callables, so nvcc does not warn about calling them from a __host__ __device__ body.
#pragma once

#ifdef __CUDACC__
#define NASFLAT_HD __host__ __device__ __forceinline__
#define NASFLAT_HD_TEMPLATE _Pragma("nv_exec_check_disable")
#else
#define NASFLAT_HD inline
#define NASFLAT_HD_TEMPLATE
#endif
