// cost_model.h — analytic parameter and FLOP counts of every architecture of both spaces.
// NB201: the CIFAR-10 NB201 network counted with tensorwatch's rules (what NASLib's flops/params
//   proxies use; data/README.md "nb201/zcp.json"): FLOPs include BN and ReLU, not only MACs.
//   Counts are plain numbers; data/nb201/zcp.json all_cells stores them / 1e6.
// FBNet: the CIFAR-100 FBNet_Infer network of fbnet/archs.json's "macro"/"layers"/"op_spec",
//   exact parameter count (equal to fbnet/zcp.json "params") and conv/linear multiply-
//   accumulates as "flops" (Spearman 0.9996 with flopth's count in fbnet/zcp.json).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "nas/base/json_io.h"

namespace nasflat::nas {

struct Cost {
    double params = 0;
    double flops = 0;
};

// Edge ops in archs.json vocabulary (none=0 skip=1 conv1x1=2 conv3x3=3 avgpool=4).
Cost nb201_cost(const std::array<int, 6>& edge_ops);

// The FBNet macro-architecture, read from fbnet/archs.json.
struct FbnetBlockSpec {
    bool is_conv = false;  // ConvBlock; false = Skip
    int kernel = 0, expansion = 0, groups = 1;
};
struct FbnetLayerSpec {
    int c_in = 0, c_out = 0, stride = 1, input_hw = 0;
};
struct FbnetMacro {
    int input_hw = 0;
    int stem_c_in = 0, stem_c_out = 0, stem_kernel = 0;
    int head_c_in = 0, head_c_out = 0;
    int classifier_c_in = 0, classifier_c_out = 0;
    std::vector<FbnetBlockSpec> blocks;  // (9) by op index
    std::vector<FbnetLayerSpec> layers;  // (22)
};
// Reads "macro", "op_spec" and "layers" of the archs.json root object `root` (file names the
// file in errors); checks 9 blocks, 22 layers and positive sizes.
FbnetMacro parse_fbnet_macro(const Json& root, const std::string& file);
Cost fbnet_cost(const std::vector<int>& layer_ops, const FbnetMacro& macro);

}  // namespace nasflat::nas
