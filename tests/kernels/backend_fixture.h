// backend_fixture.h — runs one kernel test body on every non-reference backend (CPU fast, and
// CUDA when a GPU is visible) and compares with the CPU reference on host data.
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "autograd/buffer.h"
#include "autograd/index.h"
#include "kernels/kernels.h"
#include "tests/test_util.h"

namespace nasflat::testing {

// A float or int array living on a device, made from host values.
template <typename T>
class DeviceArray {
public:
    DeviceArray(const std::vector<T>& host, Device device)
        : n_(host.size()), device_(device), buf_(Buffer::make(host.size() * sizeof(T), device)) {
        kernels::raw_copy(buf_->data(), device, host.data(), Device::CPU, n_ * sizeof(T));
    }
    T* data() { return static_cast<T*>(buf_->data()); }
    std::vector<T> host() const {
        std::vector<T> out(n_);
        kernels::raw_copy(out.data(), Device::CPU, buf_->data(), device_, n_ * sizeof(T));
        return out;
    }

private:
    size_t n_;
    Device device_;
    BufferPtr buf_;
};
using DFloat = DeviceArray<float>;
using DInt = DeviceArray<int32_t>;

class BackendTest : public ::testing::TestWithParam<kernels::Backend> {
protected:
    void SetUp() override {
        if (GetParam() == kernels::Backend::Cuda && !gpu_available()) {
            GTEST_SKIP() << "no CUDA GPU in this process";
        }
    }
    kernels::Backend backend() const { return GetParam(); }
    Device device() const {
        return GetParam() == kernels::Backend::Cuda ? Device::CUDA : Device::CPU;
    }
    const kernels::KernelTable& fast() const { return kernels::kernel_table(GetParam()); }
    const kernels::KernelTable& ref() const {
        return kernels::kernel_table(kernels::Backend::CpuReference);
    }
};

std::string backend_param_name(const ::testing::TestParamInfo<kernels::Backend>& info);

// A random block-diagonal batch: graph sizes from `sizes`, each node reading from a random
// subset of the nodes of its own graph (with `density`), as a CSR of (row = reader).
struct RandomGraphs {
    std::vector<int32_t> seg_ptr;
    std::vector<int32_t> rows, cols;  // edges (reader, source)
    int32_t num_nodes = 0;
};
RandomGraphs random_graphs(Rng& rng, const std::vector<int>& sizes, double density);

}  // namespace nasflat::testing

#define NASFLAT_INSTANTIATE_BACKENDS(suite)                                                \
    INSTANTIATE_TEST_SUITE_P(Backends, suite,                                              \
                             ::testing::Values(::nasflat::kernels::Backend::CpuFast,       \
                                               ::nasflat::kernels::Backend::Cuda),         \
                             ::nasflat::testing::backend_param_name)
