// profiler_capture.cu — brackets the launches an external profiler started with capture off
// (`ncu --profile-from-start off`) records: cudaProfilerStart / Stop (bench_model --capture).
#include <cuda_profiler_api.h>

#include "bench/experiments/experiments.h"
#include "kernels/base/cuda_check.cuh"

namespace nasflat::bench {

void cuda_profiler_capture(bool on) {
    CUDA_CHECK(on ? cudaProfilerStart() : cudaProfilerStop());
}

}  // namespace nasflat::bench
