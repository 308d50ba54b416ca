// test_attention.cpp — the transformer ops (autograd/ops.h): finite-difference gradients of gelu,
// masked_softmax and attention; their forward values against plain formulas written here (GELU's
// tanh form, a softmax over the allowed keys, per-head attention loops), with the nasty cases:
// fully masked rows, N = 1, one head, large logits, inf/NaN under the mask.
#include <cmath>

#include "autograd/ops.h"
#include "kernels/base/check.h"
#include "tests/test_util.h"

namespace nasflat::testing {
namespace {

using Inputs = std::vector<Tensor>;

class Attention : public ::testing::Test {
  protected:
    CpuBackendGuard reference_{kernels::Backend::CpuReference};
    Rng rng_{5};
    Tensor rand(const Shape& s, float lo = -1, float hi = 1) {
        return Tensor::from_vector(random_values(rng_, shape_numel(s), lo, hi), s)
            .set_requires_grad(true);
    }
};

// (B, N, N) of 0/1: a self-loop-free pattern with query row 1 of every sequence fully masked.
Tensor mask_with_empty_row(int64_t B, int64_t N) {
    std::vector<float> m(B * N * N);
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t i = 0; i < N; ++i) {
            for (int64_t j = 0; j < N; ++j) {
                m[(b * N + i) * N + j] = i != 1 && ((i + j + b) % 3 != 0 || i == j) ? 1.0f : 0.0f;
            }
        }
    }
    return Tensor::from_vector(m, {B, N, N});
}

TEST_F(Attention, GeluGradientAndValues) {
    check_gradients("gelu", {rand({5, 7})},
                    [](const Inputs& x) { return gelu(scale(x[0], 4.0f)); });  // [-4, 4)
    const std::vector<float> xs = {-40, -6, -3, -1.5f, -0.3f, 0, 1e-4f, 0.7f, 2, 5, 40};
    for (auto backend : {kernels::Backend::CpuReference, kernels::Backend::CpuFast}) {
        CpuBackendGuard guard(backend);
        Tensor y = gelu(Tensor::from_vector(xs, {static_cast<int64_t>(xs.size())}));
        std::vector<float> want;
        for (float x : xs) {  // the tanh form, in double
            const double u = 0.7978845608028654 * (x + 0.044715 * double(x) * x * x);
            want.push_back(static_cast<float>(0.5 * x * (1.0 + std::tanh(u))));
        }
        expect_close(y.to_vector(), want, 1e-6f, 1e-5f, "gelu values");
    }
}

TEST_F(Attention, MaskedSoftmaxGradients) {
    Tensor mask = mask_with_empty_row(2, 5);
    check_gradients("masked_softmax", {rand({2, 5, 5}, -2, 2)},
                    [mask](const Inputs& x) { return masked_softmax(x[0], mask); });
    Tensor one = Tensor::full({3, 1}, 1.0f);
    check_gradients("masked_softmax len 1", {rand({3, 1})},
                    [one](const Inputs& x) { return masked_softmax(x[0], one); });
}

TEST_F(Attention, MaskedSoftmaxValuesOnNastyRows) {
    // Rows: ordinary; fully masked; huge logits; one allowed entry; inf and NaN under the mask.
    const float inf = INFINITY, nan = NAN;
    Tensor x = Tensor::from_vector({0.5f, -1.0f, 2.0f, 0.0f,       //
                                    3.0f, 1.0f, -2.0f, 7.0f,       //
                                    1e4f, 1e4f - 1.0f, -1e4f, 0,   //
                                    -50.0f, 4.0f, 1.0f, 2.0f,      //
                                    inf, 1.0f, nan, 2.0f},
                                   {5, 4});
    Tensor m = Tensor::from_vector({1, 1, 0, 1,  //
                                    0, 0, 0, 0,  //
                                    1, 1, 1, 0,  //
                                    1, 0, 0, 0,  //
                                    0, 1, 0, 1},
                                   {5, 4});
    const double e1 = std::exp(-1.0), e15 = std::exp(-1.5), e05 = std::exp(-0.5);
    const double s0 = 1 + e15 + e05, s2 = 1 + e1;
    const std::vector<float> want = {
        float(1 / s0), float(e15 / s0), 0, float(e05 / s0),   //
        0, 0, 0, 0,                                           //
        float(1 / s2), float(e1 / s2), 0, 0,                  //
        1, 0, 0, 0,                                           //
        0, float(e1 / s2), 0, float(1 / s2)};
    for (auto backend : {kernels::Backend::CpuReference, kernels::Backend::CpuFast}) {
        CpuBackendGuard guard(backend);
        Tensor xg = Tensor::from_vector(x.to_vector(), {5, 4}).set_requires_grad(true);
        Tensor y = masked_softmax(xg, m);
        expect_close(y.to_vector(), want, 1e-6f, 1e-5f, "masked_softmax values");
        sum_all(mul(y, Tensor::from_vector(random_values(rng_, 20), {5, 4}))).backward();
        for (int j = 0; j < 4; ++j) EXPECT_EQ(xg.grad_to_vector()[4 + j], 0.0f) << "masked row";
        for (float g : xg.grad_to_vector()) EXPECT_TRUE(std::isfinite(g));
    }
}

// Plain loops: for each sequence, head, query: softmax over allowed keys of q.k / sqrt(dh), then
// the weighted sum of v; zeros for a query with no allowed key.
std::vector<float> attention_by_loops(const Tensor& q, const Tensor& k, const Tensor& v,
                                      const Tensor& mask, int heads) {
    const int64_t B = q.dim(0), N = q.dim(1), D = q.dim(2), dh = D / heads;
    const auto Q = q.to_vector(), K = k.to_vector(), V = v.to_vector(), M = mask.to_vector();
    std::vector<float> out(B * N * D, 0.0f);
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t c = 0; c < heads; ++c) {
            for (int64_t i = 0; i < N; ++i) {
                std::vector<double> w(N, 0.0);
                double mx = -INFINITY, total = 0;
                for (int64_t j = 0; j < N; ++j) {
                    if (M[(b * N + i) * N + j] == 0) continue;
                    for (int64_t f = c * dh; f < (c + 1) * dh; ++f) {
                        w[j] += double(Q[(b * N + i) * D + f]) * K[(b * N + j) * D + f];
                    }
                    w[j] /= std::sqrt(double(dh));
                    mx = std::max(mx, w[j]);
                }
                for (int64_t j = 0; j < N; ++j) {
                    w[j] = M[(b * N + i) * N + j] == 0 ? 0.0 : std::exp(w[j] - mx);
                    total += w[j];
                }
                for (int64_t f = c * dh; f < (c + 1) * dh; ++f) {
                    double acc = 0;
                    for (int64_t j = 0; j < N; ++j) acc += w[j] * V[(b * N + j) * D + f];
                    out[(b * N + i) * D + f] = total > 0 ? float(acc / total) : 0.0f;
                }
            }
        }
    }
    return out;
}

TEST_F(Attention, ForwardMatchesLoopsAndGradientsHold) {
    struct Case {
        int64_t B, N, D;
        int heads;
    };
    for (const Case& c : {Case{2, 5, 6, 2}, Case{1, 1, 4, 2}, Case{3, 4, 6, 1}, Case{1, 6, 8, 4}}) {
        const std::string label = "attention B" + std::to_string(c.B) + " N" +
                                  std::to_string(c.N) + " D" + std::to_string(c.D) + " h" +
                                  std::to_string(c.heads);
        Tensor mask = c.N == 1 ? Tensor::full({c.B, 1, 1}, 1.0f) : mask_with_empty_row(c.B, c.N);
        Tensor q = rand({c.B, c.N, c.D}), k = rand({c.B, c.N, c.D}), v = rand({c.B, c.N, c.D});
        for (auto backend : {kernels::Backend::CpuReference, kernels::Backend::CpuFast}) {
            CpuBackendGuard guard(backend);
            expect_close(attention(q, k, v, mask, c.heads).to_vector(),
                         attention_by_loops(q, k, v, mask, c.heads), 1e-5f, 1e-4f, label);
        }
        check_gradients(label, {q, k, v}, [mask, c](const Inputs& x) {
            return attention(x[0], x[1], x[2], mask, c.heads);
        });
    }
    // Large logits: scores of +-1e3 saturate the softmax without overflow.
    Tensor q = scale(rand({1, 3, 2}), 1e3f), k = rand({1, 3, 2}), v = rand({1, 3, 2});
    Tensor all = Tensor::full({1, 3, 3}, 1.0f);
    Tensor out = attention(q, k, v, all, 1);
    for (float y : out.to_vector()) EXPECT_TRUE(std::isfinite(y));
    expect_close(out.to_vector(), attention_by_loops(q, k, v, all, 1), 1e-4f, 1e-4f,
                 "attention large logits");
}

TEST_F(Attention, BadInputsAreOneLineErrors) {
    Tensor q = rand({1, 3, 4}), mask = Tensor::full({1, 3, 3}, 1.0f);
    EXPECT_THROW(attention(q, q, q, mask, 3), Error);                          // 3 does not divide 4
    EXPECT_THROW(attention(q, q, rand({1, 3, 2}), mask, 2), Error);             // v shape
    EXPECT_THROW(attention(q, q, q, Tensor::full({1, 3, 2}, 1.0f), 2), Error);  // mask shape
    EXPECT_THROW(masked_softmax(q, Tensor::full({1, 3, 3}, 1.0f)), Error);      // mask shape
    EXPECT_THROW(masked_softmax(q, rand({1, 3, 4})), Error);  // a mask that requires grad
}

}  // namespace
}  // namespace nasflat::testing
