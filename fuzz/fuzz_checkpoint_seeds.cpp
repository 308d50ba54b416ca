// fuzz_checkpoint_seeds.cpp — writes the seed corpus of fuzz_checkpoint: tiny predictors (a few
// hundred parameters, so mutations land in the header rather than in the weights) of each
// flavour, layer type and fuse, with and without the device embedding in the head and a
// supplementary encoding, uncalibrated, isotonic and linear. Generated rather than committed so
// the seeds follow the checkpoint format.
// Usage: fuzz_checkpoint_seeds OUT_DIR
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "nas/predictor/predictor.h"

using namespace nasflat;

namespace {

models::ModelConfig tiny_config(int variant) {
    models::ModelConfig c;
    c.flavor = variant % 2 ? models::Flavor::Fixed : models::Flavor::Reference;
    c.layer_type = std::vector<models::LayerType>{models::LayerType::Ensemble,
                                                  models::LayerType::GraphFlow,
                                                  models::LayerType::Attention}[variant % 3];
    c.fuse = variant % 4 == 0 ? models::Fuse::Mlp : models::Fuse::Add;
    c.hwemb_to_mlp = variant % 5 == 1;
    c.op_vocab = 6;
    c.device_vocab = 3;
    c.gate_dim = 4;
    c.hw_dim = 2;
    c.node_dim = 3;
    c.hidden_dim = 4;
    c.op_update_dims = {3};
    c.main_dims = {3, 2};
    c.output_mlp_dims = {3};
    c.update_hidden = 3;
    c.head_dims = {3};
    c.supp_dim = variant % 3 == 2 ? 2 : 0;
    c.supp_hidden = {2};
    c.supp_out = 2;
    c.hw_mlp_dim = 2;
    c.none_op = variant % 2 ? 5 : -1;
    return c;
}

nas::PredictorInfo tiny_info(int variant) {
    nas::PredictorInfo info;
    info.space = variant % 2 ? nas::Space::FBNet : nas::Space::NB201;
    info.graph_mode = variant % 2 ? nas::GraphMode::Fixed : nas::GraphMode::Reference;
    info.devices = {"1080ti_1", "pixel3", "my_phone"};
    info.sources = {"1080ti_1", "pixel3"};
    if (variant % 3 == 2) {
        info.supp = "params";
        info.supp_normalisation = {{{"column", "params"}, {"kind", "minmax"}, {"shift", 0.5},
                                    {"scale", 2.0}}};
    }
    if (variant % 3 != 0) {
        info.target = "my_phone";
        info.calibration = nas::fit_calibration({-1.0, 0.2, 0.3, 1.5}, {3.0, 4.5, 4.0, 9.0},
                                                variant % 3 == 1 ? "isotonic" : "linear");
    }
    return info;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: fuzz_checkpoint_seeds OUT_DIR\n");
        return 2;
    }
    std::filesystem::create_directories(argv[1]);
    for (int variant = 0; variant < 12; ++variant) {
        nas::Predictor p;
        p.info = tiny_info(variant);
        p.model = std::make_unique<models::NasflatModel>(tiny_config(variant), variant);
        const std::string bytes = nas::predictor_bytes(p);
        std::ofstream(std::string(argv[1]) + "/tiny" + std::to_string(variant) + ".ckpt",
                      std::ios::binary)
            .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    return 0;
}
