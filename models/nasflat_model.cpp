// nasflat_model.cpp — construction (parameter order = registration order, which fixes the
// checkpoint layout) and the forward pass listed in nasflat_model.h.
#include "models/nasflat_model.h"

#include "autograd/ops.h"
#include "kernels/base/check.h"

namespace nasflat::models {

NasflatModel::NasflatModel(const ModelConfig& config, uint64_t seed, Device device)
    : NasflatModel(config, seed, device, false) {}

std::vector<NasflatModel::ParameterEntry> NasflatModel::parameter_table(const ModelConfig& config) {
    const NasflatModel probe(config, 0, Device::CPU, true);
    std::vector<ParameterEntry> table;
    for (size_t i = 0; i < probe.params_.names().size(); ++i)
        table.push_back({probe.params_.names()[i], probe.params_.shapes()[i]});
    return table;
}

NasflatModel::NasflatModel(const ModelConfig& config, uint64_t seed, Device device,
                           bool shapes_only)
    : config_(config),
      params_(shapes_only ? ParameterStore::Mode::ShapesOnly : ParameterStore::Mode::Values) {
    NASFLAT_CHECK(config.op_dim() > 0 && config.hidden_dim > 0 && !config.main_dims.empty() &&
                      !config.op_update_dims.empty(),
                  "NasflatModel: invalid configuration ", config.describe());
    Rng rng(seed);
    const int C = config.gate_dim, D = config.op_dim();
    op_emb_ = params_.add("op_emb", {config.op_vocab, D});
    init_normal(op_emb_, rng);
    hw_emb_ = params_.add("hw_emb", {config.device_vocab, config.hw_dim});
    init_normal(hw_emb_, rng);
    output_op_ = params_.add("output_op_emb", {1, D});
    init_normal(output_op_, rng);
    if (!config.hwemb_to_mlp) {
        output_hw_ = params_.add("output_hw_emb", {1, config.hw_dim});
        init_normal(output_hw_, rng);
    }
    input_node_ = params_.add("input_node_emb", {1, config.node_dim});
    init_normal(input_node_, rng);
    other_node_ = params_.add("other_node_emb", {1, config.node_dim});  // zeros, as the authors
    x_hidden_ = Linear::make(params_, rng, "x_hidden", config.node_dim, config.hidden_dim);
    op_update_ = LayerStack::make(params_, rng, "op_update", config.hidden_dim,
                                  config.op_update_dims, config);
    std::vector<int> out_dims = {config.op_update_dims.back()};
    out_dims.insert(out_dims.end(), config.output_mlp_dims.begin(), config.output_mlp_dims.end());
    output_mlp_ = Mlp::make(params_, rng, "output_mlp", out_dims, 0.0f, false);
    update_mlp_ =
        Mlp::make(params_, rng, "update_mlp",
                  {C + config.output_mlp_dims.back(), config.update_hidden, C}, 0.0f, false);
    main_ = LayerStack::make(params_, rng, "main", config.hidden_dim, config.main_dims, config);
    int head_in = config.readout_dim();
    if (config.supp_dim > 0) {
        std::vector<int> dims = {config.supp_dim};
        dims.insert(dims.end(), config.supp_hidden.begin(), config.supp_hidden.end());
        dims.push_back(config.supp_out);
        supp_mlp_ = Mlp::make(params_, rng, "supp_mlp", dims, config.supp_dropout, false);
        head_in += config.supp_out;
    }
    if (config.hwemb_to_mlp) {
        hw_mlp_ = Mlp::make(params_, rng, "hw_mlp",
                            {config.hw_dim, config.hw_mlp_dim, config.hw_mlp_dim}, 0.0f, false);
        head_in += config.hw_mlp_dim;
    }
    std::vector<int> head_dims = {head_in};
    head_dims.insert(head_dims.end(), config.head_dims.begin(), config.head_dims.end());
    head_dims.push_back(1);
    head_ = Mlp::make(params_, rng, "head", head_dims, config.head_dropout, false);
    if (shapes_only) return;
    params_.pack(device);
    zero_op_ = Tensor::zeros({1, D}, device);
    zero_hw_ = Tensor::zeros({1, config.hw_dim}, device);
}

// e (N, C) as its P distinct rows (one per (op, device) pair of the batch) and the pick per
// node: op part from [op_emb; zero; output], device part from [hw_emb; zero; output].
NodeRows NasflatModel::gate_vectors(const ModelBatch& batch) const {
    Tensor op_table = concat({op_emb_, zero_op_, output_op_}, 0);
    Tensor op_part = embedding(op_table, batch.gate_op_rows);
    if (config_.hwemb_to_mlp) return {op_part, &batch.gate_rows};
    Tensor hw_table = concat({hw_emb_, zero_hw_, output_hw_}, 0);
    return {concat({op_part, embedding(hw_table, batch.gate_hw_rows)}, 1), &batch.gate_rows};
}

// e' (N, C) = MLP([e ; g per node]). The first layer is split by rows of its weight, so each
// half multiplies distinct rows: e W[:C] on the P gate rows, g W[C:] + b on the G graphs; the
// sum per node is the concat's product up to float rounding, for a fraction of the FLOPs.
Tensor NasflatModel::update_gate_weight() const {
    return slice(update_mlp_.layers[0].w, 0, 0, config_.gate_dim);
}

Tensor NasflatModel::update_graph_weight() const {
    const Tensor& w = update_mlp_.layers[0].w;
    return slice(w, 0, config_.gate_dim, w.dim(0) - config_.gate_dim);
}

Tensor NasflatModel::updated_gates(const NodeRows& e, const Tensor& g,
                                   const ModelBatch& batch) const {
    Tensor per_graph = linear(g, update_graph_weight(), update_mlp_.layers[0].b);  // (G, hidden)
    Tensor h = relu(add(e.times(update_gate_weight()), index_select(per_graph, batch.node_graph)));
    for (size_t i = 1; i < update_mlp_.layers.size(); ++i) {
        h = update_mlp_.layers[i](h);
        if (i + 1 < update_mlp_.layers.size()) h = relu(h);
    }
    return h;
}

Tensor NasflatModel::forward(const ModelBatch& batch, bool training, uint64_t dropout_seed) const {
    return head_scores(readout(batch), batch.supp, batch.graph_device, training, dropout_seed);
}

Tensor NasflatModel::readout(const ModelBatch& batch) const {
    NASFLAT_CHECK(batch.device == device(), "NasflatModel: batch on ", device_name(batch.device),
                  ", model on ", device_name(device()));
    if (fused_readout() && !grad_enabled() && fused_readout_supported(batch) &&
        (fused_choice_ == FusedChoice::On || fused_pays(batch))) {
        return readout_fused(batch);
    }
    return readout_by_ops(batch);
}

// The default's rule, from bench_model --fused (docs/performance.md): the kernel walks each
// node's attention set per output element, so it wins where sets are small (NB201's 8 nodes;
// FBNet fixed: predecessors + self) and loses a little where every node attends to all ~22
// nodes of an FBNet graph (the reference flavor). 20 lies between.
bool NasflatModel::fused_pays(const ModelBatch& batch) {
    return batch.attention.num_edges() <= 20LL * batch.num_nodes;
}

Tensor NasflatModel::readout_by_ops(const ModelBatch& batch) const {
    DropoutSeeds none(0);  // the MLPs of steps 1-5 have no dropout (built with p = 0)
    // 1-2. gate vectors and node states. There are two distinct states (the input node's and
    // everyone else's): x_hidden and both passes' first layers run on those two rows, picked
    // per node by node_type.
    const NodeRows e = gate_vectors(batch);
    const NodeRows x{x_hidden_(concat({input_node_, other_node_}, 0)), &batch.node_type};
    // 3. op-update pass rewrites every node's gate vector from its graph's output node.
    Tensor y = op_update_.forward(x, e, batch);
    Tensor g = output_mlp_.forward(index_select(y, batch.output_nodes), false, none);
    const NodeRows e2{updated_gates(e, g, batch), nullptr};
    // 4-5. main pass and readout.
    Tensor z = main_.forward(x, e2, batch);
    return segment_sum(z, batch.seg_ptr, batch.readout_weight);
}

Tensor NasflatModel::head_scores(const Tensor& r_in, const Tensor& supp, const IndexMap& devices,
                                 bool training, uint64_t dropout_seed) const {
    const int64_t R = r_in.dim(0);
    NASFLAT_CHECK(config_.supp_dim == 0 || (supp.defined() && supp.dim(0) == R),
                  "NasflatModel: ", R, " readout rows need as many supplementary rows");
    NASFLAT_CHECK(!config_.hwemb_to_mlp || devices.size() == R, "NasflatModel: ", R,
                  " readout rows need as many device rows, got ", devices.size());
    DropoutSeeds seeds(dropout_seed);
    Tensor r = r_in;
    // 6. optional supplementary encoding and device-embedding branch.
    if (config_.supp_dim > 0) r = concat({r, supp_mlp_.forward(supp, training, seeds)}, 1);
    if (config_.hwemb_to_mlp) {
        r = concat({r, hw_mlp_.forward(embedding(hw_emb_, devices), training, seeds)}, 1);
    }
    // 7. head.
    Tensor score = head_.forward(r, training, seeds);
    return reshape(score, {R});
}

void NasflatModel::copy_device_row(int dst, int src) {
    NASFLAT_CHECK(dst >= 0 && src >= 0 && dst < config_.device_vocab && src < config_.device_vocab,
                  "copy_device_row: rows ", dst, " and ", src, " must lie in [0, ",
                  config_.device_vocab, ")");
    const int64_t w = config_.hw_dim;
    float* base = hw_emb_.data();
    kernels::raw_copy(base + dst * w, device(), base + src * w, device(), w * sizeof(float));
}

}  // namespace nasflat::models
