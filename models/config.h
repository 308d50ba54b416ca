// config.h — what a NASFLAT predictor looks like: sizes, layer type, and the two semantics kept
// side by side (`reference`: the authors' behaviour, defects included; `fixed`: those defects
// repaired, below). Defaults are the hyper-parameters the authors' code instantiates.
#pragma once

#include <string>
#include <vector>

namespace nasflat::models {

// reference: attention softmax over every node of the graph with a multiplicative mask
//            (non-neighbours get logit 0), readout over all nodes but the input;
// fixed:     attention over true predecessors plus a self loop, 'none' nodes left out of the
//            readout. (The FBNet graph itself — identity vs chain — is chosen by the encoder.)
enum class Flavor { Reference, Fixed };
// ensemble = (graph-flow + attention) / 2; the others are single-branch ablations.
enum class LayerType { Ensemble, GraphFlow, Attention };
// How an ensemble layer joins its two branches: add = their average (the authors' default and
// every paper run); mlp = Linear(2O -> O) -> ReLU -> Linear(O -> O) on their concatenation.
enum class Fuse { Add, Mlp };

Flavor parse_flavor(const std::string& s);        // "reference" | "fixed"
LayerType parse_layer_type(const std::string& s);  // "ensemble" | "dense" | "gat"
Fuse parse_fuse(const std::string& s);              // "add" | "mlp"
const char* fuse_name(Fuse f);
const char* flavor_name(Flavor f);
const char* layer_type_name(LayerType t);

struct ModelConfig {
    Flavor flavor = Flavor::Reference;
    LayerType layer_type = LayerType::Ensemble;
    Fuse fuse = Fuse::Add;
    bool hwemb_to_mlp = false;  // device embedding goes to the head instead of the node gates

    int op_vocab = 128;        // rows of the op table (any op index below this is valid)
    int device_vocab = 128;    // rows of the device table
    int gate_dim = 48;         // per-node op+device vector
    int hw_dim = 8;            // device embedding (part of gate_dim unless hwemb_to_mlp)
    int node_dim = 48;
    int hidden_dim = 96;       // node state after x_hidden
    std::vector<int> op_update_dims = {128, 128};
    std::vector<int> main_dims = {128, 128, 128};
    std::vector<int> output_mlp_dims = {128, 128, 128};
    int update_hidden = 128;
    std::vector<int> head_dims = {200, 200, 200};
    float head_dropout = 0.1f;
    int supp_dim = 0;          // supplementary encoding width; 0 = none
    std::vector<int> supp_hidden = {128, 128};
    float supp_dropout = 0.1f;
    int supp_out = 48;
    int hw_mlp_dim = 48;       // hwemb_to_mlp branch width
    float leaky_slope = 0.01f;
    float ln_eps = 1e-5f;
    // The op index of "none" in the space (NB201: 5): its nodes leave the readout in `fixed`.
    // -1 when the space has no such op.
    int none_op = -1;

    int op_dim() const { return hwemb_to_mlp ? gate_dim : gate_dim - hw_dim; }
    int readout_dim() const { return main_dims.back(); }
    std::string describe() const;
};

}  // namespace nasflat::models
