// test_help_model.cpp — the HELP model (models/help_model.h): the functional forward against a
// plain forward written with loops in double precision (both spaces, with and without the
// Z-modulation of the head), the Z-modulator's KL against its closed form, and the layout and
// initial values of the parameters.
#include <cmath>

#include "autograd/ops.h"
#include "models/help_model.h"
#include "tests/test_util.h"

namespace nasflat::testing {
namespace {

using models::HelpConfig;
using models::HelpSpace;
using Mat = std::vector<double>;  // row-major

// y (n, o) = x (n, i) @ w (i, o) + b (o)
Mat dense(const Mat& x, int n, int in, const std::vector<float>& w, const std::vector<float>& b,
          int out, bool relu) {
    Mat y(static_cast<size_t>(n) * out);
    for (int r = 0; r < n; ++r)
        for (int o = 0; o < out; ++o) {
            double s = b[o];
            for (int k = 0; k < in; ++k) s += x[r * in + k] * w[k * out + o];
            y[r * out + o] = relu ? std::max(0.0, s) : s;
        }
    return y;
}

// The plain forward of one architecture: HELP's layers one by one, theta as host values.
double plain_forward(const HelpConfig& c, const std::vector<std::vector<float>>& th,
                     const std::vector<float>& x, const std::vector<float>& adj,
                     const std::vector<float>& hw) {
    const int w = c.width;
    Mat arch;
    size_t k = 0;
    if (c.space == HelpSpace::Nb201) {
        const int nodes = 9;
        Mat h(x.begin(), x.end());
        int in = 8;
        for (int layer = 0; layer < 4; ++layer, k += 2) {
            const Mat hw_ = dense(h, nodes, in, th[k], std::vector<float>(w, 0.0f), w, false);
            Mat next(static_cast<size_t>(nodes) * w);
            for (int i = 0; i < nodes; ++i)
                for (int f = 0; f < w; ++f) {
                    double s = th[k + 1][f];
                    for (int j = 0; j < nodes; ++j) s += adj[i * nodes + j] * hw_[j * w + f];
                    next[i * w + f] = std::max(0.0, s);
                }
            h = next;
            in = w;
        }
        arch.assign(h.end() - w, h.end());  // the global node
    } else {
        arch = dense(Mat(x.begin(), x.end()), 1, 132, th[0], th[1], w, true);
        arch = dense(arch, 1, w, th[2], th[3], w, true);
        k = 4;
    }
    Mat g = dense(Mat(hw.begin(), hw.end()), 1, c.hw_dim, th[k], th[k + 1], w, true);
    g = dense(g, 1, w, th[k + 2], th[k + 3], w, true);
    k += 4;
    Mat cat = arch;
    cat.insert(cat.end(), g.begin(), g.end());
    Mat o = dense(cat, 1, 2 * w, th[k], th[k + 1], 2 * w, true);
    o = dense(o, 1, 2 * w, th[k + 2], th[k + 3], 2 * w, true);
    return dense(o, 1, 2 * w, th[k + 4], th[k + 5], 1, false)[0];
}

// Random one-hot-ish NB201 graphs: HELP's layout (features (9, 8), adjacency with self-loops
// and a global last row) filled with random 0/1 off the structure, enough to test the algebra.
void random_batch(Rng& rng, HelpSpace space, int n, std::vector<float>& x,
                  std::vector<float>& adj) {
    x.clear();
    adj.clear();
    const int fx = space == HelpSpace::Nb201 ? 72 : 132;
    for (int i = 0; i < n * fx; ++i) x.push_back(rng.uniform() < 0.3 ? 1.0f : 0.0f);
    if (space == HelpSpace::Nb201)
        for (int i = 0; i < n * 81; ++i) adj.push_back(rng.uniform() < 0.4 ? 1.0f : 0.0f);
}

class HelpModelForward : public ::testing::TestWithParam<HelpSpace> {};

TEST_P(HelpModelForward, FunctionalForwardEqualsPlainForward) {
    HelpConfig c;
    c.space = GetParam();
    c.width = 6;
    models::HelpParams params(c, 3);
    Rng rng(11);
    const int n = 5;
    std::vector<float> x, adj;
    random_batch(rng, c.space, n, x, adj);
    models::HelpBatch batch;
    if (c.space == HelpSpace::Nb201) {
        batch.x = Tensor::from_vector(x, {n, 9, 8});
        batch.adj = Tensor::from_vector(adj, {n, 9, 9});
    } else {
        batch.x = Tensor::from_vector(x, {n, 132});
    }
    const std::vector<float> hw = random_values(rng, 10, 0.0f, 1.0f);
    const Tensor hw_t = Tensor::from_vector(hw, {10});
    for (bool modulated : {false, true}) {
        std::vector<Tensor> th = params.theta();
        if (modulated) {
            const models::HelpZ z =
                models::help_z(c, params.znet(), hw_t, random_values(rng, c.z_dim(), -2.0f, 2.0f));
            th = models::help_modulate(c, th, z.z);
        }
        std::vector<std::vector<float>> host;
        for (const Tensor& t : th) host.push_back(t.to_vector());
        const std::vector<float> got = models::help_forward(c, th, batch, hw_t).to_vector();
        ASSERT_EQ(got.size(), static_cast<size_t>(n));
        std::vector<float> want;
        const size_t fx = x.size() / n, fa = adj.size() / n;
        for (int a = 0; a < n; ++a) {
            const std::vector<float> xa(x.begin() + a * fx, x.begin() + (a + 1) * fx);
            const std::vector<float> aa =
                adj.empty() ? std::vector<float>()
                            : std::vector<float>(adj.begin() + a * fa, adj.begin() + (a + 1) * fa);
            want.push_back(static_cast<float>(plain_forward(c, host, xa, aa, hw)));
        }
        expect_close(got, want, 1e-5f, 1e-4f, modulated ? "modulated" : "plain");
    }
}

INSTANTIATE_TEST_SUITE_P(Spaces, HelpModelForward,
                         ::testing::Values(HelpSpace::Nb201, HelpSpace::Fbnet));

TEST(HelpModel, ModulationScalesHeadRowsAndShiftsBiases) {
    HelpConfig c;
    c.width = 2;  // head 4, z 15
    models::HelpParams params(c, 5);
    std::vector<float> zv(c.z_dim());
    for (size_t i = 0; i < zv.size(); ++i) zv[i] = static_cast<float>(i) - 3.0f;
    const auto th = models::help_modulate(c, params.theta(), Tensor::from_vector(zv, {15}));
    const size_t fc3 = th.size() - 6;
    for (int l = 0; l < 3; ++l) {
        const auto w0 = params.theta()[fc3 + 2 * l].to_vector();
        const auto w1 = th[fc3 + 2 * l].to_vector();
        const int out = l == 2 ? 1 : 4;
        for (int r = 0; r < 4; ++r)
            for (int o = 0; o < out; ++o)
                EXPECT_FLOAT_EQ(w1[r * out + o], w0[r * out + o] * (1 + 0.01f * zv[l * 4 + r]));
        const auto b0 = params.theta()[fc3 + 2 * l + 1].to_vector();
        const auto b1 = th[fc3 + 2 * l + 1].to_vector();
        for (int o = 0; o < out; ++o) EXPECT_FLOAT_EQ(b1[o], b0[o] + 0.01f * zv[12 + l]);
    }
    for (size_t i = 0; i < fc3; ++i)
        EXPECT_EQ(th[i].to_vector(), params.theta()[i].to_vector());  // the rest untouched
}

TEST(HelpModel, KlMatchesTheClosedForm) {
    HelpConfig c;
    c.width = 3;
    models::HelpParams params(c, 9);
    Rng rng(4);
    const std::vector<float> hw = random_values(rng, 10, 0.0f, 1.0f);
    const std::vector<float> eps = random_values(rng, c.z_dim(), -1.0f, 1.0f);
    const models::HelpZ z = models::help_z(c, params.znet(), Tensor::from_vector(hw, {10}), eps);
    // The modulator by hand: stats = W2 relu(W1 hw + b1) + b2; mu, softplus(sigma raw).
    const auto w1 = params.znet()[0].to_vector(), b1 = params.znet()[1].to_vector();
    const auto w2 = params.znet()[2].to_vector(), b2 = params.znet()[3].to_vector();
    const Mat hidden = dense(Mat(hw.begin(), hw.end()), 1, 10, w1, b1, 10, true);
    const int zd = c.z_dim();
    const Mat stats = dense(hidden, 1, 10, w2, b2, 2 * zd, false);
    double kl = 0;
    std::vector<float> zs;
    for (int i = 0; i < zd; ++i) {
        const double mu = stats[i], sigma = std::log1p(std::exp(stats[zd + i]));
        kl += std::log(1.0 / sigma) + (sigma * sigma + mu * mu) / 2.0 - 0.5;
        zs.push_back(static_cast<float>(mu + sigma * eps[i]));
    }
    EXPECT_NEAR(z.kl.item(), kl, 1e-4 * std::max(1.0, std::fabs(kl)));
    expect_close(z.z.to_vector(), zs, 1e-5f, 1e-5f, "z");
    // KL = 0 exactly at mu = 0, sigma = 1: the closed form's minimum.
    EXPECT_GE(z.kl.item(), 0.0f);
}

TEST(HelpModel, ParameterLayoutAndInitialisation) {
    HelpConfig c;  // the paper's sizes
    models::HelpParams params(c, 1, 1e-3f);
    const auto layout = models::help_theta_layout(c);
    ASSERT_EQ(params.theta().size(), layout.size());
    EXPECT_EQ(layout.front().second, (Shape{8, 100}));
    EXPECT_EQ(layout[layout.size() - 2].second, (Shape{200, 1}));
    EXPECT_EQ(c.z_dim(), 603);
    EXPECT_EQ(params.znet()[2].shape(), (Shape{10, 1206}));
    for (float v : params.theta()[0].to_vector()) EXPECT_LE(std::fabs(v), 0.05f);
    for (const Tensor& a : params.alpha())
        for (float v : a.to_vector()) EXPECT_FLOAT_EQ(v, 1e-3f);
    // Same seed, same values; the store holds theta, alpha and the modulator.
    models::HelpParams again(c, 1, 1e-3f);
    EXPECT_EQ(params.store().values_to_host(), again.store().values_to_host());
    EXPECT_EQ(params.store().tensors().size(), 2 * layout.size() + 4);
}

}  // namespace
}  // namespace nasflat::testing
