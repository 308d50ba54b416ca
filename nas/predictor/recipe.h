// recipe.h — how a predictor is built and pre-trained: the model (config, layer type, fuse,
// supplementary encoding), the pre-training (S architectures per source device and how they are
// chosen, epochs, lr, batch, AdamW, pair scoring), the seed and the device. `nasflat pretrain`
// and the leave-one-device-out benchmark pre-train from a recipe; an experiment's options extend
// one (experiment/experiment.h), so trial 1 of `nasflat experiment --seed s` pre-trains exactly
// as `nasflat pretrain --seed s` does.
// Named recipes, sets of defaults (a flag given on the command line always wins over them):
//   paper         the authors' settings, for the task suite: config reference, two forwards
//                 per pair, no supplementary encoding, S = 900 (NB201) / 800 (FBNet), 150 epochs
//   practitioner  chosen by the leave-one-device-out benchmark (docs/results.md, "Choosing the
//                 practitioner recipe"): S = 100 per source device and at least 2,400
//                 architectures in all (S = max(100, ceil(2400 / sources))), 30 epochs; on NB201 config reference, two forwards, no
//                 supplementary encoding (the reference model alone ranks new devices best); on
//                 FBNet config fixed, scores once per batch, FLOPs as supplementary encoding
#pragma once

#include <cstdint>
#include <string>

#include "kernels/base/memory.h"
#include "models/config.h"
#include "models/training.h"
#include "nas/space/space.h"

namespace nasflat::nas {

struct PretrainRecipe {
    Space space = Space::NB201;
    int source_samples = -1;  // S per source device; -1: NB201 900, FBNet 800; 0: none
    // With more than 0, S rises to ceil(min_source_total / sources) where that is larger, so
    // a pre-training on a few devices still sees enough architectures (fit_to_sources).
    int min_source_total = 0;
    int epochs = 150;
    float lr = 1e-3f;
    int batch_size = 128;
    float weight_decay = 1e-5f;
    float eta_min = 1e-6f;
    models::Flavor flavor = models::Flavor::Reference;
    models::LayerType layer_type = models::LayerType::Ensemble;
    models::Fuse fuse = models::Fuse::Add;
    bool hwemb_to_mlp = false;
    models::PairScoring scoring = models::PairScoring::TwoForwards;
    // How the S pre-training archs are chosen (the authors' --source_sampon): random, or any
    // sampler; `latency` stratifies by the authors' metric device (NB201 1080ti_32, FBNet
    // gold_6240).
    std::string source_sampler = "random";
    std::string sampler_encoding = "zcp";  // for feature-based samplers
    std::string supp = "none";             // supplementary encoding for the head
    uint64_t seed = 42;
    Device device = Device::CPU;
    // CPU threads running a pre-training batch's shards side by side (models/shards.h; 0: every
    // core). Not part of the recipe's result: the weights are the same bits for any count.
    int train_threads = 1;

    // Fills the -1 defaults of the space and checks every value; bad values -> one-line error.
    void resolve();
    // S for a pre-training on `sources` devices: source_samples raised to the floor
    // min_source_total / sources (rounded up), then the floor cleared. S = 0 stays 0.
    void fit_to_sources(size_t sources);
};

// The recipe `name` ("practitioner" or "paper") for `space`: its flavor, scoring,
// supplementary encoding, S and epochs; every other field keeps its default.
PretrainRecipe recipe_named(const std::string& name, Space space);

}  // namespace nasflat::nas
