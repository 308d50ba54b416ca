// nasflat_fused.cpp — NasflatModel::readout_fused: steps 1-5 of the forward pass through the
// fused readout kernel (kernels/fused/fused_readout.h) instead of the op-by-op autograd graph.
// This file only lays the model's parameters and the batch out as the kernel's arguments, and
// picks the kernel version.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <set>
#include <string>

#include "autograd/ops.h"
#include "kernels/base/check.h"
#include "kernels/fused/fused_readout.h"
#include "kernels/gemm/gemm.h"
#include "models/nasflat_model.h"

namespace nasflat::models {
namespace {

constexpr int F = kernels::kFusedFeat;

bool all_equal(const std::vector<int>& dims, int v) {
    return std::all_of(dims.begin(), dims.end(), [v](int d) { return d == v; });
}

const float* data_or_null(const Tensor& t) {
    return t.defined() ? t.data() : nullptr;
}

// The layer's weights; a branch the layer lacks stays null (the kernel skips it).
kernels::FusedLayer layer_args(const EnsembleLayer& l) {
    kernels::FusedLayer f;
    if (l.type != LayerType::Attention) {
        f.flow_w = l.flow.w.data();
        f.flow_b = l.flow.b.data();
        f.flow_gate_w = l.flow.gate.w.data();
        f.flow_gate_b = l.flow.gate.b.data();
    }
    if (l.type != LayerType::GraphFlow) {
        f.att_w = l.attention.wk.w.data();
        f.att_a = l.attention.a.data();
        f.att_gate_w = l.attention.gate.w.data();
        f.att_gate_b = l.attention.gate.b.data();
        f.ln_gamma = l.attention.ln_gamma.data();
        f.ln_beta = l.attention.ln_beta.data();
    }
    return f;
}

// A pass's arguments; `first` keeps the (2, F) products of its first layer alive (and, in
// readout_fused, the gate tables).
kernels::FusedPass pass_args(const LayerStack& stack, const Tensor& x2,
                             std::vector<Tensor>& first) {
    kernels::FusedPass p;
    p.num_layers = static_cast<int>(stack.layers.size());
    for (int i = 0; i < p.num_layers; ++i) p.layers[i] = layer_args(stack.layers[i]);
    const EnsembleLayer& l0 = stack.layers[0];
    if (l0.type != LayerType::Attention) {
        first.push_back(matmul(x2, l0.flow.w));
        p.first_flow = first.back().data();
    }
    if (l0.type != LayerType::GraphFlow) {
        first.push_back(matmul(x2, l0.attention.wk.w));
        p.first_att = first.back().data();
    }
    return p;
}

// v3's tensor-core loads need every GEMM weight 32-byte aligned (true for the default sizes:
// every parameter before them has a multiple of 8 floats) and K = C a multiple of 8.
bool tf32_operands_aligned(const kernels::FusedReadoutArgs& a) {
    const auto ok = [](const float* p) {
        return p == nullptr || reinterpret_cast<uintptr_t>(p) % 32 == 0;
    };
    bool all = a.gate_dim % 8 == 0 && ok(a.upd_w1);
    for (const kernels::FusedPass* p : {&a.op_update, &a.main}) {
        for (int i = 0; i < p->num_layers; ++i) {
            const kernels::FusedLayer& l = p->layers[i];
            all = all && ok(l.flow_w) && ok(l.flow_gate_w) && ok(l.att_w) && ok(l.att_gate_w);
        }
    }
    for (int i = 0; i < a.num_out_mlp; ++i) all = all && ok(a.out_mlp_w[i]);
    return all;
}

// v3 where it can run, else v2 with a one-line note on stderr (once per process and reason).
int tf32_or_fallback(const kernels::FusedReadoutArgs& a, Device device) {
    const char* why = nullptr;
    if (!tf32_operands_aligned(a)) {
        why = "its weights are not 32-byte aligned";
    } else if (device == Device::CUDA && !kernels::fused_readout_tf32_available()) {
        why = "this GPU or binary has no sm_80+ code (CMAKE_CUDA_ARCHITECTURES)";
    }
    if (why == nullptr) return kernels::kFusedTf32Version;
    static std::set<std::string> reported;
    if (reported.insert(why).second) {
        std::fprintf(stderr, "nasflat: note: fused readout v3 (TF32) cannot run: %s; using v2\n",
                     why);
    }
    return kernels::kFusedDefaultVersion;
}

}  // namespace

bool NasflatModel::fused_readout_supported(const ModelBatch& batch) const {
    const ModelConfig& c = config_;
    const auto layers_fit = [](const std::vector<int>& dims) {
        return all_equal(dims, F) && !dims.empty() &&
               static_cast<int>(dims.size()) <= kernels::kFusedMaxLayers;
    };
    return (c.layer_type != LayerType::Ensemble || c.fuse == Fuse::Add) &&
           layers_fit(c.op_update_dims) && layers_fit(c.main_dims) &&
           all_equal(c.output_mlp_dims, F) && !c.output_mlp_dims.empty() &&
           static_cast<int>(c.output_mlp_dims.size()) <= kernels::kFusedMaxMlp &&
           c.update_hidden == F && c.gate_dim <= kernels::kFusedMaxGate &&
           batch.max_nodes <= kernels::kFusedMaxNodes && batch.device == device();
}

Tensor NasflatModel::readout_fused(const ModelBatch& batch) const {
    NASFLAT_CHECK(fused_readout_supported(batch), "readout_fused: this model (", config_.describe(),
                  ") or batch (largest graph ", batch.max_nodes,
                  " nodes) does not fit the fused kernel; hint: use readout()");
    NASFLAT_CHECK(fused_version_ == 0 || fused_version_ == kernels::kFusedDefaultVersion ||
                      fused_version_ == kernels::kFusedTf32Version,
                  "readout_fused: kernel version ", fused_version_, " does not exist; hint: ",
                  kernels::kFusedDefaultVersion, " (fp32) or ", kernels::kFusedTf32Version,
                  " (TF32; 0 = the default)");
    NoGradGuard no_grad;
    Tensor out = Tensor::empty({batch.num_graphs, F}, device());
    if (batch.num_graphs == 0) return out;
    kernels::FusedReadoutArgs a;
    a.version = fused_version_ != 0 ? fused_version_
                : device() == Device::CUDA && kernels::cuda_gemm_tf32() ? kernels::kFusedTf32Version
                                                                      : kernels::kFusedDefaultVersion;
    a.num_graphs = batch.num_graphs;
    a.max_nodes = batch.max_nodes;
    a.seg_ptr = batch.seg_ptr.data();
    a.pred = batch.pred.forward();
    a.attention = batch.attention.forward();
    a.attention_mask = data_or_null(batch.attention_mask);
    a.node_type = batch.node_type.idx();
    a.output_nodes = batch.output_nodes.idx();
    a.readout_weight = batch.readout_weight.data();
    a.gate_rows = batch.gate_rows.idx();

    a.gate_dim = config_.gate_dim;
    a.leaky_slope = config_.leaky_slope;
    a.ln_eps = config_.ln_eps;

    // Both passes start from the two distinct node states; their first layers' products are
    // computed here once for the whole batch.
    Tensor x2 = x_hidden_(concat({input_node_, other_node_}, 0));  // (2, hidden)
    std::vector<Tensor> first;
    a.op_update = pass_args(op_update_, x2, first);
    a.main = pass_args(main_, x2, first);
    // The op-update pass's gate vectors take one value per distinct (op, device) pair: their
    // products with each gate weight and with the update MLP's W1[:C] are (P, F) tables.
    const Tensor e_rows = gate_vectors(batch).rows;  // (P, C)
    for (int i = 0; i < a.op_update.num_layers; ++i) {
        kernels::FusedLayer& l = a.op_update.layers[i];
        const EnsembleLayer& src = op_update_.layers[i];
        if (l.flow_gate_w) {
            first.push_back(matmul(e_rows, src.flow.gate.w));
            l.flow_gate_table = first.back().data();
        }
        if (l.att_gate_w) {
            first.push_back(matmul(e_rows, src.attention.gate.w));
            l.att_gate_table = first.back().data();
        }
    }
    first.push_back(matmul(e_rows, update_gate_weight()));
    a.upd_table = first.back().data();
    a.num_out_mlp = static_cast<int>(output_mlp_.layers.size());
    for (int i = 0; i < a.num_out_mlp; ++i) {
        a.out_mlp_w[i] = output_mlp_.layers[i].w.data();
        a.out_mlp_b[i] = output_mlp_.layers[i].b.data();
    }
    a.upd_w1 = update_mlp_.layers[0].w.data();
    a.upd_b1 = update_mlp_.layers[0].b.data();
    a.upd_w2 = update_mlp_.layers[1].w.data();
    a.upd_b2 = update_mlp_.layers[1].b.data();
    a.out = out.data();
    if (a.version == kernels::kFusedTf32Version) a.version = tf32_or_fallback(a, device());
    kernels_for(device()).fused_readout(a);
    return out;
}

}  // namespace nasflat::models
