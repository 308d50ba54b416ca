// priors.cpp — see priors.h.
#include "nas/predictor/priors.h"

#include <algorithm>
#include <cmath>

#include "kernels/base/check.h"
#include "nas/base/json_io.h"
#include "nas/base/metrics.h"

namespace nasflat::nas {

namespace {

// log of a measured latency, kept finite for a 0 entry (a few LatBench cells read 0 ms).
double log_ms(double v) { return std::log(std::max(v, 1e-6)); }

// (N x P) log latencies of `devices` on `archs`.
std::vector<double> device_features(SpaceContext& ctx, const std::vector<std::string>& devices,
                                    const std::vector<int32_t>& archs) {
    std::vector<double> x;
    x.reserve(archs.size() * devices.size());
    for (int32_t a : archs)
        for (const auto& d : devices) x.push_back(log_ms(ctx.device(d).value(a)));
    return x;
}

}  // namespace

const std::vector<std::string>& prior_kinds() {
    static const std::vector<std::string> kinds = {"flops", "params", "device", "ridge"};
    return kinds;
}

std::vector<std::string> parse_prior_list(const std::string& text) {
    if (text == "none") return {};
    const std::vector<std::string> kinds = split_names(text);
    for (const auto& k : kinds) {
        const auto& known = prior_kinds();
        NASFLAT_CHECK(std::find(known.begin(), known.end(), k) != known.end(), "--priors: '",
                      printable(k, 40), "' is not a prior; fix: use none or a list of ",
                      join_names(known));
    }
    return kinds;
}

std::string Prior::name() const { return kind == "device" ? "device:" + device : kind; }

nlohmann::json Prior::to_json() const {
    nlohmann::json j = {{"kind", kind}};
    if (kind == "device") j["device"] = device;
    if (kind == "ridge") {
        j["devices"] = devices;
        j["mean"] = ridge.mean;
        j["scale"] = ridge.scale;
        j["coef"] = ridge.coef;
        j["intercept"] = ridge.intercept;
        j["lambda"] = ridge.lambda;
    }
    return j;
}

Prior Prior::from_json(const nlohmann::json& j, const std::string& file) {
    Prior p;
    try {
        p.kind = j.at("kind").get<std::string>();
        if (p.kind == "device") p.device = j.at("device").get<std::string>();
        if (p.kind == "ridge") {
            p.devices = j.at("devices").get<std::vector<std::string>>();
            p.ridge.mean = j.at("mean").get<std::vector<double>>();
            p.ridge.scale = j.at("scale").get<std::vector<double>>();
            p.ridge.coef = j.at("coef").get<std::vector<double>>();
            p.ridge.intercept = j.at("intercept").get<double>();
            p.ridge.lambda = j.value("lambda", 0.0);
        }
    } catch (const nlohmann::json::exception&) {
        fail(file, ": a prior of the transfer's choice is incomplete; fix: run `nasflat transfer` "
             "again");
    }
    bool ok = p.kind == "flops" || p.kind == "params" || (p.kind == "device" && !p.device.empty());
    if (p.kind == "ridge") {
        const size_t n = p.devices.size();
        ok = n > 0 && p.ridge.mean.size() == n && p.ridge.scale.size() == n &&
             p.ridge.coef.size() == n && std::isfinite(p.ridge.intercept);
        for (size_t i = 0; ok && i < n; ++i)
            ok = std::isfinite(p.ridge.mean[i]) && std::isfinite(p.ridge.scale[i]) &&
                 std::isfinite(p.ridge.coef[i]);
    }
    NASFLAT_CHECK(ok, file, ": a prior of the transfer's choice ('", printable(p.kind, 40),
                  "') is not valid; fix: run `nasflat transfer` again");
    return p;
}

std::vector<std::string> public_devices(SpaceContext& ctx,
                                        const std::vector<std::string>& candidates) {
    std::vector<std::string> out;
    for (const auto& d : candidates) {
        if (ctx.device(d).count() == ctx.space().size()) out.push_back(d);
    }
    return out;
}

Prior fit_prior(const std::string& kind, SpaceContext& ctx,
                const std::vector<std::string>& devices, const std::vector<int32_t>& archs,
                const std::vector<double>& ms) {
    NASFLAT_CHECK(archs.size() == ms.size() && archs.size() >= 2, "fit_prior: ", archs.size(),
                  " archs for ", ms.size(), " latencies");
    Prior p;
    p.kind = kind;
    if (kind == "flops" || kind == "params") return p;
    NASFLAT_CHECK(!devices.empty(), "the '", kind, "' prior needs public devices that measured "
                  "every architecture of the space; none is left");
    if (kind == "device") {
        double best = -2;
        for (const auto& d : devices) {
            std::vector<double> x;
            for (int32_t a : archs) x.push_back(ctx.device(d).value(a));
            const double rho = spearman(x, ms);
            if (std::isfinite(rho) && rho > best) {
                best = rho;
                p.device = d;
            }
        }
        if (p.device.empty()) p.device = devices.front();  // every device tied on the samples
        return p;
    }
    NASFLAT_CHECK(kind == "ridge", "unknown prior '", kind, "'");
    std::vector<double> y;
    for (double v : ms) y.push_back(log_ms(v));
    p.devices = devices;
    p.ridge = fit_ridge(device_features(ctx, devices, archs), static_cast<int>(archs.size()),
                        static_cast<int>(devices.size()), y);
    return p;
}

std::vector<double> prior_scores(const Prior& prior, SpaceContext& ctx,
                                 const std::vector<int32_t>& archs) {
    std::vector<double> out;
    out.reserve(archs.size());
    const SearchSpace& ss = ctx.space();
    if (prior.kind == "ridge") {
        const std::vector<double> x = device_features(ctx, prior.devices, archs);
        for (size_t k = 0; k < archs.size(); ++k) out.push_back(prior.ridge(&x[k * prior.devices.size()]));
        return out;
    }
    for (int32_t a : archs) {
        if (prior.kind == "flops") out.push_back(std::log1p(ss.flops(a)));
        else if (prior.kind == "params") out.push_back(std::log1p(ss.params(a)));
        else out.push_back(log_ms(ctx.device(prior.device).value(a)));
    }
    return out;
}

double prior_score_of_ops(const Prior& prior, const SearchSpace& ss, const std::vector<int>& ops) {
    NASFLAT_CHECK(prior.scores_any_ops(), "the '", prior.name(), "' prior scores only the "
                  "architectures of the data folder");
    const Cost c = ss.cost_of_ops(ops);
    return std::log1p(prior.kind == "flops" ? c.flops : c.params);
}

}  // namespace nasflat::nas
