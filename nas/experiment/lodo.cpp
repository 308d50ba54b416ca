// lodo.cpp — see lodo.h. Randomness: the pre-training of every family is `nasflat pretrain`'s
// (seed o.model.seed), so `nasflat pretrain --devices <the sources>` reproduces it; the draws of
// a device come from (seed, device name, draw), so a device's numbers do not depend on which
// other devices ran.
#include "nas/experiment/lodo.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iomanip>
#include <map>
#include <memory>
#include <sstream>

#include "kernels/base/check.h"
#include "kernels/base/parallel.h"
#include "nas/base/metrics.h"
#include "nas/data/families.h"
#include "nas/data/manifest.h"
#include "nas/experiment/multipredict.h"
#include "nas/predictor/predictor.h"
#include "nas/predictor/sampling.h"
#include "nas/predictor/training_steps.h"

namespace nasflat::nas {

namespace {

uint64_t name_seed(const std::string& name) {
    uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : name) h = (h ^ c) * 1099511628211ULL;
    return h;
}

// The measurements of a target device: latency from the context, energy from its own file.
DeviceData target_data(SpaceContext& ctx, const LodoOptions& o, const std::string& device) {
    if (o.metric == "latency") return ctx.device(device);
    return load_energy(ctx.data_dir(), o.model.space, device);
}

double rho(const std::vector<double>& score, const std::vector<double>& truth) {
    const double r = spearman(score, truth);
    return std::isfinite(r) ? r : 0.0;
}

std::vector<double> as_double(const std::vector<float>& v) {
    return {v.begin(), v.end()};
}

// The answer under `blend` for the scored archs, from the model's and the priors' scores.
std::vector<double> blend_on(const Blend& blend, const std::vector<double>& model,
                             SpaceContext& ctx, const std::vector<int32_t>& archs) {
    if (blend.model_only()) return model;
    std::vector<std::vector<double>> rows;
    for (const auto& m : blend.members)
        rows.push_back(m.is_predictor() ? model : prior_scores(m.prior, ctx, archs));
    return blend_scores(blend, rows);
}

// One draw: T samples, transfer, then every way of ranking the other archs of the device.
LodoDraw run_draw(Predictor& p, const PredictorInfo& base_info, const std::vector<float>& base,
                  SpaceContext& ctx, const DeviceData& target, const std::string& name,
                  const LodoOptions& o, uint64_t seed, std::ostream& progress) {
    p.model->params().values_from_host(base);
    p.info = base_info;
    Rng rng(seed);
    LodoDraw d;
    const SamplerSpec spec = parse_sampler_spec(o.sampler, o.model.sampler_encoding);
    if (spec.method == "random") {  // the uniform draw, as every earlier lodo result drew it
        for (int k : rng.sample_without_replacement(target.count(), o.samples))
            d.archs.push_back(target.arch_index[k]);
    } else {
        d.archs = sample_measured(o.sampler, o.model.sampler_encoding, ctx, target, o.samples, rng);
    }
    Measurements m;
    m.space = o.model.space;
    m.unit = "ms";  // the metric's base unit: only ratios and order matter below
    m.file = "lodo:" + name;
    m.arch_index = d.archs;
    for (int32_t a : d.archs) m.values.push_back(std::max(target.value(a), kMinValue));
    std::ostringstream quiet;
    const TransferReport tr = transfer_predictor(p, ctx, m, name, o.transfer, quiet);
    std::vector<int32_t> eval;
    std::vector<double> truth;
    for (int32_t a : target.arch_index) {
        if (std::find(d.archs.begin(), d.archs.end(), a) != d.archs.end()) continue;
        eval.push_back(a);
        truth.push_back(target.value(a));
    }
    const int row = p.info.row_of(name);
    const int batch = default_score_batch(p.model->device());
    const std::vector<double> model =
        as_double(models::predict(*p.model, arch_table(ctx, p.info.supp), eval, row, batch));
    const std::vector<double> answer = blend_on(p.info.blend, model, ctx, eval);
    d.choice = p.info.blend.describe();
    d.answer = rho(answer, truth);
    d.answer_kendall = kendall_tau_b(answer, truth);
    d.model = rho(model, truth);
    for (const Candidate& c : tr.fitted) {
        d.oof_names.push_back(c.name);
        d.oof.push_back(c.oof_spearman);
        if (c.name == "predictor") continue;
        const double r = rho(prior_scores(c.prior, ctx, eval), truth);
        if (c.prior.kind == "flops") d.flops = r;
        if (c.prior.kind == "params") d.params = r;
        if (c.prior.kind == "device") {
            d.device = r;
            d.device_name = c.prior.device;
        }
        if (c.prior.kind == "ridge") d.ridge = r;
    }
    d.oracle = -2;
    for (const auto& s : public_devices(ctx, p.info.sources)) {
        std::vector<double> x;
        for (int32_t a : eval) x.push_back(ctx.device(s).value(a));
        const double r = rho(x, truth);
        if (r > d.oracle) {
            d.oracle = r;
            d.oracle_name = s;
        }
    }
    for (const std::string& rule : o.rules)
        d.by_rule.push_back(
            rho(blend_on(choose_blend(tr.fitted, BlendRule::parse(rule), tr.measured_ms), model,
                         ctx, eval),
                truth));
    progress << "[lodo] " << name << ": spearman " << std::fixed << std::setprecision(3) << d.answer
             << " (" << d.choice << "; model " << d.model << ", flops " << d.flops << ", device "
             << d.device << ", ridge " << d.ridge << ", oracle " << d.oracle << ") on "
             << eval.size() << " archs" << std::defaultfloat << std::endl;
    return d;
}

bool wants(const LodoOptions& o, const std::string& baseline) {
    return std::find(o.baselines.begin(), o.baselines.end(), baseline) != o.baselines.end();
}

// HELP describes a device by its latencies on 10 reference archs: can it describe `d`?
bool help_describes(const DeviceData& d, Space space) {
    const std::vector<int32_t>& refs = help_reference_archs(space);
    return std::all_of(refs.begin(), refs.end(), [&](int32_t a) { return d.covers(a); });
}

// The baselines trained on a family's sources (null: not asked for).
struct Baselines {
    std::unique_ptr<HelpTrained> help;
    std::unique_ptr<MultiPredict> multipredict;
};

Baselines train_baselines(const LodoOptions& o, SpaceContext& ctx, const std::string& family,
                          const std::vector<std::string>& sources, std::ostream& log) {
    Baselines b;
    if (wants(o, "help")) {
        std::vector<std::string> described;  // sources lacking a reference arch are left out
        for (const std::string& s : sources)
            if (help_describes(ctx.device(s), o.model.space)) described.push_back(s);
        Rng rng(derive_seed(o.model.seed, name_seed("help " + family)));
        b.help = std::make_unique<HelpTrained>(o.help, ctx, described, rng, log, family);
        log << "[lodo] " << family << ": HELP meta-trained on " << described.size() << " of "
            << sources.size() << " devices"
            << (described.size() < sources.size() ? " (the others lack a reference arch)" : "")
            << ", " << o.help.episodes << " episodes, " << std::fixed << std::setprecision(1)
            << b.help->seconds << " s" << std::defaultfloat << std::endl;
    }
    if (wants(o, "multipredict")) {
        b.multipredict = std::make_unique<MultiPredict>(
            o.multipredict, ctx, sources, 1,
            derive_seed(o.model.seed, name_seed("multipredict " + family)), false, o.model.device,
            default_score_batch(o.model.device));
        log << "[lodo] " << family << ": MultiPredict pre-trained on "
            << b.multipredict->pretrain_samples << " samples, " << std::fixed
            << std::setprecision(1) << b.multipredict->pretrain_seconds << " s" << std::defaultfloat
            << std::endl;
    }
    return b;
}

// The baselines' Spearman on the draw's scored archs (lodo.h, step 4).
void score_baselines(LodoDraw& d, Baselines& b, const DeviceData& target, const LodoOptions& o,
                     uint64_t seed, const std::string& name, std::ostream& log) {
    if (!b.help && !b.multipredict) return;
    std::vector<int32_t> eval;
    for (int32_t a : target.arch_index)
        if (std::find(d.archs.begin(), d.archs.end(), a) == d.archs.end()) eval.push_back(a);
    auto truth_of = [&](const std::vector<int32_t>& archs) {
        std::vector<double> t;
        for (int32_t a : archs) t.push_back(target.value(a));
        return t;
    };
    if (b.multipredict) {
        const MultiPredict::Transfer t =
            b.multipredict->transfer(target, 0, d.archs, eval, derive_seed(seed, 17), false);
        d.multipredict = rho(t.pred, truth_of(eval));
    }
    const bool described = help_describes(target, o.model.space);
    if (b.help && !described) {
        log << "[lodo] " << name << ": no HELP score (HELP describes a device by 10 reference "
            << "archs, and this one lacks one)" << std::endl;
    } else if (b.help) {
        const std::vector<int32_t>& refs = help_reference_archs(o.model.space);
        auto is_ref = [&](int32_t a) {
            return std::find(refs.begin(), refs.end(), a) != refs.end();
        };
        std::vector<int32_t> support, help_eval;
        for (int32_t a : d.archs)
            if (!is_ref(a) &&
                static_cast<int>(support.size()) < o.samples - static_cast<int>(refs.size()))
                support.push_back(a);
        for (int32_t a : eval)
            if (!is_ref(a)) help_eval.push_back(a);
        Rng rng(derive_seed(seed, 19));
        const HelpTargetScore s = help_meta_test(*b.help, target, support, help_eval, rng);
        d.help = std::isfinite(s.spearman) ? s.spearman : 0.0;
    }
    log << "[lodo] " << name << ": baselines" << std::fixed << std::setprecision(3);
    if (std::isfinite(d.help)) log << " HELP " << d.help;
    if (b.multipredict) log << " MultiPredict " << d.multipredict;
    log << std::defaultfloat << std::endl;
}

}  // namespace

LodoResult run_lodo(const LodoOptions& options, const std::string& data_dir,
                    std::ostream& progress) {
    LodoOptions o = options;
    o.model.resolve();
    NASFLAT_CHECK(o.metric == "latency" || o.metric == "energy",
                  "--metric must be latency or "
                  "energy, got '",
                  printable(o.metric, 40), "'");
    NASFLAT_CHECK(o.samples >= 4 && o.draws >= 1, "lodo: --samples >= 4 and --draws >= 1");
    NASFLAT_CHECK(o.threads >= 0, "lodo: --threads must be >= 0 (0: every core)");
    for (const auto& r : o.rules) BlendRule::parse(r);
    for (const auto& b : o.baselines)
        NASFLAT_CHECK(b == "help" || b == "multipredict", "lodo: unknown baseline '",
                      printable(b, 40), "'; fix: --baselines help,multipredict");
    if (wants(o, "help")) {
        o.help.check();
        NASFLAT_CHECK(o.samples >= 12,
                      "lodo: HELP's hardware embedding takes 10 of the T = ", o.samples,
                      " target measurements; fix: --samples >= 12 with HELP");
    }
    if (o.multipredict.source_samples < 0)
        o.multipredict.source_samples = o.model.space == Space::NB201 ? 900 : 4000;
    const SamplerSpec spec = parse_sampler_spec(o.sampler, o.model.sampler_encoding);
    const auto t0 = Clock::now();
    const Manifest manifest = load_manifest(data_dir);
    auto ctx = SpaceContext::load(data_dir, o.model.space, o.model.flavor);
    std::vector<std::string> all = o.metric == "latency"
                                       ? list_devices(data_dir, o.model.space)
                                       : list_energy_devices(data_dir, o.model.space);
    NASFLAT_CHECK(!all.empty(), "lodo: ", space_name(o.model.space), " has no ", o.metric,
                  " devices in ", data_dir);
    if (!spec.encoding.empty()) ctx->encoding(spec.encoding);  // load or build it once, now
    std::vector<std::string> targets = o.targets.empty() ? all : o.targets;
    for (const auto& t : targets) {
        NASFLAT_CHECK(std::find(all.begin(), all.end(), t) != all.end(), "--targets: '",
                      printable(t, 60), "' is not a ", o.metric, " device of ",
                      space_name(o.model.space), "; fix: see `nasflat data`");
    }
    // Families in the order of their first target; one pre-training each.
    std::vector<std::pair<std::string, std::vector<std::string>>> families;
    for (const auto& t : targets) {
        const std::string f = family_of(manifest, o.model.space, t, o.metric);
        auto it = std::find_if(families.begin(), families.end(),
                               [&](const auto& e) { return e.first == f; });
        if (it == families.end())
            families.push_back({f, {t}});
        else
            it->second.push_back(t);
    }
    // One job per family (its pre-training, then its devices' draws), side by side on
    // o.threads CPU threads. Each job's seeds depend on the family and device only, so the
    // results are the same bits for any thread count; with more than one worker each family's
    // progress is written as one block, in family order.
    std::vector<std::vector<LodoDevice>> per_family(families.size());
    const int threads = o.model.device == Device::CPU ? o.threads : 1;
    const size_t workers = job_workers(families.size(), threads);
    const bool buffered = workers > 1;
    // The cores the families leave free train each family's batch shards side by side (the
    // same bits for any count: models/shards.h).
    PretrainRecipe recipe = o.model;
    recipe.train_threads =
        std::max<int>(1, static_cast<int>(job_workers(SIZE_MAX, threads) / workers));
    OrderedOutput output(progress, families.size());
    run_jobs(families.size(), threads, [&](size_t f, size_t) {
        std::ostringstream block;
        std::ostream& log = buffered ? block : progress;
        const auto& [family, members] = families[f];
        const std::vector<std::string> sources =
            devices_outside_family(manifest, o.model.space, family);
        Predictor p = pretrain_predictor(recipe, *ctx, sources, log);
        const std::vector<float> base = p.model->params().values_to_host();
        const PredictorInfo base_info = p.info;
        Baselines baselines = train_baselines(o, *ctx, family, sources, log);
        for (const auto& device : members) {
            const DeviceData target = target_data(*ctx, o, device);
            NASFLAT_CHECK(target.count() >= o.samples + 2, "lodo: ", device, " measured ",
                          target.count(), " architectures, too few for --samples ", o.samples);
            LodoDevice ld;
            ld.device = device;
            ld.family = family;
            ld.sources = static_cast<int>(sources.size());
            ld.scored = target.count() - o.samples;
            const std::string name = o.metric == "latency" ? device : "energy:" + device;
            for (int r = 0; r < o.draws; ++r) {
                const uint64_t seed = derive_seed(derive_seed(o.model.seed, name_seed(name)), r);
                ld.draws.push_back(run_draw(p, base_info, base, *ctx, target, name, o, seed, log));
                score_baselines(ld.draws.back(), baselines, target, o, seed, name, log);
            }
            per_family[f].push_back(std::move(ld));
        }
        output.done(f, block.str());
    });
    LodoResult result;
    result.options = o;
    for (auto& devices : per_family) {
        for (LodoDevice& d : devices) result.devices.push_back(std::move(d));
    }
    result.seconds = seconds_since(t0);
    return result;
}

}  // namespace nasflat::nas
