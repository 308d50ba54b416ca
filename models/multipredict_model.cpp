// multipredict_model.cpp — see multipredict_model.h for the architecture and initialisation.
#include "models/multipredict_model.h"

#include <cmath>

#include "kernels/base/check.h"
#include "kernels/base/memory.h"

namespace nasflat::models {

namespace {

// A Linear whose weight is N(0, sqrt(2 / (in + out))) and bias N(0, sqrt(1 / in)): the head
// init of the authors' MultiPredict code.
Linear head_linear(ParameterStore& params, Rng& rng, const std::string& name, int in, int out) {
    Linear l;
    l.w = params.add(name + ".w", {in, out});
    init_normal(l.w, rng, std::sqrt(2.0f / static_cast<float>(in + out)));
    l.b = params.add(name + ".b", {out});
    init_normal(l.b, rng, std::sqrt(1.0f / static_cast<float>(in)));
    return l;
}

}  // namespace

MultiPredictModel::MultiPredictModel(const MultiPredictConfig& c, uint64_t seed, Device device)
    : config_(c) {
    NASFLAT_CHECK(c.num_devices >= 1 && c.hw_dim >= 1 && c.arch_dim >= 1 && c.head_width >= 1,
                  "MultiPredictModel: devices, hw_dim, arch_dim and head_width must be >= 1");
    Rng rng(seed);
    const bool graph = c.input == MultiPredictInput::Graph;
    if (graph) {
        NASFLAT_CHECK(c.num_nodes >= 1 && c.node_features >= 1 && c.gcn_width >= 1 &&
                          c.gcn_layers >= 1 && c.zcp_dim >= 0,
                      "MultiPredictModel: bad graph sizes");
        int in = c.node_features;
        for (int l = 0; l < c.gcn_layers; ++l) {
            gcn_.push_back(Linear::make(params_, rng, "gcn" + std::to_string(l), in, c.gcn_width,
                                        true, 0.05f));
            in = c.gcn_width;
        }
        arch_.push_back(Linear::make(params_, rng, "fc3", c.gcn_width, c.gcn_width));
        arch_.push_back(Linear::make(params_, rng, "fc4", c.gcn_width, c.gcn_width));
        arch_.push_back(Linear::make(params_, rng, "fc5", c.gcn_width, c.arch_dim));
    } else {
        NASFLAT_CHECK(c.vector_dim >= 1 && c.vector_hidden >= 1, "MultiPredictModel: bad vector "
                      "sizes");
        arch_.push_back(Linear::make(params_, rng, "fc1", c.vector_dim, c.vector_hidden));
        arch_.push_back(Linear::make(params_, rng, "fc2", c.vector_hidden, c.vector_hidden));
        arch_.push_back(Linear::make(params_, rng, "fc3", c.vector_hidden, c.arch_dim));
    }
    hw_table_ = params_.add("hw_emb", {c.num_devices, c.hw_dim});
    init_normal(hw_table_, rng, 1.0f);
    const int head_in = c.arch_dim + c.hw_dim + (graph ? c.zcp_dim : 0);
    head_.push_back(head_linear(params_, rng, "head0", head_in, c.head_width));
    head_.push_back(head_linear(params_, rng, "head1", c.head_width, c.head_width));
    head_.push_back(head_linear(params_, rng, "head2", c.head_width, 1));
    params_.pack(device);
}

Tensor MultiPredictModel::forward(const MultiPredictBatch& b) const {
    const MultiPredictConfig& c = config_;
    const int64_t B = b.size;
    NASFLAT_CHECK(b.devices.size() == B, "MultiPredictModel::forward: ", b.devices.size(),
                  " device rows for ", B, " archs");
    std::vector<Tensor> head_in;
    if (c.input == MultiPredictInput::Graph) {
        const int64_t N = c.num_nodes;
        NASFLAT_CHECK(b.features.numel() == B * N * c.node_features &&
                          b.adjacency.numel() == B * N * N,
                      "MultiPredictModel::forward: features ", shape_str(b.features.shape()),
                      " / adjacency ", shape_str(b.adjacency.shape()), " do not hold ", B,
                      " graphs of ", N, " nodes");
        // 1. GCN: h (B N, I) -> ReLU(A (h W) + b) (B N, H), A applied per graph.
        Tensor h = b.features;
        for (const Linear& l : gcn_) {
            Tensor hw = reshape(matmul(h, l.w), {B, N, c.gcn_width});
            h = relu(add(matmul(b.adjacency, hw), l.b));
            h = reshape(h, {B * N, c.gcn_width});
        }
        // 2. readout: the global node (the last of each graph), then fc3, fc4, fc5.
        Tensor g = reshape(slice(reshape(h, {B, N, c.gcn_width}), 1, N - 1, 1),
                           {B, c.gcn_width});
        g = relu(arch_[0](g));
        g = relu(arch_[1](g));
        head_in.push_back(arch_[2](g));
    } else {
        NASFLAT_CHECK(b.vector.numel() == B * c.vector_dim, "MultiPredictModel::forward: vector ",
                      shape_str(b.vector.shape()), " is not (", B, ", ", c.vector_dim, ")");
        Tensor g = relu(arch_[0](b.vector));
        g = relu(arch_[1](g));
        head_in.push_back(relu(arch_[2](g)));
    }
    // 3. the device rows, and (graph) the proxies, beside the arch features.
    head_in.push_back(embedding(hw_table_, b.devices));
    if (c.input == MultiPredictInput::Graph && c.zcp_dim > 0) {
        NASFLAT_CHECK(b.zcp.numel() == B * c.zcp_dim, "MultiPredictModel::forward: zcp ",
                      shape_str(b.zcp.shape()), " is not (", B, ", ", c.zcp_dim, ")");
        head_in.push_back(b.zcp);
    }
    // 4. head -> sigmoid.
    Tensor x = concat(head_in, 1);
    x = relu(head_[0](x));
    x = relu(head_[1](x));
    return reshape(sigmoid(head_[2](x)), {B});
}

void MultiPredictModel::copy_device_row(int dst, int src) {
    NASFLAT_CHECK(dst >= 0 && src >= 0 && dst < config_.num_devices && src < config_.num_devices,
                  "copy_device_row: rows ", dst, " and ", src, " must lie in [0, ",
                  config_.num_devices, ")");
    const int64_t w = config_.hw_dim;
    float* base = hw_table_.data();
    kernels::raw_copy(base + dst * w, device(), base + src * w, device(), w * sizeof(float));
}

}  // namespace nasflat::models
