// verb_sample.cpp — `nasflat sample`: which architectures to measure on a new device, chosen
// by one of the samplers (samplers/samplers.h) among the whole space or a user's --pool of
// architectures they can measure (nas/predictor/sampling.h: choose_to_measure). Writes a JSON
// file in the measurement layout (fill in "unit"/"latency" after measuring) or a text file of
// one arch per line.
// --fill-from DEVICE copies that data-folder device's values into the file: a simulated
// measurement, for walk-throughs and benchmarks (the candidates are then the archs it covers).
// Example:
//   nasflat sample --space nb201 --count 20 --sampler kmeancosine --out to_measure.json
#include <iostream>

#include "kernels/base/check.h"
#include "kernels/base/file_io.h"
#include "nas/base/json_io.h"
#include "nas/cli/common.h"
#include "nas/cli/verbs.h"
#include "nas/data/arch_list.h"
#include "nas/predictor/sampling.h"

namespace nasflat::cli {
namespace {

struct Flags {
    std::string data, space, out;
    nas::SampleRequest r;
};

void run_sample(Flags& f) {
    const nas::Space space = nas::parse_space(f.space);
    f.r.check();
    const std::string fmt = f.out.empty() ? "stdout" : format_of(f.out, {"json", "txt"});
    NASFLAT_CHECK(f.r.fill_from.empty() || fmt == "json", "--fill-from copies latencies, which ",
                  fmt == "txt" ? "a text arch list" : "the listing on stdout",
                  " cannot hold; fix: --out FILE.json (a measurement file)");
    check_output_is_not_input(f.out, {f.r.pool, f.r.measured}, "--out");
    const std::string data_dir = nas::resolve_data_dir(f.data);
    const nas::SearchSpace ss = nas::SearchSpace::load(data_dir, space);
    const nas::SampleChoice c = nas::choose_to_measure(ss, data_dir, f.r);
    const std::vector<int32_t>& chosen = c.chosen;
    const std::string how = f.r.more > 0 ? "farthest-first beside " + f.r.measured : f.r.sampler;

    if (fmt == "stdout" || fmt == "txt") {
        std::string text = "# " + std::to_string(chosen.size()) + " " + f.space +
                           " architectures chosen by " + how + " (seed " +
                           std::to_string(f.r.seed) + "): index<TAB>arch\n";
        for (int32_t a : chosen) text += std::to_string(a) + "\t" + ss.arch_string(a) + "\n";
        if (fmt == "stdout") {
            std::cout << text;
            return;
        }
        // A text arch list holds one arch per line: write the indices only.
        text.clear();
        for (int32_t a : chosen) text += std::to_string(a) + "\n";
        nas::write_text_file(f.out, text);
    } else {
        nlohmann::json extra = {
            {"source", f.r.more > 0 ? "nasflat sample --more " + std::to_string(f.r.more) +
                                          " --measured " + f.r.measured + " --encoding " +
                                          f.r.encoding
                                    : "nasflat sample --sampler " + f.r.sampler + " --seed " +
                                          std::to_string(f.r.seed)}};
        if (!f.r.fill_from.empty()) {
            extra["device"] = f.r.fill_from;
            extra["note"] = f.r.metric + " copied from the data folder's " + f.r.fill_from +
                            " file (a simulated measurement)";
        }
        nas::save_arch_list(f.out, ss, chosen, f.r.fill_from.empty() ? nullptr : &c.values, extra,
                            f.r.metric);
    }
    std::cout << "chose " << chosen.size() << " of " << c.candidates << " " << f.space
              << " architectures with " << how
              << (f.r.fill_from.empty() ? "" : ", " + f.r.metric + " from " + f.r.fill_from)
              << "\n  wrote " << f.out << "\n";
}

}  // namespace

void register_sample(CLI::App& app) {
    auto flags = std::make_shared<Flags>();
    Flags& f = *flags;
    CLI::App* v = app.add_subcommand("sample", "choose the architectures to measure on a new "
                                               "device");
    add_data_option(*v, f.data);
    add_space_option(*v, f.space, false);
    v->add_option("--count", f.r.count, "how many architectures")
        ->check(CLI::Range(1, 1 << 24))
        ->capture_default_str();
    v->add_option("--sampler", f.r.sampler,
                  "kmeancosine, kmeans, cosine, cosine_greedy, params or random")
        ->capture_default_str();
    v->add_option("--encoding", f.r.encoding,
                  "encoding the feature samplers read (zcp, onehot, params, flops, arch2vec, cate, caz)")
        ->capture_default_str();
    v->add_option("--more", f.r.more,
                  "choose this many more architectures, farthest (in --encoding) from those "
                  "of --measured: what to measure when transfer says the samples are too few")
        ->check(CLI::Range(1, 1 << 24));
    v->add_option("--measured", f.r.measured,
                  "with --more: the architectures measured already (a measurement file or an "
                  "arch list)");
    v->add_option("--pool", f.r.pool, "choose only among these architectures (a JSON or text "
                                    "arch list)");
    v->add_option("--fill-from", f.r.fill_from, "copy this data-folder device's latencies into the "
                                              "file (a simulated measurement)");
    v->add_option("--metric", f.r.metric, "with --fill-from: latency or energy (NB201 edgegpu, "
                                        "eyeriss, fpga)")
        ->check(CLI::IsMember({"latency", "energy"}))
        ->capture_default_str();
    v->add_option("--out", f.out, "file to write: .json (measurement layout) or .txt (one "
                                  "index per line); default: print to stdout");
    add_seed_option(*v, f.r.seed);
    v->callback([flags] { run_sample(*flags); });
}

}  // namespace nasflat::cli
