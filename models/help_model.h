// help_model.h — the HELP latency predictor (Lee et al., NeurIPS 2021; reference/NASFLAT_SPEC.md
// 10.1) as a functional model: every forward takes its parameters as explicit tensors, so that
// Meta-SGD can run it with adapted parameters theta' built by autograd ops (autograd/grad.h).
// Dims: B architectures, W the width (100), H = 2 W the head width, D = 10 the hardware
// embedding, Z = 3 H + 3 the modulation vector.
//
// Meta-learner (parameters in this order; linear weights are (in, out)):
//   NB201: 4 plain GCN layers out = A (X W) + b, ReLU, over the 9-node HELP graph (batched
//          matmul with each arch's constant adjacency), readout = the global (last) node;
//          gc1 (8, W), gc2..gc4 (W, W).
//   FBNet: fc1 (132, W), fc2 (W, W), ReLU after each.
//   Both:  hardware branch fc_hw1 (D, W), fc_hw2 (W, W), ReLU after each, on the device's
//          hardware embedding (one per batch, broadcast over the archs); concat (B, H) ->
//          fc3 (H, H) ReLU -> fc4 (H, H) ReLU -> fc5 (H, 1).
// Z-modulator (HELP's InferenceNetwork): Linear (D, 10) ReLU Linear (10, 2 Z) on the hardware
//   embedding; mu = the first Z values, sigma = softplus(the next Z); z = mu + sigma eps
//   (reparameterised). z[l H .. (l+1) H) scales the rows (input features) of head layer l's
//   weight, W <- W (1 + 0.01 z), as HELP's (out, in) weight times a vector of its input size
//   does; z[3 H + l] shifts its bias, b <- b + 0.01 z.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "autograd/optim.h"
#include "autograd/tensor.h"

namespace nasflat::models {

enum class HelpSpace { Nb201, Fbnet };

struct HelpConfig {
    HelpSpace space = HelpSpace::Nb201;
    int width = 100;    // layer_size
    int hw_dim = 10;    // reference architectures in the hardware embedding
    int z_hidden = 10;  // the Z-modulator's hidden layer
    float z_scale = 0.01f;

    int head() const { return 2 * width; }
    int z_dim() const { return 3 * head() + 3; }
};

constexpr int kHelpNb201Nodes = 9;
constexpr int kHelpNb201Features = 8;
constexpr int kHelpFbnetFeatures = 132;

// A batch of architectures in HELP's encoding (nas/data/help_encoding.h).
struct HelpBatch {
    Tensor x;    // NB201: node features (B, 9, 8); FBNet: (B, 132)
    Tensor adj;  // NB201: adjacency (B, 9, 9), row i sums i's predecessors; FBNet: undefined
    int64_t size() const { return x.dim(0); }
};

// The parameters of one HELP model: the meta-learner's (theta), one inner learning rate per
// theta tensor (alpha, Meta-SGD) and the Z-modulator's, all in one store (one Adam for all).
class HelpParams {
  public:
    // Registers and initialises every tensor: GCN weights U(+-0.05) and biases U(+-1/sqrt(out))
    // (HELP's GraphConvolution), linear layers U(+-1/sqrt(in)) (PyTorch's default), alpha =
    // alpha_init. Packed on the CPU.
    HelpParams(const HelpConfig& config, uint64_t seed, float alpha_init = 1e-3f);

    const HelpConfig& config() const { return config_; }
    ParameterStore& store() { return store_; }
    const ParameterStore& store() const { return store_; }
    const std::vector<Tensor>& theta() const { return theta_; }
    const std::vector<Tensor>& alpha() const { return alpha_; }
    const std::vector<Tensor>& znet() const { return znet_; }  // w1, b1, w2, b2

  private:
    HelpConfig config_;
    ParameterStore store_;
    std::vector<Tensor> theta_, alpha_, znet_;
};

// Names and shapes of theta in order (e.g. "gc1.weight" (8, W)).
std::vector<std::pair<std::string, Shape>> help_theta_layout(const HelpConfig& config);

// Predictions (B) of the meta-learner with parameters `theta` (help_theta_layout's order) on
// `batch` for a device with hardware embedding `hw` (D).
Tensor help_forward(const HelpConfig& config, const std::vector<Tensor>& theta,
                    const HelpBatch& batch, const Tensor& hw);

struct HelpZ {
    Tensor z;   // (Z)
    Tensor kl;  // (1): sum over Z of KL(N(mu, sigma) || N(0, 1))
    Tensor mu, sigma;
};
// The Z-modulator on `hw` (D) with the noise `eps` (Z values, e.g. standard normal draws).
HelpZ help_z(const HelpConfig& config, const std::vector<Tensor>& znet, const Tensor& hw,
             const std::vector<float>& eps);
// theta with the head (fc3, fc4, fc5) modulated by z; the other tensors are theta's own.
std::vector<Tensor> help_modulate(const HelpConfig& config, const std::vector<Tensor>& theta,
                                  const Tensor& z);

}  // namespace nasflat::models
