// device_arrays.h — host <-> GPU copies for callers that hold architectures or scores in GPU
// memory (the Python module's DLPack path: a PyTorch or CuPy array in, one out). Indices and
// scores cross the bus (8 bytes an architecture); graphs are collated on the host in any case.
// In a build without CUDA every function but cuda_build() is an error.
#pragma once

#include <cstddef>

namespace nasflat::api {

bool cuda_build();
void copy_from_gpu(void* host_dst, const void* gpu_src, size_t bytes);
void copy_to_gpu(void* gpu_dst, const void* host_src, size_t bytes);
void* gpu_alloc(size_t bytes);
void gpu_free(void* p);

}  // namespace nasflat::api
