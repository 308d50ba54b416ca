// test_util.h — helpers shared by every test suite: closeness checks that print the worst
// index, random data, and the finite-difference gradient check.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "autograd/tensor.h"
#include "kernels/base/rng.h"

namespace nasflat::testing {

// EXPECTs |got - ref| <= atol + rtol |ref| element-wise; on failure prints the first few
// mismatches and the worst index under `label`.
void expect_close(const std::vector<float>& got, const std::vector<float>& ref, float atol,
                  float rtol, const std::string& label);

// n values uniform in [lo, hi).
std::vector<float> random_values(Rng& rng, size_t n, float lo = -1.0f, float hi = 1.0f);
// Values uniform in [lo, hi) kept at least `gap` away from 0 (away from ReLU's kink).
std::vector<float> random_away_from_zero(Rng& rng, size_t n, float gap = 0.05f);
Tensor random_tensor(Rng& rng, const Shape& shape, bool requires_grad = false,
                     Device device = Device::CPU);

// Finite-difference check of every input's gradient. `f` maps the inputs to any tensor; the
// scalar checked is L = sum(f(x) * R) with a fixed random R. Central differences with step
// `eps` in float64 bookkeeping; |analytic - numeric| <= tol * max(|analytic|, |numeric|, 1).
void check_gradients(const std::string& label, std::vector<Tensor> inputs,
                     const std::function<Tensor(const std::vector<Tensor>&)>& f,
                     float eps = 1e-2f, float tol = 1e-2f, uint64_t seed = 7);

// True when a CUDA GPU is usable in this process.
bool gpu_available();

// The data folder for tests that read the real dataset, or "" when none is found
// ($NASFLAT_DATA, then ../shared/data relative to the source tree).
std::string data_dir();

}  // namespace nasflat::testing
