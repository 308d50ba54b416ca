// cuda_check.cuh — CUDA_CHECK and CUBLAS_CHECK: wrap every CUDA runtime and cuBLAS call so that a
// failure throws nasflat::Error (kernels/base/check.h) naming the call, the library's error
// string and file:line. Included only by .cu files.
// Usage: CUDA_CHECK(cudaMemcpy(dst, src, bytes, cudaMemcpyDefault));
//        CUDA_CHECK(cudaGetLastError());   // right after every kernel launch
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include "kernels/base/check.h"

#define CUDA_CHECK(call)                                                                     \
    do {                                                                                     \
        const cudaError_t nasflat_cuda_err_ = (call);                                        \
        if (nasflat_cuda_err_ != cudaSuccess) {                                              \
            ::nasflat::fail("CUDA error ", cudaGetErrorName(nasflat_cuda_err_), " (",        \
                            cudaGetErrorString(nasflat_cuda_err_), ") in '", #call, "' at ", \
                            __FILE__, ":", __LINE__);                                        \
        }                                                                                    \
    } while (0)

#define CUBLAS_CHECK(call)                                                                       \
    do {                                                                                         \
        const cublasStatus_t nasflat_cublas_st_ = (call);                                        \
        if (nasflat_cublas_st_ != CUBLAS_STATUS_SUCCESS) {                                       \
            ::nasflat::fail("cuBLAS error ", cublasGetStatusName(nasflat_cublas_st_), " (",      \
                            cublasGetStatusString(nasflat_cublas_st_), ") in '", #call, "' at ", \
                            __FILE__, ":", __LINE__);                                            \
        }                                                                                        \
    } while (0)
