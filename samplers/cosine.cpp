// cosine.cpp — see cosine.h. Dims: N points, D dim.
#include "samplers/cosine.h"

#include <cmath>
#include <limits>

#include "kernels/base/check.h"

namespace nasflat::samplers {

namespace {

// Unit rows u = x / |x| in double, (N, D); zero rows stay zero (similarity 0 to everything).
std::vector<double> unit_rows(const float* points, int64_t n, int d) {
    std::vector<double> unit(static_cast<size_t>(n) * d);
    for (int64_t i = 0; i < n; ++i) {
        double norm2 = 0.0;
        for (int j = 0; j < d; ++j)
            norm2 += static_cast<double>(points[i * d + j]) * points[i * d + j];
        const double inv = norm2 > 0.0 ? 1.0 / std::sqrt(norm2) : 0.0;
        for (int j = 0; j < d; ++j) unit[i * d + j] = points[i * d + j] * inv;
    }
    return unit;
}

void check_points(const char* who, int64_t n, int d) {
    NASFLAT_CHECK(n >= 1 && d >= 1, who, ": N ", n, " points of dim ", d,
                  "; hint: need at least one point and D >= 1");
}

}  // namespace

std::vector<double> mean_cosine_scores(const float* points, int64_t n, int d) {
    check_points("mean_cosine_scores", n, d);
    const std::vector<double> unit = unit_rows(points, n, d);
    // mean_j cos(x_i, x_j) = mean_j <u_i, u_j> = <u_i, mean_j u_j>.
    std::vector<double> mean(static_cast<size_t>(d), 0.0);
    for (int64_t i = 0; i < n; ++i)
        for (int j = 0; j < d; ++j) mean[j] += unit[i * d + j];
    for (int j = 0; j < d; ++j) mean[j] /= static_cast<double>(n);
    std::vector<double> score(n);
    for (int64_t i = 0; i < n; ++i) {
        double s = 0.0;
        for (int j = 0; j < d; ++j) s += unit[i * d + j] * mean[j];
        score[i] = s;
    }
    return score;
}

std::vector<double> mean_cosine_scores_reference(const float* points, int64_t n, int d) {
    check_points("mean_cosine_scores_reference", n, d);
    std::vector<double> score(n, 0.0);
    for (int64_t i = 0; i < n; ++i) {
        for (int64_t k = 0; k < n; ++k) {
            double dot = 0.0, ni = 0.0, nk = 0.0;
            for (int j = 0; j < d; ++j) {
                const double a = points[i * d + j], b = points[k * d + j];
                dot += a * b;
                ni += a * a;
                nk += b * b;
            }
            score[i] += (ni > 0.0 && nk > 0.0) ? dot / std::sqrt(ni * nk) : 0.0;
        }
        score[i] /= static_cast<double>(n);
    }
    return score;
}

std::vector<int64_t> cosine_greedy_positions(const float* points, int64_t n, int d, int count,
                                             Rng& rng) {
    check_points("cosine_greedy_positions", n, d);
    NASFLAT_CHECK(count >= 1 && count <= n, "cosine_greedy_positions: count ", count, " for N ", n,
                  "; hint: need 1 <= count <= N");
    const std::vector<double> unit = unit_rows(points, n, d);
    std::vector<char> taken(n, 0);
    std::vector<int64_t> chosen;
    chosen.reserve(static_cast<size_t>(count));
    int64_t last = static_cast<int64_t>(rng.below(static_cast<uint64_t>(n)));
    chosen.push_back(last);
    taken[last] = 1;
    while (static_cast<int>(chosen.size()) < count) {
        // The authors compared against every arch, so the last pick's least-similar partner could
        // be an earlier pick (A -> B -> A ...). Skipping taken rows removes the repeats.
        int64_t best = -1;
        double best_sim = std::numeric_limits<double>::infinity();
        for (int64_t i = 0; i < n; ++i) {
            if (taken[i]) continue;
            double sim = 0.0;
            for (int j = 0; j < d; ++j) sim += unit[i * d + j] * unit[last * d + j];
            if (sim < best_sim) {
                best_sim = sim;
                best = i;
            }
        }
        last = best;
        chosen.push_back(last);
        taken[last] = 1;
    }
    return chosen;
}

}  // namespace nasflat::samplers
