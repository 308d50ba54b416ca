// training_steps.cpp — see training_steps.h.
#include "nas/predictor/training_steps.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "kernels/base/check.h"
#include "nas/base/metrics.h"
#include "nas/predictor/sampling.h"
#include "samplers/samplers.h"

namespace nasflat::nas {

namespace {



// Min-max normalised latencies of `archs` over the whole device file (the authors' targets;
// only order and ties matter to the ranking loss).
std::vector<float> normalised(const DeviceData& d, const std::vector<int32_t>& archs) {
    auto [lo, hi] = std::minmax_element(d.values.begin(), d.values.end());
    const double span = *hi - *lo;
    std::vector<float> y;
    for (int32_t a : archs) y.push_back(static_cast<float>(span > 0 ? (d.value(a) - *lo) / span : 0.0));
    return y;
}

// The S pre-training archs: a uniform draw from the archs every source measured, or the
// chosen sampler over that pool (latency: the authors' metric device).
std::vector<int32_t> choose_source_samples(const PretrainRecipe& o, SpaceContext& ctx,
                                           const std::vector<int32_t>& pool, int count,
                                           Rng& rng) {
    if (o.source_sampler == "random") {
        std::vector<int32_t> chosen;
        for (int k : rng.sample_without_replacement(static_cast<int>(pool.size()), count)) {
            chosen.push_back(pool[k]);
        }
        return chosen;
    }
    const samplers::Method method = samplers::parse_method(o.source_sampler);
    std::vector<double> metric;
    if (method == samplers::Method::Latency) {
        const char* metric_device = o.space == Space::NB201 ? "1080ti_32" : "gold_6240";
        metric = ctx.device(metric_device).dense(ctx.space().size());
        for (int32_t a : pool) {
            NASFLAT_CHECK(!std::isnan(metric[a]), "--source-sampler latency: the metric device ",
                          metric_device, " has no measurement of arch ", a);
        }
    }
    const Encoding* enc =
        samplers::needs_features(method) ? &ctx.encoding(o.sampler_encoding) : nullptr;
    return sample_archs(method, count, pool, ctx.space(), enc, &metric, rng);
}

}  // namespace

std::vector<int32_t> common_archs(SpaceContext& ctx, const std::vector<std::string>& devices) {
    std::vector<int32_t> archs;
    for (int a = 0; a < ctx.space().size(); ++a) {
        bool all = true;
        for (const auto& d : devices) all = all && ctx.device(d).covers(a);
        if (all) archs.push_back(a);
    }
    return archs;
}

uint64_t derive_seed(uint64_t a, uint64_t b) { return mix64(a ^ mix64(b)); }

int default_score_batch(Device device) { return device == Device::CUDA ? 32768 : 256; }

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

models::ArchTable arch_table(SpaceContext& ctx, const std::string& supp) {
    models::ArchTable table{&ctx.graphs(), nullptr, 0};
    if (supp != "none") {
        const Encoding& e = ctx.encoding(supp);
        table.supp = e.values.data();
        table.supp_dim = e.dim;
    }
    return table;
}

models::ModelConfig recipe_model_config(const PretrainRecipe& o, SpaceContext& ctx) {
    models::ModelConfig config = model_config_for(o.space, o.flavor);
    config.layer_type = o.layer_type;
    config.hwemb_to_mlp = o.hwemb_to_mlp;
    config.fuse = o.fuse;
    if (o.supp != "none") config.supp_dim = ctx.encoding(o.supp).dim;
    return config;
}

double pretrain_on_sources(models::NasflatModel& model, const PretrainRecipe& o,
                           SpaceContext& ctx, const std::vector<std::string>& sources,
                           uint64_t trial_seed, std::ostream& progress,
                           const std::string& label) {
    if (o.source_samples <= 0 || o.epochs <= 0) return std::nan("");
    const auto t0 = Clock::now();
    const std::vector<int32_t> pool = common_archs(ctx, sources);
    NASFLAT_CHECK(static_cast<int>(pool.size()) >= o.source_samples, "pre-training: only ",
                  pool.size(), " archs are measured on every source device; hint: lower "
                  "--source-samples");
    Rng pick(derive_seed(trial_seed, 2));
    const std::vector<int32_t> chosen =
        choose_source_samples(o, ctx, pool, o.source_samples, pick);
    std::vector<models::Sample> samples;
    for (const auto& s : sources) {
        const DeviceData& d = ctx.device(s);
        const int row = ctx.device_row(s);
        const std::vector<float> y = normalised(d, chosen);
        for (size_t k = 0; k < chosen.size(); ++k) samples.push_back({chosen[k], row, y[k]});
    }
    Rng train_rng(derive_seed(trial_seed, 3));
    const models::ArchTable table = arch_table(ctx, o.supp);
    models::TrainOptions t = train_options_of(o);
    t.threads = o.train_threads;
    const double loss = models::train(model, table, samples, t, train_rng);
    // Formatted on its own (4 significant digits of the loss): the line does not depend on
    // what was written to `progress` before, nor changes how later lines are written.
    std::ostringstream line;
    line << "[pretrain] " << label << ": " << samples.size() << " samples x " << o.epochs
         << " epochs, loss " << std::setprecision(4) << loss << ", " << std::fixed
         << std::setprecision(1) << seconds_since(t0) << " s\n";
    progress << line.str() << std::flush;
    return loss;
}

int best_source_row(SpaceContext& ctx, const std::vector<std::string>& sources,
                    const std::vector<int32_t>& archs, const std::vector<double>& latency,
                    std::string* name) {
    int best = -1;
    double best_rho = -2.0;
    for (const auto& s : sources) {
        const DeviceData& d = ctx.device(s);
        std::vector<double> a, b;
        for (size_t k = 0; k < archs.size(); ++k) {
            if (!d.covers(archs[k])) continue;
            a.push_back(d.value(archs[k]));
            b.push_back(latency[k]);
        }
        if (a.size() < 2) continue;
        const double rho = spearman(a, b);
        if (std::isfinite(rho) && rho > best_rho) {
            best_rho = rho;
            best = ctx.device_row(s);
            if (name) *name = s;
        }
    }
    return best;
}

std::vector<models::Sample> device_samples(const std::vector<int32_t>& archs,
                                           const std::vector<double>& latency, int row) {
    NASFLAT_CHECK(archs.size() == latency.size(), "device_samples: ", archs.size(), " archs, ",
                  latency.size(), " latencies");
    std::vector<models::Sample> samples;
    if (archs.empty()) return samples;
    auto [lo, hi] = std::minmax_element(latency.begin(), latency.end());
    const double span = *hi - *lo;
    for (size_t k = 0; k < archs.size(); ++k) {
        samples.push_back({archs[k], row, static_cast<float>(span > 0 ? (latency[k] - *lo) / span
                                                                      : 0.0)});
    }
    return samples;
}

}  // namespace nasflat::nas
