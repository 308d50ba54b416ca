// test_util.cpp — see test_util.h.
#include "tests/test_util.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "autograd/ops.h"
#include "kernels/base/memory.h"

namespace nasflat::testing {

void expect_close(const std::vector<float>& got, const std::vector<float>& ref, float atol,
                  float rtol, const std::string& label) {
    ASSERT_EQ(got.size(), ref.size()) << label << ": sizes differ";
    size_t bad = 0, worst = 0;
    double worst_excess = -1.0;
    std::ostringstream first;
    for (size_t i = 0; i < got.size(); ++i) {
        double diff = std::fabs(static_cast<double>(got[i]) - ref[i]);
        double allowed = atol + rtol * std::fabs(static_cast<double>(ref[i]));
        bool ok = diff <= allowed && std::isfinite(got[i]) == std::isfinite(ref[i]);
        if (!ok) {
            if (bad < 5) first << "  [" << i << "] got " << got[i] << " ref " << ref[i] << "\n";
            ++bad;
        }
        double excess = diff - allowed;
        if (std::isnan(got[i]) != std::isnan(ref[i])) excess = INFINITY;
        if (excess > worst_excess) {
            worst_excess = excess;
            worst = i;
        }
    }
    EXPECT_EQ(bad, 0u) << label << ": " << bad << " of " << got.size()
                       << " elements differ (atol " << atol << ", rtol " << rtol << ")\n"
                       << first.str() << "  worst [" << worst << "] got "
                       << (got.empty() ? 0.f : got[worst]) << " ref "
                       << (ref.empty() ? 0.f : ref[worst]);
}

std::vector<float> random_values(Rng& rng, size_t n, float lo, float hi) {
    std::vector<float> v(n);
    for (auto& x : v) x = static_cast<float>(rng.uniform(lo, hi));
    return v;
}

std::vector<float> random_away_from_zero(Rng& rng, size_t n, float gap) {
    std::vector<float> v(n);
    for (auto& x : v) {
        float mag = static_cast<float>(rng.uniform(gap, 1.0));
        x = rng.uniform() < 0.5 ? -mag : mag;
    }
    return v;
}

Tensor random_tensor(Rng& rng, const Shape& shape, bool requires_grad, Device device) {
    Tensor t = Tensor::from_vector(random_values(rng, static_cast<size_t>(shape_numel(shape))),
                                   shape, device);
    t.set_requires_grad(requires_grad);
    return t;
}

void check_gradients(const std::string& label, std::vector<Tensor> inputs,
                     const std::function<Tensor(const std::vector<Tensor>&)>& f, float eps,
                     float tol, uint64_t seed) {
    Rng rng(seed);
    Tensor probe = f(inputs);
    Tensor weights = Tensor::from_vector(random_values(rng, static_cast<size_t>(probe.numel())),
                                         probe.shape(), probe.device());
    auto scalar_loss = [&](const std::vector<Tensor>& xs) {
        return sum_all(mul(f(xs), weights));
    };
    for (auto& x : inputs) x.zero_grad();
    scalar_loss(inputs).backward();
    for (size_t k = 0; k < inputs.size(); ++k) {
        Tensor& x = inputs[k];
        if (!x.requires_grad()) continue;
        std::vector<float> analytic = x.grad_to_vector();
        std::vector<float> values = x.to_vector();
        NoGradGuard no_grad;
        for (size_t i = 0; i < values.size(); ++i) {
            float saved = values[i];
            values[i] = saved + eps;
            x.copy_from(values);
            double up = scalar_loss(inputs).item();
            values[i] = saved - eps;
            x.copy_from(values);
            double down = scalar_loss(inputs).item();
            values[i] = saved;
            x.copy_from(values);
            double numeric = (up - down) / (2.0 * eps);
            double scale = std::max({std::fabs(numeric), std::fabs(static_cast<double>(analytic[i])), 1.0});
            EXPECT_LE(std::fabs(numeric - analytic[i]), tol * scale)
                << label << ": input " << k << " element " << i << " analytic " << analytic[i]
                << " numeric " << numeric;
        }
    }
}

bool gpu_available() { return kernels::cuda_available(); }

std::string data_dir() {
    if (const char* env = std::getenv("NASFLAT_DATA")) {
        if (std::filesystem::exists(std::string(env) + "/manifest.json")) return env;
    }
    // The source folder comes from CMake: __FILE__ is relative under ccache's base_dir, and the
    // data-backed tests would skip without a word.
    std::filesystem::path shared =
        std::filesystem::path(NASFLAT_SOURCE_DIR).parent_path() / "shared" / "data";
    if (std::filesystem::exists(shared / "manifest.json")) return shared.string();
    return "";
}

}  // namespace nasflat::testing
