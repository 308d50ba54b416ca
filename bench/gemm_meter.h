// gemm_meter.h — the GEMM rate inside a piece of work: while a GemmMeter lives, the CPU
// backend's gemm entry is wrapped so that each call's time and FLOPs (2 batch M N K) add up.
// bench_model divides the whole model's GFLOP/s by this rate ("model/gemm"): how close the
// non-GEMM work (gathers, SpMM, SDDMM, softmax, layer norm, gates) lets the model come to
// its own GEMMs at the model's own shapes, in the same run.
#pragma once

#include "kernels/kernels.h"

namespace nasflat::bench {

class GemmMeter {
public:
    explicit GemmMeter(kernels::Backend backend);  // a CPU backend
    ~GemmMeter();
    GemmMeter(const GemmMeter&) = delete;
    GemmMeter& operator=(const GemmMeter&) = delete;

    double gflops_per_second() const;  // of the GEMM calls since construction (0 if none)

private:
    kernels::Backend backend_;
    const kernels::KernelTable* before_;
    kernels::KernelTable wrapped_;
};

}  // namespace nasflat::bench
