// blend.cpp — see blend.h.
#include "nas/blend.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "kernels/check.h"

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
    if (power < 0) return "best";
    std::ostringstream os;
    os << "power " << power;
    return os.str();
}

BlendRule BlendRule::parse(const std::string& text) {
    BlendRule r;
    if (text == "best") {
        r.power = -1;
        return r;
    }
    char* end = nullptr;
    r.power = std::strtod(text.c_str(), &end);
    NASFLAT_CHECK(end != text.c_str() && *end == '\0' && std::isfinite(r.power) && r.power >= 0,
                  "blend rule '", printable(text, 40), "' is not 'best' or a number >= 0");
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

Blend choose_blend(const std::vector<Candidate>& candidates, const BlendRule& rule) {
    Blend b;
    b.rule = rule.name();
    std::vector<size_t> chosen;
    for (size_t i = 0; i < candidates.size(); ++i) {
        if (std::isfinite(candidates[i].oof_spearman) && candidates[i].oof_spearman > 0)
            chosen.push_back(i);
    }
    if (rule.power < 0 && !chosen.empty()) {
        // Ties keep the earlier candidate: the predictor comes first.
        size_t best = chosen[0];
        for (size_t i : chosen)
            if (candidates[i].oof_spearman > candidates[best].oof_spearman) best = i;
        chosen = {best};
    }
    if (chosen.empty()) {
        for (size_t i = 0; i < candidates.size(); ++i)
            if (candidates[i].name == "predictor") chosen = {i};
    }
    double total = 0;
    std::vector<double> w;
    for (size_t i : chosen) {
        w.push_back(chosen.size() == 1 ? 1.0
                                       : std::pow(std::max(0.0, candidates[i].oof_spearman),
                                                  rule.power));
        total += w.back();
    }
    for (size_t k = 0; k < chosen.size(); ++k) {
        const Candidate& c = candidates[chosen[k]];
        BlendMember m;
        m.name = c.name;
        m.prior = c.prior;
        m.weight = total > 0 ? w[k] / total : 1.0 / chosen.size();
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
