// blend.cpp — see blend.h.
#include "nas/predictor/blend.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "kernels/base/check.h"
#include "nas/predictor/ridge.h"

namespace nasflat::nas {

void standardisation(const std::vector<double>& v, double& shift, double& scale) {
    double m = 0, ss = 0;
    for (double x : v) m += x;
    m /= std::max<size_t>(1, v.size());
    for (double x : v) ss += (x - m) * (x - m);
    const double sd = std::sqrt(ss / std::max<size_t>(1, v.size()));
    shift = m;
    scale = sd > 1e-12 * (1 + std::fabs(m)) ? sd : 1.0;
}

std::string BlendRule::name() const {
    if (stack) return "stack";
    if (power < 0) return "best";
    std::ostringstream os;
    os << "power " << power;
    return os.str();
}

BlendRule BlendRule::parse(const std::string& text) {
    BlendRule r;
    if (text == "stack") return r;
    r.stack = false;
    if (text == "best") {
        r.power = -1;
        return r;
    }
    char* end = nullptr;
    r.power = std::strtod(text.c_str(), &end);
    NASFLAT_CHECK(end != text.c_str() && *end == '\0' && std::isfinite(r.power) && r.power >= 0,
                  "blend rule '", printable(text, 40), "' is not 'best', 'stack' or a number >= 0");
    return r;
}

bool Blend::model_only() const {
    return members.empty() || (members.size() == 1 && members[0].is_predictor());
}

std::string Blend::describe() const {
    if (members.empty()) return "predictor";
    std::ostringstream os;
    os << std::fixed << std::setprecision(2);
    for (size_t i = 0; i < members.size(); ++i) {
        os << (i ? " + " : "") << members[i].name;
        if (members.size() > 1) os << " " << members[i].weight;
    }
    return os.str();
}

nlohmann::json Blend::to_json() const {
    nlohmann::json j = {{"rule", rule}, {"members", nlohmann::json::array()}};
    for (const auto& m : members) {
        nlohmann::json e = {{"name", m.name},
                            {"weight", m.weight},
                            {"shift", m.shift},
                            {"scale", m.scale},
                            {"oof_spearman", m.oof_spearman}};
        if (!m.is_predictor()) e["prior"] = m.prior.to_json();
        j["members"].push_back(e);
    }
    return j;
}

Blend Blend::from_json(const nlohmann::json& j, const std::string& file) {
    Blend b;
    if (j.is_null()) return b;
    try {
        b.rule = j.at("rule").get<std::string>();
        for (const auto& e : j.at("members")) {
            BlendMember m;
            m.name = e.at("name").get<std::string>();
            m.weight = e.at("weight").get<double>();
            m.shift = e.at("shift").get<double>();
            m.scale = e.at("scale").get<double>();
            m.oof_spearman = e.value("oof_spearman", 0.0);
            if (!m.is_predictor()) m.prior = Prior::from_json(e.at("prior"), file);
            b.members.push_back(m);
        }
    } catch (const nlohmann::json::exception&) {
        fail(file, ": the transfer's choice (blend) is incomplete; fix: run `nasflat transfer` "
             "again");
    }
    double total = 0;
    for (const auto& m : b.members) {
        NASFLAT_CHECK(std::isfinite(m.weight) && m.weight >= 0 && std::isfinite(m.shift) &&
                          std::isfinite(m.scale) && m.scale > 0,
                      file, ": the transfer's choice (blend) holds invalid numbers; fix: run "
                      "`nasflat transfer` again");
        total += m.weight;
    }
    NASFLAT_CHECK(b.members.empty() || std::fabs(total - 1) < 1e-6, file,
                  ": the blend's weights do not sum to 1; fix: run `nasflat transfer` again");
    return b;
}

namespace {

// Non-negative least squares min |y - X w|, w >= 0, for a handful of columns (X: N x C), by
// trying every support set: the unconstrained fit on each subset, kept when all its weights are
// >= 0; the smallest residual wins (exact, and C <= ~8 makes 2^C tiny systems).
std::vector<double> nnls_small(const std::vector<std::vector<double>>& cols,
                               const std::vector<double>& y) {
    const size_t c = cols.size(), n = y.size();
    std::vector<double> best(c, 0.0);
    double best_rss = 0;
    for (double v : y) best_rss += v * v;
    for (uint32_t mask = 1; mask < (1u << c); ++mask) {
        std::vector<size_t> on;
        for (size_t j = 0; j < c; ++j)
            if (mask & (1u << j)) on.push_back(j);
        const size_t k = on.size();
        std::vector<double> a(k * k, 0.0), b(k, 0.0);
        for (size_t p = 0; p < k; ++p) {
            for (size_t q = 0; q < k; ++q)
                for (size_t i = 0; i < n; ++i) a[p * k + q] += cols[on[p]][i] * cols[on[q]][i];
            a[p * k + p] += 1e-9 * n;  // keeps collinear candidates solvable
            for (size_t i = 0; i < n; ++i) b[p] += cols[on[p]][i] * y[i];
        }
        std::vector<double> w;
        try {
            w = solve_spd(a, b, static_cast<int>(k));
        } catch (const Error&) {
            continue;
        }
        if (*std::min_element(w.begin(), w.end()) < 0) continue;
        double rss = 0;
        for (size_t i = 0; i < n; ++i) {
            double f = 0;
            for (size_t p = 0; p < k; ++p) f += w[p] * cols[on[p]][i];
            rss += (y[i] - f) * (y[i] - f);
        }
        if (rss < best_rss) {
            best_rss = rss;
            std::fill(best.begin(), best.end(), 0.0);
            for (size_t p = 0; p < k; ++p) best[on[p]] = w[p];
        }
    }
    return best;
}

// Raw (unnormalised) weights of every candidate under `rule`.
std::vector<double> raw_weights(const std::vector<Candidate>& candidates, const BlendRule& rule,
                                const std::vector<double>& measured) {
    std::vector<double> w(candidates.size(), 0.0);
    if (rule.stack) {
        NASFLAT_CHECK(measured.size() >= 2, "blend rule stack: needs the measurements");
        std::vector<double> y;
        for (double v : measured) y.push_back(std::log(v));
        double shift = 0, scale = 1;
        standardisation(y, shift, scale);
        for (double& v : y) v = (v - shift) / scale;
        std::vector<std::vector<double>> cols;
        for (const auto& c : candidates) {
            NASFLAT_CHECK(c.oof_scores.size() == y.size(), "blend rule stack: candidate ", c.name,
                          " has no out-of-fold scores");
            cols.push_back(c.oof_scores);
        }
        return nnls_small(cols, y);
    }
    std::vector<size_t> positive;
    for (size_t i = 0; i < candidates.size(); ++i) {
        if (std::isfinite(candidates[i].oof_spearman) && candidates[i].oof_spearman > 0)
            positive.push_back(i);
    }
    if (rule.power < 0 && !positive.empty()) {
        // Ties keep the earlier candidate: the predictor comes first.
        size_t best = positive[0];
        for (size_t i : positive)
            if (candidates[i].oof_spearman > candidates[best].oof_spearman) best = i;
        w[best] = 1.0;
        return w;
    }
    for (size_t i : positive) w[i] = std::pow(candidates[i].oof_spearman, rule.power);
    return w;
}

}  // namespace

Blend choose_blend(const std::vector<Candidate>& candidates, const BlendRule& rule,
                   const std::vector<double>& measured) {
    Blend b;
    b.rule = rule.name();
    std::vector<double> w = raw_weights(candidates, rule, measured);
    double total = 0;
    for (double v : w) total += v;
    if (!(total > 0)) {  // no evidence for anything: the model alone
        for (size_t i = 0; i < candidates.size(); ++i) w[i] = candidates[i].name == "predictor";
        total = 1;
    }
    for (size_t i = 0; i < candidates.size(); ++i) {
        if (w[i] <= 0) continue;
        const Candidate& c = candidates[i];
        BlendMember m;
        m.name = c.name;
        m.prior = c.prior;
        m.weight = w[i] / total;
        m.oof_spearman = c.oof_spearman;
        standardisation(c.sample_scores, m.shift, m.scale);
        b.members.push_back(m);
    }
    return b;
}

std::vector<double> blend_scores(const Blend& blend, const std::vector<std::vector<double>>& scores) {
    NASFLAT_CHECK(scores.size() == blend.members.size() && !scores.empty(), "blend_scores: ",
                  scores.size(), " score rows for ", blend.members.size(), " members");
    std::vector<double> out(scores[0].size(), 0.0);
    for (size_t m = 0; m < scores.size(); ++m) {
        const BlendMember& b = blend.members[m];
        NASFLAT_CHECK(scores[m].size() == out.size(), "blend_scores: ragged rows");
        for (size_t k = 0; k < out.size(); ++k) out[k] += b.weight * (scores[m][k] - b.shift) / b.scale;
    }
    return out;
}

}  // namespace nasflat::nas
