// config.cpp — parsing and printing model configurations.
#include "models/config.h"

#include <sstream>

#include "kernels/base/check.h"

namespace nasflat::models {

Flavor parse_flavor(const std::string& s) {
    if (s == "reference") return Flavor::Reference;
    if (s == "fixed") return Flavor::Fixed;
    fail("unknown config '", s, "'; hint: use reference or fixed");
}

LayerType parse_layer_type(const std::string& s) {
    if (s == "ensemble") return LayerType::Ensemble;
    if (s == "dense" || s == "graphflow") return LayerType::GraphFlow;
    if (s == "gat" || s == "attention") return LayerType::Attention;
    fail("unknown layer type '", s, "'; hint: use ensemble, dense (graph-flow only) or gat");
}

Fuse parse_fuse(const std::string& s) {
    if (s == "add") return Fuse::Add;
    if (s == "mlp") return Fuse::Mlp;
    fail("unknown fuse method '", s, "'; hint: use add or mlp");
}

const char* fuse_name(Fuse f) { return f == Fuse::Add ? "add" : "mlp"; }

const char* flavor_name(Flavor f) { return f == Flavor::Reference ? "reference" : "fixed"; }

const char* layer_type_name(LayerType t) {
    switch (t) {
        case LayerType::Ensemble: return "ensemble";
        case LayerType::GraphFlow: return "dense";
        case LayerType::Attention: return "gat";
    }
    return "?";
}

std::string ModelConfig::describe() const {
    std::ostringstream os;
    os << flavor_name(flavor) << "/" << layer_type_name(layer_type)
       << (fuse == Fuse::Mlp ? "/fuse-mlp" : "") << (hwemb_to_mlp ? "/hwemb_to_mlp" : "") << (supp_dim > 0 ? "/supp" : "");
    if (supp_dim > 0) os << supp_dim;
    return os.str();
}

}  // namespace nasflat::models
