// calibration.cpp — see calibration.h.
#include "nas/predictor/calibration.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "kernels/base/check.h"

namespace nasflat::nas {

namespace {

// Least-squares line through (x, y) with weights w; slope 0 when x is constant.
void fit_line(const std::vector<double>& x, const std::vector<double>& y,
              const std::vector<double>& w, double& slope, double& intercept) {
    double sw = 0, sx = 0, sy = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        sw += w[i];
        sx += w[i] * x[i];
        sy += w[i] * y[i];
    }
    const double mx = sx / sw, my = sy / sw;
    double sxx = 0, sxy = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        sxx += w[i] * (x[i] - mx) * (x[i] - mx);
        sxy += w[i] * (x[i] - mx) * (y[i] - my);
    }
    slope = sxx > 0 ? sxy / sxx : 0.0;
    intercept = my - slope * mx;
}

}  // namespace

Calibration fit_calibration(const std::vector<double>& score, const std::vector<double>& ms,
                            const std::string& kind) {
    NASFLAT_CHECK(kind == "isotonic" || kind == "linear", "unknown calibration '", kind,
                  "'; hint: use isotonic or linear");
    NASFLAT_CHECK(score.size() == ms.size() && score.size() >= 2, "calibration needs at least 2 "
                  "(score, latency) pairs of equal count, got ", score.size(), " and ", ms.size());
    for (size_t i = 0; i < ms.size(); ++i) {
        NASFLAT_CHECK(std::isfinite(score[i]) && std::isfinite(ms[i]) && ms[i] > 0,
                      "calibration: pair ", i, " (score ", score[i], ", ", ms[i],
                      " ms) is not a finite score with a positive latency");
    }
    // Pool equal scores: unique x ascending, y = mean ms, w = count.
    std::vector<size_t> order(score.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] < score[b]; });
    std::vector<double> x, y, w;
    for (size_t i : order) {
        if (!x.empty() && score[i] == x.back()) {
            y.back() = (y.back() * w.back() + ms[i]) / (w.back() + 1);
            w.back() += 1;
        } else {
            x.push_back(score[i]);
            y.push_back(ms[i]);
            w.push_back(1);
        }
    }
    Calibration c;
    c.kind = kind;
    fit_line(x, y, w, c.slope, c.intercept);
    if (c.slope < 0) {
        // A falling line would reverse the ranking: keep the level, drop the slope.
        const double sw = std::accumulate(w.begin(), w.end(), 0.0);
        c.intercept = std::inner_product(w.begin(), w.end(), y.begin(), 0.0) / sw;
        c.slope = 0;
    }
    if (kind == "linear") return c;
    // Pool adjacent violators: blocks of (level, weight, first point).
    std::vector<double> level, weight;
    std::vector<size_t> first;
    for (size_t i = 0; i < x.size(); ++i) {
        level.push_back(y[i]);
        weight.push_back(w[i]);
        first.push_back(i);
        while (level.size() > 1 && level[level.size() - 2] > level.back()) {
            const size_t b = level.size() - 1;
            level[b - 1] = (level[b - 1] * weight[b - 1] + level[b] * weight[b]) /
                           (weight[b - 1] + weight[b]);
            weight[b - 1] += weight[b];
            level.pop_back();
            weight.pop_back();
            first.pop_back();
        }
    }
    c.x = x;
    c.y.resize(x.size());
    for (size_t b = 0; b < level.size(); ++b) {
        const size_t end = b + 1 < first.size() ? first[b + 1] : x.size();
        for (size_t i = first[b]; i < end; ++i) c.y[i] = level[b];
    }
    return c;
}

double Calibration::operator()(double s) const {
    if (!fitted() || !std::isfinite(s)) return std::numeric_limits<double>::quiet_NaN();
    double v;
    if (kind == "linear" || x.empty()) {
        v = intercept + slope * s;
    } else if (s <= x.front()) {
        v = y.front() + slope * (s - x.front());
    } else if (s >= x.back()) {
        v = y.back() + slope * (s - x.back());
    } else {
        const size_t hi = static_cast<size_t>(std::upper_bound(x.begin(), x.end(), s) - x.begin());
        const size_t lo = hi - 1;
        const double t = (s - x[lo]) / (x[hi] - x[lo]);
        v = y[lo] + t * (y[hi] - y[lo]);
    }
    return std::max(v, 0.0);
}

nlohmann::json Calibration::to_json() const {
    if (!fitted()) return nullptr;
    return {{"kind", kind}, {"x", x}, {"y", y}, {"slope", slope}, {"intercept", intercept}};
}

Calibration Calibration::from_json(const nlohmann::json& j, const std::string& file) {
    Calibration c;
    if (j.is_null()) return c;
    try {
        c.kind = j.at("kind").get<std::string>();
        c.x = j.at("x").get<std::vector<double>>();
        c.y = j.at("y").get<std::vector<double>>();
        c.slope = j.at("slope").get<double>();
        c.intercept = j.at("intercept").get<double>();
    } catch (const nlohmann::json::exception&) {
        fail(file, ": the calibration is incomplete or holds non-finite values; fix: run "
             "`nasflat transfer` again");
    }
    bool ok = (c.kind == "isotonic" || c.kind == "linear") && c.x.size() == c.y.size() &&
              std::isfinite(c.slope) && std::isfinite(c.intercept) && c.slope >= 0;
    for (size_t i = 0; ok && i < c.x.size(); ++i) {
        ok = std::isfinite(c.x[i]) && std::isfinite(c.y[i]) && (i == 0 || (c.x[i] > c.x[i - 1] &&
                                                                          c.y[i] >= c.y[i - 1]));
    }
    NASFLAT_CHECK(ok, file, ": calibration is not a valid monotone map; fix: run `nasflat "
                  "transfer` again");
    return c;
}

double mape(const std::vector<double>& pred, const std::vector<double>& truth) {
    NASFLAT_CHECK(pred.size() == truth.size() && !pred.empty(), "mape: ", pred.size(),
                  " predictions for ", truth.size(), " measurements");
    double sum = 0;
    for (size_t i = 0; i < pred.size(); ++i) sum += std::fabs(pred[i] - truth[i]) / truth[i];
    return 100.0 * sum / pred.size();
}

}  // namespace nasflat::nas
