// model_options.cpp — see model_options.h.
#include "nas/cli/model_options.h"

#include <cctype>

#include "kernels/base/check.h"
#include "nas/cli/common.h"
#include "nas/cli/device_option.h"
#include "nas/data/tasks.h"
#include "nas/predictor/recipe.h"

namespace nasflat::cli {

namespace {

bool given(const ModelFlags& f, const char* flag) {
    return f.verb != nullptr && f.verb->get_option(flag)->count() > 0;
}

}  // namespace

void add_model_options(CLI::App& v, ModelFlags& f, const std::string& recipe) {
    f.recipe = recipe;
    f.verb = &v;
    v.add_option("--recipe", f.recipe,
                 "defaults for the flags below: practitioner (chosen on the leave-one-device-out "
                 "benchmark; S 100, 30 epochs; NB201: reference, two-forwards, no --supp; "
                 "FBNet: fixed, --scoring once, --supp flops) or paper (reference, two-forwards, "
                 "no --supp, S 900/800, 150 epochs)")
        ->check(CLI::IsMember({"practitioner", "paper"}))
        ->capture_default_str();
    v.add_option("--space", f.space, "nb201 or fbnet")->capture_default_str();
    v.add_option("--source-samples", f.o.source_samples,
                 "pre-training archs per source device (0 = no pre-training; default: the "
                 "recipe's)")
        ->check(CLI::Range(0, 1 << 20));
    v.add_option("--epochs", f.o.epochs, "pre-training epochs (default: the recipe's)")
        ->check(CLI::Range(0, 1 << 20));
    v.add_option("--lr", f.o.lr, "pre-training learning rate")
        ->check(finite_in(0.0, 1.0, true))
        ->capture_default_str();
    v.add_option("--batch-size", f.o.batch_size, "pre-training batch")
        ->check(CLI::Range(2, 1 << 20))
        ->capture_default_str();
    v.add_option("--config", f.config,
                 "reference (the authors' model semantics) or fixed (default: the recipe's)");
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
    v.add_option("--supp", f.o.supp,
                 "supplementary encoding for the head, or none (default: the recipe's)");
    v.add_option("--encoding", f.o.sampler_encoding, "encoding the feature samplers read")
        ->capture_default_str();
    v.add_option("--scoring", f.scoring,
                 "once (score each batch once and pair the scores) or two-forwards (the "
                 "authors' way; default: the recipe's)")
        ->check(CLI::IsMember({"once", "two-forwards"}));
    v.add_flag("--score-once", f.score_once, "the same as --scoring once");
    add_seed_option(v, f.o.seed);
    f.o.seed = 42;
    add_device_option(v, f.device);
}

nas::PretrainRecipe model_options(const ModelFlags& f) {
    const nas::Space space = nas::parse_space(f.space);
    const nas::PretrainRecipe r = nas::recipe_named(f.recipe, space);
    nas::PretrainRecipe o = f.o;
    if (!given(f, "--source-samples")) o.source_samples = r.source_samples;
    if (!given(f, "--epochs")) o.epochs = r.epochs;
    if (!given(f, "--supp")) o.supp = r.supp;
    NASFLAT_CHECK(!(f.score_once && f.scoring == "two-forwards"),
                  "--score-once and --scoring two-forwards disagree; fix: pass one of them");
    o.space = space;
    o.flavor = f.config.empty() ? r.flavor : models::parse_flavor(f.config);
    o.layer_type = models::parse_layer_type(f.gnn_type);
    o.fuse = models::parse_fuse(f.fuse);
    if (f.score_once || f.scoring == "once") {
        o.scoring = models::PairScoring::ScoreOnce;
    } else {
        o.scoring = f.scoring.empty() ? r.scoring : models::PairScoring::TwoForwards;
    }
    o.device = resolve_device(f.device);
    return o;
}

void space_from_task(ModelFlags& f, const std::string& task) {
    const bool digit = task.size() == 1 && std::isdigit(static_cast<unsigned char>(task[0]));
    if (task.empty() || digit || given(f, "--space")) return;
    f.space = nas::space_name(nas::parse_task(task).space);
}

}  // namespace nasflat::cli
