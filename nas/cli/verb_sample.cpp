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
#include "kernels/base/file_io.h"
#include "nas/data/arch_list.h"
#include "nas/cli/common.h"
#include "nas/cli/verbs.h"
#include "nas/data/device_data.h"
#include "nas/data/encoding.h"
#include "nas/predictor/training_steps.h"
#include "samplers/farthest.h"
#include "samplers/samplers.h"

namespace nasflat::cli {
namespace {

struct Flags {
    std::string data, space, sampler = "kmeancosine", encoding = "zcp", pool, fill_from, out,
        metric = "latency";
    std::string measured;  // --measured FILE: choose --more given these
    int count = 20, more = 0;
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
    NASFLAT_CHECK((f.more > 0) == !f.measured.empty(), "--more N chooses N architectures given "
                  "those already measured: pass it with --measured FILE");
    NASFLAT_CHECK(f.metric == "latency" || !f.fill_from.empty(), "--metric names what "
                  "--fill-from copies; without --fill-from it has no effect");
    const std::string fmt = f.out.empty() ? "stdout" : format_of(f.out, {"json", "txt"});
    NASFLAT_CHECK(f.fill_from.empty() || fmt == "json", "--fill-from copies latencies, which ",
                  fmt == "txt" ? "a text arch list" : "the listing on stdout",
                  " cannot hold; fix: --out FILE.json (a measurement file)");
    check_output_is_not_input(f.out, {f.pool, f.measured}, "--out");
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
        device = f.metric == "energy" ? nas::load_energy(data_dir, space, f.fill_from)
                                      : nas::load_device(data_dir, space, f.fill_from);
        std::vector<int32_t> covered;
        for (int32_t a : candidates) {
            if (device.covers(a)) covered.push_back(a);
        }
        candidates = covered;
    }
    const int count = f.more > 0 ? f.more : f.count;
    NASFLAT_CHECK(static_cast<int>(candidates.size()) >= count, "sample: only ",
                  candidates.size(), " candidate architectures for ",
                  f.more > 0 ? "--more " : "--count ", count,
                  "; fix: ask for fewer or give a larger --pool");
    nas::Encoding enc;
    if (samplers::needs_features(method) || f.more > 0)
        enc = nas::load_encoding(data_dir, ss, f.encoding);
    const std::vector<double> truth =
        method == samplers::Method::Latency ? device.dense(ss.size()) : std::vector<double>();
    Rng rng(f.seed);
    std::vector<int32_t> chosen;
    if (f.more > 0) {
        // Farthest-first over the encoding, away from what is measured already.
        samplers::SamplerInput in;
        in.candidates = candidates;
        in.features = enc.values.data();
        in.dim = enc.dim;
        in.space_size = ss.size();
        chosen = samplers::sample_farthest(count, in, nas::load_arch_list(f.measured, ss));
    } else {
        chosen = nas::sample_archs(method, count, candidates, ss, &enc, &truth, rng);
    }
    const std::string how = f.more > 0 ? "farthest-first beside " + f.measured : f.sampler;

    if (fmt == "stdout" || fmt == "txt") {
        std::string text = "# " + std::to_string(chosen.size()) + " " + f.space +
                           " architectures chosen by " + how + " (seed " +
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
        nlohmann::json extra = {
            {"source", f.more > 0 ? "nasflat sample --more " + std::to_string(f.more) +
                                        " --measured " + f.measured + " --encoding " + f.encoding
                                  : "nasflat sample --sampler " + f.sampler + " --seed " +
                                        std::to_string(f.seed)}};
        std::vector<double> values;
        if (!f.fill_from.empty()) {
            for (int32_t a : chosen) values.push_back(device.value(a));
            extra["device"] = f.fill_from;
            extra["note"] = f.metric + " copied from the data folder's " + f.fill_from +
                            " file (a simulated measurement)";
        }
        nas::save_arch_list(f.out, ss, chosen, f.fill_from.empty() ? nullptr : &values, extra,
                            f.metric);
    }
    std::cout << "chose " << chosen.size() << " of " << candidates.size() << " "
              << f.space << " architectures with " << how
              << (f.fill_from.empty() ? "" : ", " + f.metric + " from " + f.fill_from) << "\n  wrote "
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
    v->add_option("--count", f.count, "how many architectures")
        ->check(CLI::Range(1, 1 << 24))
        ->capture_default_str();
    v->add_option("--sampler", f.sampler, "kmeancosine, kmeans, cosine, cosine_greedy, params "
                                          "or random")
        ->capture_default_str();
    v->add_option("--encoding", f.encoding, "encoding the feature samplers read (zcp, onehot, "
                                            "params, flops)")
        ->capture_default_str();
    v->add_option("--more", f.more,
                  "choose this many more architectures, farthest (in --encoding) from those "
                  "of --measured: what to measure when transfer says the samples are too few")
        ->check(CLI::Range(1, 1 << 24));
    v->add_option("--measured", f.measured,
                  "with --more: the architectures measured already (a measurement file or an "
                  "arch list)");
    v->add_option("--pool", f.pool, "choose only among these architectures (a JSON or text "
                                    "arch list)");
    v->add_option("--fill-from", f.fill_from, "copy this data-folder device's latencies into the "
                                              "file (a simulated measurement)");
    v->add_option("--metric", f.metric, "with --fill-from: latency or energy (NB201 edgegpu, "
                                        "eyeriss, fpga)")
        ->check(CLI::IsMember({"latency", "energy"}))
        ->capture_default_str();
    v->add_option("--out", f.out, "file to write: .json (measurement layout) or .txt (one "
                                  "index per line); default: print to stdout");
    add_seed_option(*v, f.seed);
    v->callback([flags] { run_sample(*flags); });
}

}  // namespace nasflat::cli
