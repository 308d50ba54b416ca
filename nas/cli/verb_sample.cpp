// verb_sample.cpp — `nasflat sample`: which architectures to measure on a new device, chosen
// by one of the samplers (samplers/samplers.h) among the whole space or a user's --pool of
// architectures they can measure. Writes a JSON file in the measurement layout (fill in
// "unit"/"latency" after measuring) or a text file of one arch per line.
// --fill-from DEVICE copies that data-folder device's values into the file: a simulated
// measurement, for walk-throughs and benchmarks (the candidates are then the archs it covers).
// Example:
//   nasflat sample --space nb201 --count 20 --sampler kmeancosine --out to_measure.json
#include <iostream>

#include "kernels/base/check.h"
#include "nas/arch_list.h"
#include "nas/cli/common.h"
#include "nas/cli/verbs.h"
#include "nas/device_data.h"
#include "nas/encoding.h"
#include "nas/training_steps.h"
#include "samplers/samplers.h"

namespace nasflat::cli {
namespace {

struct Flags {
    std::string data, space, sampler = "kmeancosine", encoding = "zcp", pool, fill_from, out;
    int count = 20;
    uint64_t seed = 0;
};

void run_sample(Flags& f) {
    const nas::Space space = nas::parse_space(f.space);
    const samplers::Method method = samplers::parse_method(f.sampler);
    NASFLAT_CHECK(method != samplers::Method::Latency || !f.fill_from.empty(),
                  "--sampler latency stratifies by the TRUE latency of the device, which a new "
                  "device does not have; fix: use kmeancosine, kmeans, cosine, cosine_greedy, "
                  "params or random (latency works only with --fill-from, as an oracle)");
    NASFLAT_CHECK(f.count >= 1, "--count must be at least 1, got ", f.count);
    const std::string fmt = f.out.empty() ? "stdout" : format_of(f.out, {"json", "txt"});
    const std::string data_dir = nas::resolve_data_dir(f.data);
    const nas::SearchSpace ss = nas::SearchSpace::load(data_dir, space);

    std::vector<int32_t> candidates;
    if (f.pool.empty()) {
        for (int a = 0; a < ss.size(); ++a) candidates.push_back(a);
    } else {
        candidates = nas::load_arch_list(f.pool, ss);
    }
    nas::DeviceData device;
    if (!f.fill_from.empty()) {
        device = nas::load_device(data_dir, space, f.fill_from);
        std::vector<int32_t> covered;
        for (int32_t a : candidates) {
            if (device.covers(a)) covered.push_back(a);
        }
        candidates = covered;
    }
    NASFLAT_CHECK(static_cast<int>(candidates.size()) >= f.count, "sample: only ",
                  candidates.size(), " candidate architectures for --count ", f.count,
                  "; fix: lower --count or give a larger --pool");
    nas::Encoding enc;
    if (samplers::needs_features(method)) enc = nas::load_encoding(data_dir, ss, f.encoding);
    const std::vector<double> truth =
        method == samplers::Method::Latency ? device.dense(ss.size()) : std::vector<double>();
    Rng rng(f.seed);
    const std::vector<int32_t> chosen =
        nas::sample_archs(method, f.count, candidates, ss, &enc, &truth, rng);

    if (fmt == "stdout" || fmt == "txt") {
        std::string text = "# " + std::to_string(chosen.size()) + " " + f.space +
                           " architectures chosen by " + f.sampler + " (seed " +
                           std::to_string(f.seed) + "): index<TAB>arch\n";
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
        nlohmann::json extra = {{"source", "nasflat sample --sampler " + f.sampler +
                                               " --seed " + std::to_string(f.seed)}};
        std::vector<double> values;
        if (!f.fill_from.empty()) {
            for (int32_t a : chosen) values.push_back(device.value(a));
            extra["device"] = f.fill_from;
            extra["note"] = "latencies copied from the data folder's " + f.fill_from +
                            " file (a simulated measurement)";
        }
        nas::save_arch_list(f.out, ss, chosen, f.fill_from.empty() ? nullptr : &values, extra);
    }
    std::cout << "chose " << chosen.size() << " of " << candidates.size() << " "
              << f.space << " architectures with " << f.sampler
              << (f.fill_from.empty() ? "" : ", latencies from " + f.fill_from) << "\n  wrote "
              << f.out << "\n";
}

}  // namespace

void register_sample(CLI::App& app) {
    auto flags = std::make_shared<Flags>();
    Flags& f = *flags;
    CLI::App* v = app.add_subcommand("sample", "choose the architectures to measure on a new "
                                               "device");
    add_data_option(*v, f.data);
    add_space_option(*v, f.space, false);
    v->add_option("--count", f.count, "how many architectures")->capture_default_str();
    v->add_option("--sampler", f.sampler, "kmeancosine, kmeans, cosine, cosine_greedy, params "
                                          "or random")
        ->capture_default_str();
    v->add_option("--encoding", f.encoding, "encoding the feature samplers read (zcp, onehot, "
                                            "params, flops)")
        ->capture_default_str();
    v->add_option("--pool", f.pool, "choose only among these architectures (a JSON or text "
                                    "arch list)");
    v->add_option("--fill-from", f.fill_from, "copy this data-folder device's latencies into the "
                                              "file (a simulated measurement)");
    v->add_option("--out", f.out, "file to write: .json (measurement layout) or .txt (one "
                                  "index per line); default: print to stdout");
    add_seed_option(*v, f.seed);
    v->callback([flags] { run_sample(*flags); });
}

}  // namespace nasflat::cli
