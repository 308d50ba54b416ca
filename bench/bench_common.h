// bench_common.h — shared pieces of the benchmarks in bench/: device arrays made from host
// vectors, timers (std::chrono on the CPU; CUDA events after a warm-up with an L2 flush before
// every rep), measured copy bandwidth, and the Runner, which validates every variant against the
// CPU reference in a first pass and times it in a second, collecting one Row per variant.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "autograd/buffer.h"
#include "kernels/kernels.h"
#include "kernels/base/memory.h"
#include "kernels/base/rng.h"

namespace nasflat::bench {

using kernels::Backend;
using kernels::KernelTable;

struct Options {
    bool quick = false;
    bool want_cpu = true, want_cuda = true;
    bool cuda_explicit = false;
    int64_t graphs = 0;  // 0: default for the mode
    int reps = 0;        // 0: default for the mode and device
};

// Arrays on a device, made from host vectors.
template <typename T>
class DevVec {
  public:
    DevVec() = default;
    DevVec(const std::vector<T>& host, Device device)
        : n_(host.size()), device_(device), buf_(Buffer::make(host.size() * sizeof(T), device)) {
        set(host);
    }
    T* get() const { return static_cast<T*>(buf_->data()); }
    void set(const std::vector<T>& host) {
        kernels::raw_copy(buf_->data(), device_, host.data(), Device::CPU, n_ * sizeof(T));
    }
    std::vector<T> host() const {
        std::vector<T> out(n_);
        kernels::raw_copy(out.data(), Device::CPU, buf_->data(), device_, n_ * sizeof(T));
        return out;
    }

  private:
    size_t n_ = 0;
    Device device_ = Device::CPU;
    BufferPtr buf_;
};
using DF = DevVec<float>;

// n floats uniform in [lo, hi), from their own seeded stream.
std::vector<float> random_floats(uint64_t seed, int64_t n, float lo = -1.0f, float hi = 1.0f);

// Median wall time of `reps` calls after one warm-up call (warm caches).
double time_cpu_ms(int reps, const std::function<void()>& fn);
// Median CUDA-event time of `reps` calls after 3 warm-up calls, flushing L2 before each rep.
// Throws in a build without CUDA.
double time_cuda_ms(int reps, const std::function<void()>& fn);
// Bandwidth of one core's memcpy (64 MiB) / a device-to-device copy (256 MiB), counting read
// and write bytes.
double cpu_copy_gbs();
double cuda_copy_gbs();

// The runner: pass 1 validates, pass 2 times; one row per (op, shape, variant).
enum class Pass { Validate, Time };

struct Row {
    std::string op, backend, shape;
    Device device;
    double ms, flops, bytes;
};

// One op at one shape: napkin math, tolerance and (in the validation pass) the reference.
struct Op {
    std::string name, shape;
    double flops = 0.0, bytes = 0.0;
    double tol = 1e-4;
    std::vector<float> want;
};

class Runner {
  public:
    Runner(const Options& opt, bool cuda_ok) : opt_(opt), cuda_ok_(cuda_ok) {}
    Pass pass = Pass::Validate;
    int mismatches = 0;
    std::vector<Row> rows;

    std::vector<Device> devices() const {
        std::vector<Device> d;
        if (opt_.want_cpu) d.push_back(Device::CPU);
        if (opt_.want_cuda && cuda_ok_) d.push_back(Device::CUDA);
        return d;
    }
    const KernelTable& ref() const { return kernels::kernel_table(Backend::CpuReference); }
    const KernelTable& table(Device d) const {
        return kernels::kernel_table(d == Device::CPU ? Backend::CpuFast : Backend::Cuda);
    }
    bool validating() const { return pass == Pass::Validate; }

    // Validates (reset, run, compare `result` with op.want within tol, default op.tol) or times
    // `run`, according to `pass`.
    void variant(const Op& op, const std::string& backend, Device d,
                 const std::function<void()>& reset, const std::function<void()>& run,
                 const std::function<std::vector<float>()>& result, double tol = -1.0);

  private:
    // max |got - want| / max |want|; non-finite output counts as infinitely wrong.
    static double rel_error(const std::vector<float>& got, const std::vector<float>& want);

    Options opt_;
    bool cuda_ok_;
};

// Prints the table: op | backend/version | shape | ms | GFLOP/s | GB/s | %copy.
void print_table(const std::vector<Row>& rows, double cpu_gbs, double cuda_gbs);

}  // namespace nasflat::bench
