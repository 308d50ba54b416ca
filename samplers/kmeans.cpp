// kmeans.cpp — sklearn's tolerance, greedy k-means++ seeding and the n_init driver; see kmeans.h.
// Dims: N points, D point dim, K clusters, T k-means++ candidates per step.
#include "samplers/kmeans.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/base/check.h"
#include "samplers/kmeans_math.h"

namespace nasflat::samplers {

using detail::sq_dists_bulk;

double kmeans_tolerance(const float* points, int64_t n, int d, double tol) {
    // Two passes per feature (mean, then squared deviations) keep the variance accurate for
    // features with a large offset, e.g. raw #params.
    std::vector<double> mean(static_cast<size_t>(d), 0.0), var(static_cast<size_t>(d), 0.0);
    for (int64_t i = 0; i < n; ++i)
        for (int j = 0; j < d; ++j) mean[j] += points[i * d + j];
    for (int j = 0; j < d; ++j) mean[j] /= static_cast<double>(n);
    for (int64_t i = 0; i < n; ++i)
        for (int j = 0; j < d; ++j) {
            const double t = points[i * d + j] - mean[j];
            var[j] += t * t;
        }
    double total = 0.0;
    for (int j = 0; j < d; ++j) total += var[j] / static_cast<double>(n);
    return tol * total / d;
}

std::vector<float> detail::kmeans_plusplus_on(const PointTable& pts, int k, Rng& rng) {
    const int64_t n = pts.n;
    const int d = pts.d;
    NASFLAT_CHECK(k >= 1 && k <= n && d >= 1, "kmeans_plusplus: K ", k, " for N ", n, ", D ", d,
                  "; hint: need 1 <= K <= N and D >= 1");
    const int num_trials = 2 + static_cast<int>(std::log(static_cast<double>(k)));
    std::vector<float> centres(static_cast<size_t>(k) * d);
    auto copy_row = [&](int64_t i, float* dst) {
        std::copy(pts.rows + i * d, pts.rows + (i + 1) * d, dst);
    };
    const int64_t first = static_cast<int64_t>(rng.below(static_cast<uint64_t>(n)));
    copy_row(first, centres.data());
    // closest[i] = squared distance of point i to its nearest centre so far ("potential" terms).
    const int64_t stride = pts.n_pad;
    std::vector<float> dist(static_cast<size_t>(num_trials) * stride);  // (T, N_pad)
    sq_dists_bulk(pts, centres.data(), 1, dist.data());
    std::vector<double> closest(dist.begin(), dist.begin() + n), cumsum(n);
    std::vector<int64_t> trial_ids(static_cast<size_t>(num_trials));
    std::vector<float> trial_rows(static_cast<size_t>(num_trials) * d);  // (T, D)
    for (int c = 1; c < k; ++c) {
        double total = 0.0;
        for (int64_t i = 0; i < n; ++i) cumsum[i] = (total += closest[i]);
        // D^2 sampling: the first index whose cumulative potential exceeds r, so points already
        // on a centre (weight 0) are never drawn; the clamp guards r == total after rounding.
        for (int t = 0; t < num_trials; ++t) {
            int64_t id;
            if (total > 0.0) {
                const double r = rng.uniform() * total;
                id = std::upper_bound(cumsum.begin(), cumsum.end(), r) - cumsum.begin();
            } else {  // every point sits on a centre: any choice is as good
                id = static_cast<int64_t>(rng.below(static_cast<uint64_t>(n)));
            }
            trial_ids[t] = std::min(id, n - 1);
            copy_row(trial_ids[t], &trial_rows[t * d]);
        }
        sq_dists_bulk(pts, trial_rows.data(), num_trials, dist.data());
        int best = 0;
        double best_pot = std::numeric_limits<double>::infinity();
        for (int t = 0; t < num_trials; ++t) {
            double pot = 0.0;
            for (int64_t i = 0; i < n; ++i)
                pot += std::min(closest[i], static_cast<double>(dist[t * stride + i]));
            if (pot < best_pot) {
                best_pot = pot;
                best = t;
            }
        }
        for (int64_t i = 0; i < n; ++i)
            closest[i] = std::min(closest[i], static_cast<double>(dist[best * stride + i]));
        copy_row(trial_ids[best], &centres[c * d]);
    }
    return centres;
}

std::vector<float> kmeans_plusplus(const float* points, int64_t n, int d, int k, Rng& rng) {
    NASFLAT_CHECK(n >= 1 && d >= 1, "kmeans_plusplus: N ", n, ", D ", d);
    return detail::kmeans_plusplus_on(detail::make_point_table(points, n, d), k, rng);
}

KMeansResult kmeans(const float* points, int64_t n, int d, int k, Rng& rng,
                    const KMeansOptions& options) {
    NASFLAT_CHECK(n >= 1 && d >= 1 && k >= 1 && k <= n, "kmeans: K ", k, " clusters for N ", n,
                  " points of dim ", d, "; hint: need 1 <= K <= N");
    NASFLAT_CHECK(options.n_init >= 1 && options.max_iter >= 1 && options.tol >= 0.0,
                  "kmeans: n_init ", options.n_init, ", max_iter ", options.max_iter, ", tol ",
                  options.tol, "; hint: need n_init >= 1, max_iter >= 1, tol >= 0");
    const double tol_abs = kmeans_tolerance(points, n, d, options.tol);
    const detail::PointTable pts = detail::make_point_table(points, n, d);
    KMeansResult best;
    for (int r = 0; r < options.n_init; ++r) {
        const std::vector<float> init = detail::kmeans_plusplus_on(pts, k, rng);
        KMeansResult result = detail::kmeans_lloyd_on(pts, init, k, options.max_iter, tol_abs);
        if (r == 0 || result.inertia < best.inertia) best = std::move(result);
    }
    return best;
}

}  // namespace nasflat::samplers
