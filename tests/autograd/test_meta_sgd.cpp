// test_meta_sgd.cpp — second-order meta-gradients through grad(..., create_graph=true) on
// Meta-SGD: parameters theta and a learnable per-parameter inner rate alpha; two inner steps
// theta <- theta - alpha * dL_in/dtheta; the meta-loss L_out at the adapted parameters. The
// engine's d L_out / d theta and d L_out / d alpha must match central differences of the whole
// procedure, and the first-order variant (inner gradients detached) must differ measurably.
// Model: a small regression, sigmoid(W2 relu(X W1 + b1) + b2), mean squared error.
#include <algorithm>
#include <cmath>

#include "autograd/grad.h"
#include "autograd/ops.h"
#include "tests/test_util.h"

namespace nasflat::testing {
namespace {

struct Task {
    Tensor x_in, y_in, x_out, y_out;  // (n, 3) and (n) each: support and query sets
};

// Predictions (n) and the smallest |pre-activation| of the hidden ReLU (its kink distance).
Tensor predict(const std::vector<Tensor>& th, const Tensor& x, float* kink_distance) {
    Tensor pre = linear(x, th[0], th[1]);
    if (kink_distance) {
        for (float v : pre.to_vector()) *kink_distance = std::min(*kink_distance, std::fabs(v));
    }
    return reshape(sigmoid(linear(relu(pre), th[2], th[3])), {x.dim(0)});
}

// L_out(theta'') after two inner steps; second_order = false detaches the inner gradients
// (first-order Meta-SGD).
Tensor meta_loss(const Task& task, const std::vector<Tensor>& theta,
                 const std::vector<Tensor>& alpha, bool second_order,
                 float* kink_distance = nullptr) {
    std::vector<Tensor> th = theta;
    for (int step = 0; step < 2; ++step) {
        Tensor inner = mse_loss(predict(th, task.x_in, kink_distance), task.y_in);
        const std::vector<Tensor> g = grad(inner, th, second_order);
        for (size_t i = 0; i < th.size(); ++i) th[i] = sub(th[i], mul(alpha[i], g[i]));
    }
    return mse_loss(predict(th, task.x_out, kink_distance), task.y_out);
}

class MetaSgd : public ::testing::Test {
  protected:
    CpuBackendGuard reference_{kernels::Backend::CpuReference};
    Rng rng_{17};
    Task task_;
    std::vector<Tensor> theta_, alpha_;

    void SetUp() override {
        auto data = [&](const Shape& s, float lo, float hi) {
            return Tensor::from_vector(random_values(rng_, shape_numel(s), lo, hi), s);
        };
        task_ = {data({6, 3}, -1, 1), data({6}, 0.1f, 0.9f), data({5, 3}, -1, 1),
                 data({5}, 0.1f, 0.9f)};
        const std::vector<Shape> shapes = {{3, 4}, {4}, {4, 1}, {1}};
        for (const Shape& s : shapes) {
            theta_.push_back(data(s, -1.5f, 1.5f).set_requires_grad(true));
            alpha_.push_back(data(s, 1.0f, 3.0f).set_requires_grad(true));  // large: steps matter
        }
    }

    std::vector<Tensor> params() const {
        std::vector<Tensor> all = theta_;
        all.insert(all.end(), alpha_.begin(), alpha_.end());
        return all;
    }

    // Central differences of the whole procedure, one element at a time.
    std::vector<float> numeric_meta_gradient(float eps) {
        std::vector<float> out;
        for (Tensor p : params()) {  // shares the parameter's values
            std::vector<float> values = p.to_vector();
            for (size_t k = 0; k < values.size(); ++k) {
                double side[2];
                for (int s = 0; s < 2; ++s) {
                    std::vector<float> moved = values;
                    moved[k] += s ? -eps : eps;
                    p.copy_from(moved);
                    side[s] = meta_loss(task_, theta_, alpha_, false).item();
                }
                p.copy_from(values);
                out.push_back(static_cast<float>((side[0] - side[1]) / (2.0 * eps)));
            }
        }
        return out;
    }
};

std::vector<float> flat(const std::vector<Tensor>& ts) {
    std::vector<float> all;
    for (const Tensor& t : ts) {
        const auto v = t.to_vector();
        all.insert(all.end(), v.begin(), v.end());
    }
    return all;
}

TEST_F(MetaSgd, SecondOrderMetaGradientMatchesFiniteDifferences) {
    float kink = INFINITY;
    Tensor loss = meta_loss(task_, theta_, alpha_, true, &kink);
    // The differences below move parameters by 1e-2 and the inner steps follow: ReLU inputs
    // stay well clear of 0 along the whole procedure, so it is smooth there.
    ASSERT_GT(kink, 0.03f);
    const std::vector<float> engine = flat(grad(loss, params(), false));
    // backward() through the same second-order graph accumulates the same meta-gradient.
    loss.backward();
    std::vector<float> accumulated;
    for (const Tensor& p : params()) {
        const auto g = p.grad_to_vector();
        accumulated.insert(accumulated.end(), g.begin(), g.end());
    }
    EXPECT_EQ(accumulated, engine);
    const std::vector<float> numeric = numeric_meta_gradient(1e-2f);
    // float32 losses (~1e-1) differenced over 2e-2: ~1e-6 rounding, plus eps^2 truncation
    // (measured: 2e-6 at most on meta-gradients of 1e-3 to 2e-2).
    expect_close(engine, numeric, 2e-5f, 1e-2f, "meta-gradient (theta, alpha)");
}

TEST_F(MetaSgd, FirstOrderVariantDiffersMeasurably) {
    const std::vector<float> second = flat(grad(meta_loss(task_, theta_, alpha_, true), params()));
    const std::vector<float> first = flat(grad(meta_loss(task_, theta_, alpha_, false), params()));
    ASSERT_EQ(first.size(), second.size());
    double diff = 0.0, norm = 0.0;
    for (size_t k = 0; k < first.size(); ++k) {
        diff += (first[k] - second[k]) * (first[k] - second[k]);
        norm += second[k] * second[k];
    }
    // The dropped Hessian terms change the meta-gradient by far more than float rounding.
    EXPECT_GT(std::sqrt(diff), 0.05 * std::sqrt(norm))
        << "first-order and second-order meta-gradients nearly agree";
    // The inner gradients of the first-order variant carry no graph: alpha still gets a
    // gradient through alpha * g, theta only through the identity path.
    EXPECT_NE(std::vector<float>(first.begin() + 21, first.end()), std::vector<float>(21, 0.0f));
}

}  // namespace
}  // namespace nasflat::testing
