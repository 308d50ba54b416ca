// cost_model.cpp — see cost_model.h. The formulas are those of data/check_data.py
// (nb201_cost, fbnet_params_macs), which the data README verifies against the source files.
#include "nas/space/cost_model.h"

#include "kernels/base/check.h"

namespace nasflat::nas {

Cost nb201_cost(const std::array<int, 6>& edge_ops) {
    // Stages (C, H*W): 16 @ 32x32, 32 @ 16x16, 64 @ 8x8; 5 cells per stage, so every edge op
    // appears 5 times per stage.
    constexpr int kStages = 3;
    constexpr double kC[kStages] = {16, 32, 64};
    constexpr double kHW[kStages] = {1024, 256, 64};
    // Stem conv3x3 3->16 + BN.
    double fl = 9 * 3 * 16 * 1024 + 2 * 16 * 1024;
    double pa = 9 * 3 * 16 + 2 * 16;
    // Two reduction blocks (ResNet basic block, stride 2, with AvgPool + 1x1 shortcut).
    for (int s = 0; s + 1 < kStages; ++s) {
        double ci = kC[s], hi = kHW[s], co = kC[s + 1], ho = kHW[s + 1];
        fl += ci * hi + 9 * ci * co * ho + 2 * co * ho + co * ho + 9 * co * co * ho + 2 * co * ho;
        fl += 4 * ci * ho + ci * co * ho;
        pa += 9 * ci * co + 2 * co + 9 * co * co + 2 * co + ci * co;
    }
    // Final BN + ReLU, global pool (counted C*81 on 8x8), Linear(64, 10).
    fl += 3 * 64 * 64 + 64 * 81 + 640;
    pa += 128 + 650;
    for (int op : edge_ops) {
        NASFLAT_CHECK(op >= 0 && op < 5, "NB201 edge op ", op, " out of range 0..4");
        for (int s = 0; s < kStages; ++s) {
            double c = kC[s], hw = kHW[s];
            if (op == 2) {  // ReLU-conv1x1-BN
                fl += 5 * (c * c * hw + 3 * c * hw);
                pa += 5 * (c * c + 2 * c);
            } else if (op == 3) {  // ReLU-conv3x3-BN
                fl += 5 * (9 * c * c * hw + 3 * c * hw);
                pa += 5 * (9 * c * c + 2 * c);
            } else if (op == 4) {  // AvgPool 3x3
                fl += 5 * 9 * c * hw;
            }
        }
    }
    return {pa, fl};
}

namespace {

int positive_int(const Json& obj, const std::string& key, const std::string& file,
                 const std::string& entry) {
    int64_t v = get_int(obj, key, file, entry);
    if (v <= 0) file_error(file, entry_key(entry, key), "must be a positive integer", "");
    return static_cast<int>(v);
}

}  // namespace

FbnetMacro parse_fbnet_macro(const Json& root, const std::string& file) {
    FbnetMacro m;
    const Json& macro = as_object(require_key(root, "macro", file), file, "macro");
    m.input_hw = positive_int(macro, "input_hw", file, "macro");
    const Json& stem = require_key(macro, "stem", file, "macro");
    m.stem_c_in = positive_int(stem, "c_in", file, "macro.stem");
    m.stem_c_out = positive_int(stem, "c_out", file, "macro.stem");
    m.stem_kernel = positive_int(stem, "kernel", file, "macro.stem");
    const Json& head = require_key(macro, "head", file, "macro");
    m.head_c_in = positive_int(head, "c_in", file, "macro.head");
    m.head_c_out = positive_int(head, "c_out", file, "macro.head");
    const Json& cls = require_key(macro, "classifier", file, "macro");
    m.classifier_c_in = positive_int(cls, "c_in", file, "macro.classifier");
    m.classifier_c_out = positive_int(cls, "c_out", file, "macro.classifier");

    const Json& spec = as_array(require_key(root, "op_spec", file), file, "op_spec");
    if (spec.size() != 9) file_error(file, "op_spec", "expected 9 block specs", "");
    for (size_t i = 0; i < spec.size(); ++i) {
        const std::string at = entry_at("op_spec", i);
        FbnetBlockSpec b;
        std::string type = get_string(spec[i], "type", file, at);
        if (type == "ConvBlock") {
            b.is_conv = true;
            b.kernel = positive_int(spec[i], "kernel", file, at);
            b.expansion = positive_int(spec[i], "expansion", file, at);
            b.groups = positive_int(spec[i], "groups", file, at);
        } else if (type != "Skip") {
            file_error(file, entry_key(at, "type"), "unknown block type '" + type + "'",
                       "use ConvBlock or Skip");
        }
        m.blocks.push_back(b);
    }
    const Json& layers = as_array(require_key(root, "layers", file), file, "layers");
    if (layers.size() != 22) file_error(file, "layers", "expected 22 layer specs", "");
    for (size_t i = 0; i < layers.size(); ++i) {
        const std::string at = entry_at("layers", i);
        m.layers.push_back({positive_int(layers[i], "c_in", file, at),
                            positive_int(layers[i], "c_out", file, at),
                            positive_int(layers[i], "stride", file, at),
                            positive_int(layers[i], "input_hw", file, at)});
    }
    return m;
}

Cost fbnet_cost(const std::vector<int>& layer_ops, const FbnetMacro& macro) {
    NASFLAT_CHECK(layer_ops.size() == macro.layers.size(), "FBNet arch has ", layer_ops.size(),
                  " layers, the macro ", macro.layers.size());
    double hw = macro.input_hw;
    double params =
        double(macro.stem_c_in) * macro.stem_c_out * macro.stem_kernel * macro.stem_kernel +
        2.0 * macro.stem_c_out;
    double macs =
        hw * hw * macro.stem_c_in * macro.stem_c_out * macro.stem_kernel * macro.stem_kernel;
    for (size_t l = 0; l < layer_ops.size(); ++l) {
        const FbnetLayerSpec& L = macro.layers[l];
        NASFLAT_CHECK(layer_ops[l] >= 0 && layer_ops[l] < int(macro.blocks.size()), "FBNet op ",
                      layer_ops[l], " out of range");
        const FbnetBlockSpec& b = macro.blocks[layer_ops[l]];
        double cin = L.c_in, cout = L.c_out, h = L.input_hw;
        double ho = L.input_hw / L.stride;
        if (b.is_conv) {
            // 1x1 expand (grouped), kxk depthwise (stride), 1x1 project (grouped); BN after each.
            double m = cin * b.expansion, g = b.groups, k = b.kernel;
            params += (cin / g) * m + 2 * m + m * k * k + 2 * m + (m / g) * cout + 2 * cout;
            macs += h * h * (cin / g) * m + ho * ho * m * k * k + ho * ho * (m / g) * cout;
        } else if (L.stride == 2 || L.c_in != L.c_out) {  // skip becomes conv1x1 + BN
            params += cin * cout + 2 * cout;
            macs += ho * ho * cin * cout;
        }
        hw = ho;
    }
    params += double(macro.head_c_in) * macro.head_c_out + 2.0 * macro.head_c_out +
              double(macro.classifier_c_in) * macro.classifier_c_out + macro.classifier_c_out;
    macs += hw * hw * macro.head_c_in * macro.head_c_out +
            double(macro.classifier_c_in) * macro.classifier_c_out;
    return {params, macs};
}

}  // namespace nasflat::nas
