// verb_experiment.cpp — `nasflat experiment`: the NASFLAT task-suite experiment (nas/experiment.h)
// from the command line; prints per-device and per-task Spearman/Kendall beside the authors'
// number, one progress line per phase, the wall time; --json writes the result file.
// Example (the README's main job):
//   nasflat experiment --space fbnet --task 2 --samples 20 --trials 1 --source-samples 100
//       --epochs 20 --config fixed --score-once
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "kernels/check.h"
#include "kernels/profiler.h"

#include "nas/cli/common.h"
#include "nas/cli/device_option.h"
#include "nas/experiment.h"
#include "nas/experiment_report.h"

namespace nasflat::cli {
namespace {

struct Flags {
    std::string data, space = "nb201", task = "0", config = "reference", protocol = "full";
    std::string gnn_type = "ensemble", fuse = "add", score = "last4", device, json;
    bool no_transfer_hwemb = false, score_once = false;
    nas::ExperimentOptions o;
};

void run_experiment_verb(Flags& f) {
    nas::ExperimentOptions o = f.o;
    o.space = nas::parse_space(f.space);
    nas::Task task = nas::parse_task(f.task.size() == 1 && std::isdigit(f.task[0])
                                         ? std::string(o.space == nas::Space::NB201 ? "N" : "F") + f.task
                                         : f.task);
    NASFLAT_CHECK(task.space == o.space, "--task ", f.task, " is a ", nas::space_name(task.space),
                  " task but --space is ", f.space);
    o.task = task.index;
    o.flavor = models::parse_flavor(f.config);
    o.layer_type = models::parse_layer_type(f.gnn_type);
    o.fuse = models::parse_fuse(f.fuse);
    o.protocol = nas::parse_protocol(f.protocol);
    o.score = nas::parse_score_mode(f.score);
    o.transfer_hwemb = !f.no_transfer_hwemb;
    o.scoring = f.score_once ? models::PairScoring::ScoreOnce : models::PairScoring::TwoForwards;
    o.device = resolve_device(f.device);
    o.resolve();
    const std::string data_dir = nas::resolve_data_dir(f.data);
    std::cerr << "[load] " << nas::space_name(o.space) << " from " << data_dir << " on "
              << device_name(o.device) << std::endl;
    auto ctx = nas::SpaceContext::load(data_dir, o.space, nas::graph_mode_for(o.flavor));
    // NASFLAT_KERNEL_PROFILE=1: time every kernel (synchronised) and print the totals at the end.
    const bool profile = std::getenv("NASFLAT_KERNEL_PROFILE") != nullptr;
    const auto backend = o.device == Device::CUDA ? kernels::Backend::Cuda : cpu_backend();
    if (profile) kernels::enable_kernel_profiling(backend, true);
    nas::ExperimentResult r = nas::run_experiment(o, *ctx, std::cerr, [&](const auto& so_far) {
        if (!f.json.empty()) nas::write_experiment_json(so_far, f.json);
    });
    if (profile) {
        std::fprintf(stderr, "kernel profile (wall time %.1f s):\n", r.seconds);
        kernels::print_kernel_profile(stderr);
        kernels::enable_kernel_profiling(backend, false);
    }
    nas::print_experiment(r, std::cout);
    if (!f.json.empty()) {
        nas::write_experiment_json(r, f.json);
        std::cout << "  wrote " << f.json << "\n";
    }
}

}  // namespace

void register_experiment(CLI::App& app) {
    auto flags = std::make_shared<Flags>();
    Flags& f = *flags;
    CLI::App* v = app.add_subcommand("experiment", "pre-train on a task's source devices, transfer "
                                                   "to its targets, score (the NASFLAT task suite)");
    add_data_option(*v, f.data);
    v->add_option("--space", f.space, "nb201 or fbnet")->capture_default_str();
    v->add_option("--task", f.task, "task 0..5 (or N0..N5, F0..F5, ND, NA, FD, FA)")
        ->capture_default_str();
    v->add_option("--samples", f.o.samples, "target samples T (several allowed)")
        ->capture_default_str();
    v->add_option("--trials", f.o.trials, "independent trials")->capture_default_str();
    v->add_option("--source-samples", f.o.source_samples,
                  "pre-training archs per source device (0 = train from scratch on the target "
                  "samples; default NB201 900, FBNet 800)");
    v->add_option("--epochs", f.o.epochs, "pre-training epochs")->capture_default_str();
    v->add_option("--transfer-epochs", f.o.transfer_epochs,
                  "fine-tuning epochs (default NB201 40, FBNet 30)");
    v->add_option("--lr", f.o.lr, "pre-training learning rate")->capture_default_str();
    v->add_option("--transfer-lr", f.o.transfer_lr, "fine-tuning learning rate (default NB201 "
                                                    "3e-3, FBNet 1e-3)");
    v->add_option("--batch-size", f.o.batch_size, "pre-training batch")->capture_default_str();
    v->add_option("--transfer-batch-size", f.o.transfer_batch_size, "fine-tuning batch")
        ->capture_default_str();
    v->add_option("--config", f.config, "reference (the authors' model semantics) or fixed")
        ->capture_default_str();
    v->add_option("--gnn-type", f.gnn_type, "ensemble, dense (graph-flow only) or gat")
        ->capture_default_str();
    v->add_option("--fuse", f.fuse, "how an ensemble layer joins its branches: add or mlp")
        ->capture_default_str();
    v->add_option("--weight-decay", f.o.weight_decay, "AdamW decoupled weight decay")
        ->capture_default_str();
    v->add_option("--eta-min", f.o.eta_min, "cosine schedule floor")->capture_default_str();
    v->add_option("--source-sampler", f.o.source_sampler,
                  "how the pre-training archs are chosen (the authors' --source_sampon)")
        ->capture_default_str();
    v->add_flag("--hwemb-to-mlp", f.o.hwemb_to_mlp,
                "device embedding to the head instead of the node gates");
    v->add_flag("--no-transfer-hwemb", f.no_transfer_hwemb,
                "keep the target's random device row (no copy from the best source)");
    v->add_option("--protocol", f.protocol, "full, first128 or aliasing (the last two only "
                                            "reproduce the authors' numbers)")
        ->capture_default_str();
    v->add_option("--sampler", f.o.sampler, "random, params, latency (oracle), kmeans, cosine, "
                                            "cosine_greedy, kmeancosine")
        ->capture_default_str();
    v->add_option("--encoding", f.o.sampler_encoding, "encoding the feature samplers read")
        ->capture_default_str();
    v->add_option("--supp", f.o.supp, "supplementary encoding for the head, or none")
        ->capture_default_str();
    v->add_option("--score", f.score, "last4 (mean of the last 4 transfer epochs) or final")
        ->capture_default_str();
    v->add_flag("--score-once", f.score_once,
                "score each batch once and pair the scores (instead of two forwards)");
    v->add_option("--eval-batch", f.o.eval_batch, "batch size when scoring")->capture_default_str();
    add_seed_option(*v, f.o.seed);
    f.o.seed = 42;
    add_device_option(*v, f.device);
    v->add_option("--json", f.json, "write the result as JSON to this file");
    v->callback([flags] { run_experiment_verb(*flags); });
}

}  // namespace nasflat::cli
