// model_options.cpp — see model_options.h.
#include "nas/cli/model_options.h"

#include "nas/cli/common.h"
#include "nas/cli/device_option.h"

namespace nasflat::cli {

void add_model_options(CLI::App& v, ModelFlags& f) {
    v.add_option("--space", f.space, "nb201 or fbnet")->capture_default_str();
    v.add_option("--source-samples", f.o.source_samples,
                 "pre-training archs per source device (0 = no pre-training; default NB201 "
                 "900, FBNet 800)")
        ->check(CLI::Range(0, 1 << 20));
    v.add_option("--epochs", f.o.epochs, "pre-training epochs")
        ->check(CLI::Range(0, 1 << 20))
        ->capture_default_str();
    v.add_option("--lr", f.o.lr, "pre-training learning rate")
        ->check(finite_in(0.0, 1.0, true))
        ->capture_default_str();
    v.add_option("--batch-size", f.o.batch_size, "pre-training batch")
        ->check(CLI::Range(2, 1 << 20))
        ->capture_default_str();
    v.add_option("--config", f.config, "reference (the authors' model semantics) or fixed")
        ->capture_default_str();
    v.add_option("--gnn-type", f.gnn_type, "ensemble, dense (graph-flow only) or gat")
        ->capture_default_str();
    v.add_option("--fuse", f.fuse, "how an ensemble layer joins its branches: add or mlp")
        ->capture_default_str();
    v.add_option("--weight-decay", f.o.weight_decay, "AdamW decoupled weight decay")
        ->check(finite_in(0.0, 1.0))
        ->capture_default_str();
    v.add_option("--eta-min", f.o.eta_min, "cosine schedule floor (at most --lr)")
        ->check(finite_in(0.0, 1.0))
        ->capture_default_str();
    v.add_option("--source-sampler", f.o.source_sampler,
                 "how the pre-training archs are chosen (the authors' --source_sampon)")
        ->capture_default_str();
    v.add_flag("--hwemb-to-mlp", f.o.hwemb_to_mlp,
               "device embedding to the head instead of the node gates");
    v.add_option("--supp", f.o.supp, "supplementary encoding for the head, or none")
        ->capture_default_str();
    v.add_option("--encoding", f.o.sampler_encoding, "encoding the feature samplers read")
        ->capture_default_str();
    v.add_flag("--score-once", f.score_once,
               "score each batch once and pair the scores (instead of two forwards)");
    add_seed_option(v, f.o.seed);
    f.o.seed = 42;
    add_device_option(v, f.device);
}

nas::ExperimentOptions model_options(const ModelFlags& f) {
    nas::ExperimentOptions o = f.o;
    o.space = nas::parse_space(f.space);
    o.flavor = models::parse_flavor(f.config);
    o.layer_type = models::parse_layer_type(f.gnn_type);
    o.fuse = models::parse_fuse(f.fuse);
    o.scoring = f.score_once ? models::PairScoring::ScoreOnce : models::PairScoring::TwoForwards;
    o.device = resolve_device(f.device);
    return o;
}

}  // namespace nasflat::cli
