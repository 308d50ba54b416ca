// cuda_glue_cpu_only.cpp — the CUDA glue of a CPU-only build: no GPU, and a clear error if asked.
#include "kernels/base/check.h"
#include "kernels/base/cuda_glue.h"

namespace nasflat::kernels::cuda_glue {
namespace {
[[noreturn]] void no_cuda() {
    fail(
        "this nasflat binary was built without CUDA; hint: use --device cpu, or rebuild on a "
        "machine where nvcc is found");
}
}  // namespace

int device_count() {
    return 0;
}
void* alloc(size_t) {
    no_cuda();
}
void free(void*) {}
void copy(void*, bool, const void*, bool, size_t) {
    no_cuda();
}
void zero(void*, size_t) {
    no_cuda();
}
void synchronize() {}

}  // namespace nasflat::kernels::cuda_glue
