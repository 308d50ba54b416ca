// verb_experiment.cpp — `nasflat experiment`: the NASFLAT task-suite experiment
// (nas/experiment/experiment.h) from the command line, with the NASFLAT model or (--predictor
// multipredict) the MultiPredict baseline; prints per-device and per-task Spearman/Kendall
// beside the authors' number, one progress line per phase, the wall time; --json writes the
// result file.
// Example (the README's main job):
//   nasflat experiment --space fbnet --task 2 --samples 20 --trials 1 --source-samples 100
//       --epochs 20 --config fixed --score-once
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "kernels/base/check.h"
#include "kernels/base/file_io.h"
#include "kernels/profiled_table.h"
#include "nas/base/plot.h"
#include "nas/cli/baseline_options.h"
#include "nas/cli/common.h"
#include "nas/cli/device_option.h"
#include "nas/cli/model_options.h"
#include "nas/experiment/experiment.h"
#include "nas/experiment/experiment_report.h"

namespace nasflat::cli {
namespace {

struct Flags {
    std::string data, task = "0", score = "last4", json, plot, predictor = "nasflat";
    std::vector<std::string> protocols = {"full"};
    bool no_transfer_hwemb = false;
    ModelFlags m;
    nas::ExperimentOptions x;  // the experiment's own flags (the recipe's are in m)
};

void run_experiment_verb(Flags& f) {
    space_from_task(f.m, f.task);
    nas::ExperimentOptions o = f.x;
    o.recipe() = model_options(f.m);
    const nas::Task task = resolve_task(f.task, o.space);
    o.task = task.index;
    o.predictor = nas::parse_predictor(f.predictor);
    o.protocol = nas::parse_protocol(f.protocols.at(0));
    for (size_t i = 1; i < f.protocols.size(); ++i) {
        const nas::Protocol extra = nas::parse_protocol(f.protocols[i]);
        NASFLAT_CHECK(o.protocol == nas::Protocol::Full && extra == nas::Protocol::First128,
                      "--protocol: only 'full first128' can share one run (the same fine-tuned "
                      "models scored on two sets); got '",
                      f.protocols[0], " ", f.protocols[i], "'");
        o.also_first128 = true;
    }
    o.score = nas::parse_score_mode(f.score);
    o.transfer_hwemb = !f.no_transfer_hwemb;
    o.keep_predictions = !f.plot.empty();
    if (!f.json.empty()) format_of(f.json, {"json"});
    if (!f.plot.empty()) format_of(f.plot, {"svg"});
    o.resolve();
    const std::string data_dir = nas::resolve_data_dir(f.data);
    // Outputs are staged now (a bad folder fails before hours of training) and published
    // together at the end; finished trials are kept meanwhile in <json>.partial.
    std::unique_ptr<StagedFile> json, plot;
    if (!f.json.empty()) json = std::make_unique<StagedFile>(f.json);
    if (!f.plot.empty()) plot = std::make_unique<StagedFile>(f.plot);
    const std::string partial = f.json.empty() ? "" : f.json + ".partial";
    std::cerr << "[load] " << nas::space_name(o.space) << " from " << data_dir << " on "
              << device_name(o.device) << std::endl;
    auto ctx = nas::SpaceContext::load(data_dir, o.space, o.flavor);
    // NASFLAT_KERNEL_PROFILE=1: time every kernel (synchronised) and print the totals at the end.
    const bool profile = std::getenv("NASFLAT_KERNEL_PROFILE") != nullptr;
    const auto backend = o.device == Device::CUDA ? kernels::Backend::Cuda : cpu_backend();
    if (profile) kernels::enable_kernel_profiling(backend, true);
    nas::ExperimentResult r = nas::run_experiment(o, *ctx, std::cerr, [&](const auto& so_far) {
        if (!partial.empty()) nas::write_experiment_json(so_far, partial);
    });
    if (profile) {
        std::fprintf(stderr, "kernel profile (wall time %.1f s):\n", r.seconds);
        kernels::print_kernel_profile(stderr);
        kernels::enable_kernel_profiling(backend, false);
    }
    std::vector<StagedFile*> outputs;
    if (json) {
        json->write(nas::experiment_json(r) + "\n");
        outputs.push_back(json.get());
    }
    if (plot) {
        plot->write(nas::render_svg(nas::experiment_plot(r)));
        outputs.push_back(plot.get());
    }
    publish_all(outputs);
    if (!partial.empty()) std::remove(partial.c_str());
    nas::print_experiment(r, std::cout);
    if (json) std::cout << "  wrote " << f.json << "\n";
    if (plot) std::cout << "  wrote " << f.plot << "\n";
}

}  // namespace

void register_experiment(CLI::App& app) {
    auto flags = std::make_shared<Flags>();
    Flags& f = *flags;
    CLI::App* v = app.add_subcommand("experiment",
                                     "pre-train on a task's source devices, transfer "
                                     "to its targets, score (the NASFLAT task suite)");
    add_data_option(*v, f.data);
    add_model_options(*v, f.m, "paper");
    v->add_option("--predictor", f.predictor,
                  "nasflat, multipredict or help (the MultiPredict and HELP baselines: same "
                  "tasks, trials, seeds, number of target measurements and scoring; their own "
                  "settings are the --mp-* and --help-* flags)")
        ->check(CLI::IsMember({"nasflat", "multipredict", "help"}))
        ->capture_default_str();
    add_baseline_options(*v, f.x.multipredict, f.x.help);
    v->add_option("--task", f.task, "task 0..5 (or N0..N5, F0..F5, ND, NA, FD, FA)")
        ->capture_default_str();
    v->add_option("--samples", f.x.samples, "target samples T (several allowed)")
        ->check(CLI::Range(2, 1 << 20))
        ->capture_default_str();
    v->add_option("--trials", f.x.trials, "independent trials")
        ->check(CLI::Range(1, 1 << 16))
        ->capture_default_str();
    v->add_option("--first-trial", f.x.first_trial,
                  "index of the first trial (seeds as in one long run; merge split runs with "
                  "scripts/paper/merge_trials.py)")
        ->check(CLI::Range(0, 1 << 16))
        ->capture_default_str();
    f.x.threads = 0;
    v->add_option("--threads", f.x.threads,
                  "CPU threads fine-tuning a trial's targets side by side (0: every core; the "
                  "same results for any count)")
        ->check(CLI::Range(0, 4096))
        ->capture_default_str();
    v->add_option("--transfer-epochs", f.x.transfer_epochs,
                  "fine-tuning epochs (default NB201 40, FBNet 30)")
        ->check(CLI::Range(1, 1 << 20));
    v->add_option("--transfer-lr", f.x.transfer_lr,
                  "fine-tuning learning rate (default NB201 "
                  "3e-3, FBNet 1e-3)")
        ->check(finite_in(0.0, 1.0, true));
    v->add_option("--transfer-batch-size", f.x.transfer_batch_size, "fine-tuning batch")
        ->check(CLI::Range(2, 1 << 20))
        ->capture_default_str();
    v->add_flag("--no-transfer-hwemb", f.no_transfer_hwemb,
                "keep the target's random device row (no copy from the best source)");
    v->add_option("--protocol", f.protocols,
                  "full, first128 or aliasing (the last two only reproduce the authors' "
                  "numbers); 'full first128' scores the same fine-tuned models both ways")
        ->capture_default_str();
    v->add_option("--sampler", f.x.samplers,
                  "random, params, latency (oracle), kmeans, cosine, cosine_greedy, "
                  "kmeancosine; a feature sampler may name its encoding (kmeancosine:caz); "
                  "several share each trial's pre-training")
        ->capture_default_str();
    v->add_option("--score", f.score, "last4 (mean of the last 4 transfer epochs) or final")
        ->capture_default_str();
    v->add_flag("--self-check", f.x.self_check,
                "transfer as `nasflat transfer` does: blend the model with FLOPs, params, the "
                "best source device and a ridge over the sources by out-of-fold evidence");
    v->add_option("--blend", f.x.blend_rule, "with --self-check: a power p or 'best'")
        ->capture_default_str();
    v->add_option("--eval-batch", f.x.eval_batch,
                  "batch size when scoring (default: CPU 256, "
                  "CUDA 32768)")
        ->check(CLI::Range(1, 1 << 24));
    v->add_option("--json", f.json,
                  "write the result as JSON to this file (finished trials are kept in "
                  "<file>.partial while the run goes on)");
    v->add_option("--plot", f.plot,
                  "write an SVG: Spearman vs T, and predicted vs measured "
                  "latency of the last trial");
    v->callback([flags] { run_experiment_verb(*flags); });
}

}  // namespace nasflat::cli
