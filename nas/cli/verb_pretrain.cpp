// verb_pretrain.cpp — `nasflat pretrain`: trains a predictor on source devices of the data
// folder and saves it (weights, configuration, device table, encoding fingerprint, format
// version, checksum; written atomically). With the same seed and settings it is exactly the
// pre-trained model of trial 1 of `nasflat experiment`.
// Example:
//   nasflat pretrain --space nb201 --task 0 --out nb201_nd.ckpt
//   nasflat pretrain --space fbnet --devices 1080ti_1,pixel3 --epochs 50 --out f.ckpt
//   nasflat pretrain --space nb201 --exclude pixel2 --out all_but_pixel2.ckpt
#include <algorithm>
#include <iostream>

#include "kernels/base/check.h"
#include "kernels/base/file_io.h"
#include "nas/base/json_io.h"
#include "nas/cli/common.h"
#include "nas/cli/model_options.h"
#include "nas/cli/verbs.h"
#include "nas/data/device_data.h"
#include "nas/predictor/predictor.h"

namespace nasflat::cli {
namespace {

struct Flags {
    std::string data, task, devices, exclude, out;
    int threads = 0;
    ModelFlags m;
};

void run_pretrain(Flags& f) {
    space_from_task(f.m, f.task);
    nas::PretrainRecipe o = model_options(f.m);
    NASFLAT_CHECK(f.threads >= 0, "pretrain: --threads must be >= 0 (0: every core), got ",
                  f.threads);
    o.train_threads = f.threads;
    NASFLAT_CHECK(f.task.empty() || f.devices.empty(), "pretrain: pass --task (its source "
                  "devices) or --devices a,b,..., not both (neither: every device of the space)");
    std::vector<std::string> sources;
    std::string origin, task_name;
    const std::string data_dir = nas::resolve_data_dir(f.data);
    if (!f.task.empty()) {
        const nas::Task task = resolve_task(f.task, o.space);
        sources = task.sources;
        task_name = task.name;
        origin = "the sources of task " + task.name;
    } else if (!f.devices.empty()) {
        sources = nas::split_names(f.devices);
        origin = "--devices";
        for (size_t i = 0; i < sources.size(); ++i) {
            for (size_t j = 0; j < i; ++j) {
                NASFLAT_CHECK(sources[i] != sources[j], "--devices lists '",
                              printable(sources[i], 60), "' twice; fix: name each device once");
            }
        }
    } else {
        sources = nas::list_devices(data_dir, o.space);
        origin = "every device of the data folder";
    }
    format_of(f.out, {"ckpt"});
    o.resolve();
    const std::vector<std::string> known = nas::list_devices(data_dir, o.space);
    const std::vector<std::string> excluded = nas::split_names(f.exclude);
    for (size_t i = 0; i < excluded.size(); ++i) {
        const std::string& x = excluded[i];
        NASFLAT_CHECK(std::find(known.begin(), known.end(), x) != known.end(), "--exclude: '",
                      printable(x, 60), "' is not a ", nas::space_name(o.space), " device of ",
                      data_dir, "; fix: see `nasflat data --space ", nas::space_name(o.space), "`");
        sources.erase(std::remove(sources.begin(), sources.end(), x), sources.end());
        origin += (i == 0 ? " except " : ", ") + x;
    }
    NASFLAT_CHECK(!sources.empty(), "--exclude leaves no device to pre-train on; fix: exclude "
                  "fewer devices");
    for (const auto& s : sources) {
        NASFLAT_CHECK(std::find(known.begin(), known.end(), s) != known.end(), "--devices: '", printable(s, 60),
                      "' is not a ", nas::space_name(o.space), " device of ", data_dir,
                      "; fix: see `nasflat data --space ", nas::space_name(o.space), "`",
                      nas::closest_name(s, known).empty() ? std::string()
                                                          : " (did you mean '" + nas::closest_name(s, known) + "'?)");
    }
    StagedFile out(f.out, Durability::Fsync);  // a bad folder fails now, before the training
    std::cerr << "[load] " << nas::space_name(o.space) << " from " << data_dir << " on "
              << device_name(o.device) << std::endl;
    auto ctx = nas::SpaceContext::load(data_dir, o.space, o.flavor);
    nas::Predictor p = nas::pretrain_predictor(o, *ctx, sources, std::cerr);
    if (!task_name.empty()) p.info.pretrain["task"] = task_name;
    out.write(nas::predictor_bytes(p));
    out.publish();
    if (o.source_samples == 0 || o.epochs == 0) {
        std::cout << "initialised a " << nas::space_name(o.space) << " predictor ("
                  << models::flavor_name(o.flavor) << ", " << p.model->params().numel()
                  << " parameters) without pre-training (--source-samples 0 or --epochs 0)\n";
    } else {
        std::cout << "pre-trained a " << nas::space_name(o.space) << " predictor ("
                  << models::flavor_name(o.flavor) << ", " << p.model->params().numel()
                  << " parameters) on " << sources.size() << " devices (" << origin << "), "
                  << p.info.pretrain.value("source_samples", o.source_samples) << " archs each, "
                  << o.epochs << " epochs\n";
    }
    std::cout << "  wrote " << f.out << "\n";
}

}  // namespace

void register_pretrain(CLI::App& app) {
    auto flags = std::make_shared<Flags>();
    Flags& f = *flags;
    CLI::App* v = app.add_subcommand(
        "pretrain", "train a predictor on source devices of the data folder and save it");
    add_data_option(*v, f.data);
    add_model_options(*v, f.m, "practitioner");
    v->add_option("--task", f.task, "train on the source devices of this task (0..5, N0..F5, "
                                    "ND, NA, FD, FA)");
    v->add_option("--devices", f.devices, "train on these devices (comma-separated; default, "
                                          "without --task: every device of the space)");
    v->add_option("--exclude", f.exclude,
                  "leave these devices out (comma-separated), e.g. the device you will transfer "
                  "to when the data folder has it");
    v->add_option("--out", f.out, "checkpoint file to write (.ckpt)")->required();
    v->add_option("--threads", f.threads,
                  "CPU threads training each batch's shards side by side (0: every core; the "
                  "same weights for any count)");
    v->callback([flags] { run_pretrain(*flags); });
}

}  // namespace nasflat::cli
