// verb_lodo.cpp — `nasflat lodo`: the leave-one-device-out benchmark (nas/experiment/lodo.h).
// For every device of a space: pre-train on every device outside its hardware family, transfer from
// T random samples (several seeded draws), score the rest, beside FLOPs, params, the best device on
// the T samples, a ridge over devices and the oracle device. Prints and writes (--json,
// --markdown) the per-device table. --families lists the families; --targets runs a subset
// (e.g. one process per core) and --merge joins such runs into one table. --baselines adds
// HELP and MultiPredict, trained on the same sources, as columns of their own.
// Examples:
//   nasflat lodo --space nb201 --families
//   nasflat lodo --space nb201 --source-samples 200 --epochs 30 --json nb201_lodo.json
//   nasflat lodo --merge a.json b.json --json all.json --markdown all.md
//   nasflat lodo --merge old.json --answer-rule stack --markdown old_stack.md
#include <iostream>
#include <memory>

#include "kernels/base/check.h"
#include "kernels/base/file_io.h"
#include "nas/base/json_io.h"
#include "nas/cli/baseline_options.h"
#include "nas/cli/common.h"
#include "nas/cli/model_options.h"
#include "nas/cli/verbs.h"
#include "nas/data/families.h"
#include "nas/data/manifest.h"
#include "nas/experiment/lodo.h"

namespace nasflat::cli {
namespace {

struct Flags {
    std::string data, targets, baselines, json, markdown, priors = "flops,params,device,ridge",
                                               blend = "stack";
    std::string answer_rule;
    std::vector<std::string> merge, rules = {"best", "stack", "0", "1", "2", "4", "8", "16"};
    bool families = false;
    ModelFlags m;
    nas::LodoOptions l;
};

void list_families(const Flags& f) {
    const nas::Space space = nas::parse_space(f.m.space);
    const nas::Manifest manifest = nas::load_manifest(nas::resolve_data_dir(f.data));
    std::cout << nas::space_name(space) << " device families (one piece of hardware each):\n";
    for (const auto& fam : nas::device_families(manifest, space)) {
        std::cout << "  " << fam.name << ": " << nas::join_names(fam.devices) << "\n";
    }
}

void write_outputs(const Flags& f, const nas::LodoResult& r) {
    std::unique_ptr<StagedFile> json, md;
    if (!f.json.empty()) json = std::make_unique<StagedFile>(f.json);
    if (!f.markdown.empty()) md = std::make_unique<StagedFile>(f.markdown);
    const std::string table = nas::lodo_markdown(r);
    std::vector<StagedFile*> outputs;
    if (json) {
        json->write(nas::lodo_json(r).dump(1) + "\n");
        outputs.push_back(json.get());
    }
    if (md) {
        md->write(table);
        outputs.push_back(md.get());
    }
    publish_all(outputs);
    std::cout << table;
    if (json) std::cout << "  wrote " << f.json << "\n";
    if (md) std::cout << "  wrote " << f.markdown << "\n";
}

void run_lodo_verb(Flags& f) {
    if (!f.json.empty()) format_of(f.json, {"json"});
    if (!f.markdown.empty()) format_of(f.markdown, {"md"});
    if (f.families) return list_families(f);
    if (!f.merge.empty()) {
        std::vector<nas::LodoResult> parts;
        for (const auto& file : f.merge) {
            check_output_is_not_input(f.json, {file}, "--json");
            parts.push_back(nas::lodo_from_json(nas::read_json_file(file), file));
        }
        nas::LodoResult all = nas::merge_lodo(parts);
        if (!f.answer_rule.empty()) nas::reanswer_lodo(all, f.answer_rule);
        return write_outputs(f, all);
    }
    NASFLAT_CHECK(f.answer_rule.empty(),
                  "--answer-rule reads runs again; fix: use it with "
                  "--merge FILE ...");
    nas::LodoOptions o = f.l;
    o.model = model_options(f.m);
    o.targets = nas::split_names(f.targets);
    o.baselines = nas::split_names(f.baselines);
    o.rules = f.rules;
    o.transfer.priors.clear();
    if (f.priors != "none") o.transfer.priors = nas::split_names(f.priors);
    o.transfer.blend_rule = nas::BlendRule::parse(f.blend);
    o.transfer.scoring = o.model.scoring;
    o.transfer.seed = o.model.seed;
    const std::string data_dir = nas::resolve_data_dir(f.data);
    // Outputs staged before hours of work, so a bad folder fails now.
    if (!f.json.empty()) StagedFile probe(f.json);
    if (!f.markdown.empty()) StagedFile probe(f.markdown);
    const nas::LodoResult r = nas::run_lodo(o, data_dir, std::cerr);
    write_outputs(f, r);
}

}  // namespace

void register_lodo(CLI::App& app) {
    auto flags = std::make_shared<Flags>();
    Flags& f = *flags;
    CLI::App* v = app.add_subcommand(
        "lodo",
        "leave-one-device-out benchmark: every device as a new one, beside simple "
        "baselines");
    add_data_option(*v, f.data);
    add_model_options(*v, f.m, "practitioner");
    v->add_flag("--families", f.families, "list the device families of --space and stop");
    v->add_option("--metric", f.l.metric, "target devices: latency or energy")
        ->check(CLI::IsMember({"latency", "energy"}))
        ->capture_default_str();
    v->add_option("--samples", f.l.samples, "target samples T per draw")
        ->check(CLI::Range(4, 1 << 16))
        ->capture_default_str();
    v->add_option("--draws", f.l.draws, "seeded draws of T samples per device")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    v->add_option("--sampler", f.l.sampler,
                  "how a draw chooses its T samples: random, params, latency (oracle), kmeans, "
                  "cosine, cosine_greedy or kmeancosine, a feature sampler optionally with its "
                  "encoding (kmeancosine:caz)")
        ->capture_default_str();
    v->add_option("--targets", f.targets, "only these devices (comma-separated)");
    v->add_option("--baselines", f.baselines,
                  "predictors run beside ours on the same sources and draws: help, "
                  "multipredict (comma-separated; their settings are the --mp-* and --help-* "
                  "flags)");
    add_baseline_options(*v, f.l.multipredict, f.l.help);
    f.l.threads = 0;
    v->add_option("--threads", f.l.threads,
                  "CPU threads running device families side by side (0: every core; the same "
                  "results for any count)")
        ->check(CLI::Range(0, 4096))
        ->capture_default_str();
    v->add_option("--transfer-epochs", f.l.transfer.epochs,
                  "fine-tuning epochs (default NB201 40, FBNet 30)")
        ->check(CLI::Range(1, 1 << 20));
    v->add_option("--transfer-lr", f.l.transfer.lr, "fine-tuning learning rate")
        ->check(finite_in(0.0, 1.0, true));
    v->add_option("--folds", f.l.transfer.folds, "the transfer's cross-validation folds")
        ->check(CLI::Range(2, 1000))
        ->capture_default_str();
    v->add_option("--priors", f.priors, "priors the transfer scores beside the model, or none")
        ->capture_default_str();
    v->add_option("--blend", f.blend, "the transfer's blend rule: a power p or 'best'")
        ->capture_default_str();
    v->add_option("--rules", f.rules, "blend rules also evaluated (reported, not used)")
        ->capture_default_str();
    v->add_option("--json", f.json, "write the result as JSON");
    v->add_option("--markdown", f.markdown, "write the table as Markdown (.md)");
    v->add_option("--merge", f.merge, "join the --json files of runs split by --targets")
        ->type_name("FILE ...");
    v->add_option("--answer-rule", f.answer_rule,
                  "with --merge: answer with one of the --rules the runs evaluated (e.g. runs "
                  "made before the default blend changed)");
    v->callback([flags] { run_lodo_verb(*flags); });
}

}  // namespace nasflat::cli
