// nasflat_model.h — the NASFLAT latency predictor (the authors' model), on any device.
// forward, as a numbered list (Dims: G graphs, N nodes, C = 48 gate width):
//   1. gate vectors e (N, C) = [op_emb[op] ; hw_emb[device]] (input node zeros, output node
//      learned and device-agnostic; hwemb_to_mlp: e = op_emb[op] only): kept as the batch's
//      distinct (op, device) rows until each gate has multiplied them (layers.h)
//   2. node states x (N, 96) = x_hidden(input or shared node embedding): two distinct rows,
//      kept as such until each pass's first layer has multiplied them (layers.h)
//   3. op-update pass: y = stack(x; e) (96 -> 128 -> 128); g = MLP(y[output node]) (G, 128);
//      e' = MLP([e ; g broadcast to the graph's nodes]) (N, C)   (e is replaced, no residual;
//      the first layer multiplies e's distinct rows and g, then adds per node)
//   4. main pass: z = stack(x; e') (96 -> 128 -> 128 -> 128)
//   5. readout r (G, 128): weighted mean of z over the graph's nodes (ModelBatch weights)
//   6. optional: r = [r ; supp_embedder(supp)], r = [r ; hw_mlp(hw_emb[device])]
//   7. score (G) = head(r): 3 x (Linear -> ReLU -> Dropout) -> Linear
#pragma once

#include <memory>

#include "autograd/optim.h"
#include "models/collate.h"
#include "models/config.h"
#include "models/layers.h"

namespace nasflat::models {

class NasflatModel {
  public:
    // Builds and initialises (seeded) the parameters on `device`.
    NasflatModel(const ModelConfig& config, uint64_t seed, Device device = Device::CPU);
    NasflatModel(const NasflatModel&) = delete;
    NasflatModel& operator=(const NasflatModel&) = delete;

    // The parameters a model of `config` holds, in registration order, computed without
    // allocating any (a crafted checkpoint cannot make the loader allocate what it claims).
    struct ParameterEntry {
        std::string name;
        Shape shape;
    };
    static std::vector<ParameterEntry> parameter_table(const ModelConfig& config);

    const ModelConfig& config() const { return config_; }
    Device device() const { return params_.device(); }
    ParameterStore& params() { return params_; }
    const ParameterStore& params() const { return params_; }

    // Scores (G): higher = slower. `training` turns dropout on; `dropout_seed` picks the masks.
    // forward = head_scores(readout(batch), batch.supp, batch.graph_device, ...).
    Tensor forward(const ModelBatch& batch, bool training = false, uint64_t dropout_seed = 0) const;

    // Steps 1-5: the readout (G, 128). No dropout anywhere in them, so the result does not
    // depend on `training` or the seed: a training step that scores an architecture several
    // times (the authors' two passes over pair sides) can run this once per architecture.
    Tensor readout(const ModelBatch& batch) const;
    // Steps 1-5 in one fused kernel per tile of graphs (kernels/fused/fused_readout.h): the same
    // readout to float rounding, no autograd graph. fused_readout_supported says whether this
    // model and batch fit the kernel (all widths 128, graphs of <= 32 nodes, add-fused
    // ensembles or single branches, gate width <= 64).
    Tensor readout_fused(const ModelBatch& batch) const;
    bool fused_readout_supported(const ModelBatch& batch) const;
    // The default's rule on the GPU: does the fused kernel beat the op-by-op path on this batch
    // (attention sets averaging <= 20 nodes; measured in docs/performance.md)?
    static bool fused_pays(const ModelBatch& batch);
    // When on, readout() takes the fused kernel whenever no gradient is recorded (NoGradGuard)
    // and the batch fits. Default: on for a model on the GPU where it pays (fused_pays: not for
    // batches whose attention sets average over 20 nodes, e.g. FBNet's reference flavor), off
    // on the CPU, where the kernel's twin is a test oracle, not a fast path. `version` picks
    // the kernel version (0: v2, or v3 = TF32 tensor cores while CUDA GEMMs run in TF32; 2 or
    // 3 forces one; any other throws). v3 falls back to v2, with a note on stderr, where the
    // weights are not 32-byte aligned or the GPU or binary lacks sm_80+ code.
    void set_fused_readout(bool on, int version = 0) {
        fused_choice_ = on ? FusedChoice::On : FusedChoice::Off;
        fused_version_ = version;
    }
    bool fused_readout() const {
        return fused_choice_ == FusedChoice::Auto ? device() == Device::CUDA
                                                  : fused_choice_ == FusedChoice::On;
    }

    // Steps 6-7 on R readout rows: supp (R, supp_dim) or undefined, devices (R) device rows
    // (read with hwemb_to_mlp). Every dropout site of the model is here.
    Tensor head_scores(const Tensor& r, const Tensor& supp, const IndexMap& devices, bool training,
                       uint64_t dropout_seed) const;

    // hw_emb[dst] := hw_emb[src] (the transfer's device-embedding initialisation).
    void copy_device_row(int dst, int src);

  private:
    // shapes_only: register names and shapes in a shapes-only store; nothing is allocated.
    NasflatModel(const ModelConfig& config, uint64_t seed, Device device, bool shapes_only);
    NodeRows gate_vectors(const ModelBatch& batch) const;
    Tensor updated_gates(const NodeRows& e, const Tensor& g, const ModelBatch& batch) const;
    Tensor readout_by_ops(const ModelBatch& batch) const;
    // The update MLP's first weight, split by rows: W1[:C] multiplies the gate vector e, W1[C:]
    // the graph's output-MLP vector g (updated_gates; the fused readout's upd_table).
    Tensor update_gate_weight() const;
    Tensor update_graph_weight() const;

    ModelConfig config_;
    enum class FusedChoice { Auto, On, Off };  // Auto: on where the model is on the GPU
    FusedChoice fused_choice_ = FusedChoice::Auto;
    int fused_version_ = 0;
    ParameterStore params_;
    Tensor op_emb_, hw_emb_, output_op_, output_hw_;  // (V, op_dim) (Vd, hw) (1, op_dim) (1, hw)
    Tensor input_node_, other_node_;                  // (1, node_dim) each
    Tensor zero_op_, zero_hw_;                        // frozen zero rows of the input node
    Linear x_hidden_;
    LayerStack op_update_, main_;
    Mlp output_mlp_, update_mlp_, supp_mlp_, hw_mlp_, head_;
};

}  // namespace nasflat::models
