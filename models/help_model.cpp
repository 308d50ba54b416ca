// help_model.cpp — see help_model.h for the formulas.
#include "models/help_model.h"

#include <cmath>

#include "autograd/ops.h"
#include "kernels/base/check.h"
#include "kernels/base/rng.h"
#include "models/layers.h"

namespace nasflat::models {

std::vector<std::pair<std::string, Shape>> help_theta_layout(const HelpConfig& c) {
    const int64_t w = c.width, h = c.head();
    std::vector<std::pair<std::string, Shape>> out;
    if (c.space == HelpSpace::Nb201) {
        for (int i = 1; i <= 4; ++i) {
            const std::string name = "gc" + std::to_string(i);
            out.push_back({name + ".weight", {i == 1 ? kHelpNb201Features : w, w}});
            out.push_back({name + ".bias", {w}});
        }
    } else {
        out.push_back({"fc1.weight", {kHelpFbnetFeatures, w}});
        out.push_back({"fc1.bias", {w}});
        out.push_back({"fc2.weight", {w, w}});
        out.push_back({"fc2.bias", {w}});
    }
    out.push_back({"fc_hw1.weight", {c.hw_dim, w}});
    out.push_back({"fc_hw1.bias", {w}});
    out.push_back({"fc_hw2.weight", {w, w}});
    out.push_back({"fc_hw2.bias", {w}});
    out.push_back({"fc3.weight", {h, h}});
    out.push_back({"fc3.bias", {h}});
    out.push_back({"fc4.weight", {h, h}});
    out.push_back({"fc4.bias", {h}});
    out.push_back({"fc5.weight", {h, 1}});
    out.push_back({"fc5.bias", {1}});
    return out;
}

HelpParams::HelpParams(const HelpConfig& config, uint64_t seed, float alpha_init)
    : config_(config) {
    NASFLAT_CHECK(config.width > 0 && config.hw_dim > 0 && config.z_hidden > 0,
                  "HelpParams: width, hw_dim and z_hidden must be positive");
    Rng rng(seed);
    int64_t fan_in = 1;  // of the last weight: its bias shares the bound
    for (const auto& [name, shape] : help_theta_layout(config)) {
        Tensor t = store_.add("theta." + name, shape);
        const bool gcn = name.rfind("gc", 0) == 0;
        if (shape.size() == 2) fan_in = shape[0];
        // GCN: weight U(+-0.05) (HELP's init_weights), bias U(+-1/sqrt(out)) (its
        // reset_parameters); linear: U(+-1/sqrt(in)) for both (PyTorch's nn.Linear).
        float bound = 1.0f / std::sqrt(static_cast<float>(fan_in));
        if (gcn) bound = shape.size() == 2 ? 0.05f : 1.0f / std::sqrt(static_cast<float>(shape[0]));
        init_uniform(t, rng, bound);
        theta_.push_back(t);
    }
    for (const auto& [name, shape] : help_theta_layout(config)) {
        Tensor a = store_.add("alpha." + name, shape);
        init_constant(a, alpha_init);
        alpha_.push_back(a);
    }
    const int64_t d = config.hw_dim, k = config.z_hidden, z2 = 2 * config.z_dim();
    const std::vector<std::pair<std::string, Shape>> zl = {
        {"z.w1", {d, k}}, {"z.b1", {k}}, {"z.w2", {k, z2}}, {"z.b2", {z2}}};
    for (size_t i = 0; i < zl.size(); ++i) {
        Tensor t = store_.add(zl[i].first, zl[i].second);
        init_uniform(t, rng, 1.0f / std::sqrt(float(i < 2 ? d : k)));
        znet_.push_back(t);
    }
    store_.pack(Device::CPU);
    // pack() moved the values: take the handles again, in registration order.
    const std::vector<Tensor>& all = store_.tensors();
    const size_t n = theta_.size();
    for (size_t i = 0; i < n; ++i) {
        theta_[i] = all[i];
        alpha_[i] = all[n + i];
    }
    for (size_t i = 0; i < znet_.size(); ++i) znet_[i] = all[2 * n + i];
}

namespace {

Tensor linear_relu(const Tensor& x, const Tensor& w, const Tensor& b) {
    return relu(linear(x, w, b));
}

}  // namespace

Tensor help_forward(const HelpConfig& c, const std::vector<Tensor>& th, const HelpBatch& batch,
                    const Tensor& hw) {
    const size_t expected = help_theta_layout(c).size();
    NASFLAT_CHECK(th.size() == expected, "help_forward: ", expected, " parameter tensors, got ",
                  th.size());
    NASFLAT_CHECK(hw.numel() == c.hw_dim, "help_forward: the hardware embedding has ", c.hw_dim,
                  " values, got ", hw.numel());
    const int64_t n = batch.size();
    Tensor arch;
    size_t k = 0;
    if (c.space == HelpSpace::Nb201) {
        NASFLAT_CHECK(batch.adj.defined() && batch.adj.ndim() == 3 && batch.x.ndim() == 3,
                      "help_forward: an NB201 batch needs features (B, 9, 8) and adjacency "
                      "(B, 9, 9)");
        Tensor h = batch.x;
        for (int layer = 0; layer < 4; ++layer, k += 2) {
            // A (H W) + b: (B, 9, F) @ (F, W) row-wise, then the batched (B, 9, 9) product.
            h = relu(add(matmul(batch.adj, matmul(h, th[k])), th[k + 1]));
        }
        const int64_t nodes = h.dim(1);
        arch = reshape(slice(h, 1, nodes - 1, 1), {n, c.width});  // the global node
    } else {
        arch = linear_relu(linear_relu(batch.x, th[0], th[1]), th[2], th[3]);
        k = 4;
    }
    Tensor g = linear_relu(reshape(hw, {1, c.hw_dim}), th[k], th[k + 1]);
    g = reshape(linear_relu(g, th[k + 2], th[k + 3]), {c.width});
    k += 4;
    Tensor out = concat({arch, expand_dim(g, {n, c.width}, 0, 1.0f)}, 1);
    out = linear_relu(out, th[k], th[k + 1]);
    out = linear_relu(out, th[k + 2], th[k + 3]);
    out = linear(out, th[k + 4], th[k + 5]);
    return reshape(out, {n});
}

HelpZ help_z(const HelpConfig& c, const std::vector<Tensor>& znet, const Tensor& hw,
             const std::vector<float>& eps) {
    const int64_t zd = c.z_dim();
    NASFLAT_CHECK(znet.size() == 4, "help_z: 4 modulator tensors, got ", znet.size());
    NASFLAT_CHECK(static_cast<int64_t>(eps.size()) == zd, "help_z: ", zd, " noise values, got ",
                  eps.size());
    Tensor stats =
        linear(relu(linear(reshape(hw, {1, c.hw_dim}), znet[0], znet[1])), znet[2], znet[3]);
    stats = reshape(stats, {2 * zd});
    HelpZ out;
    out.mu = slice(stats, 0, 0, zd);
    out.sigma = softplus(slice(stats, 0, zd, zd));
    out.z = add(out.mu, mul(out.sigma, Tensor::from_vector(eps, {zd})));
    // KL(N(mu, s) || N(0, 1)) = (s^2 + mu^2) / 2 - log s - 1/2, summed over the Z values.
    Tensor terms =
        sub(scale(add(mul(out.sigma, out.sigma), mul(out.mu, out.mu)), 0.5f), log(out.sigma));
    out.kl = add(sum_all(terms), Tensor::full({1}, -0.5f * static_cast<float>(zd)));
    return out;
}

std::vector<Tensor> help_modulate(const HelpConfig& c, const std::vector<Tensor>& theta,
                                  const Tensor& z) {
    const int64_t h = c.head();
    NASFLAT_CHECK(z.numel() == c.z_dim(), "help_modulate: z has ", c.z_dim(), " values, got ",
                  z.numel());
    std::vector<Tensor> out = theta;
    const size_t first = theta.size() - 6;  // fc3.weight
    for (int l = 0; l < 3; ++l) {
        Tensor& w = out[first + 2 * l];
        Tensor& b = out[first + 2 * l + 1];
        Tensor s = add(scale(slice(z, 0, l * h, h), c.z_scale), Tensor::full({h}, 1.0f));
        w = mul(w, expand_dim(s, w.shape(), 1, 1.0f));  // row k (input k) times s[k]
        b = add(b, scale(slice(z, 0, 3 * h + l, 1), c.z_scale));
    }
    return out;
}

}  // namespace nasflat::models
