// kmeans_lloyd.cpp — the Lloyd loop (sklearn semantics) with two interchangeable E-steps: the
// plain reference (one sq_dist per point and centre) and the fast one (sq_dists_bulk over the
// blocked point table, then an argmin pass); see kmeans.h.
// Dims: N points, D dim, K clusters, N_pad points rounded up to whole SIMD blocks.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "kernels/base/check.h"
#include "samplers/kmeans.h"
#include "samplers/kmeans_math.h"

namespace nasflat::samplers {

namespace {

// E-step: sets labels (nearest centre, ties -> lowest index) and best (its squared distance) for
// every point; returns how many labels changed.
using EStep = std::function<int64_t(const std::vector<float>& centres,  // (K, D)
                                    std::vector<int32_t>& labels,       // (N) in/out
                                    std::vector<float>& best)>;         // (N) out

void check_lloyd_args(int64_t n, int d, const std::vector<float>& init, int k, int max_iter) {
    NASFLAT_CHECK(n >= 1 && d >= 1 && k >= 1 && k <= n && max_iter >= 1, "kmeans_lloyd: N ", n,
                  ", D ", d, ", K ", k, ", max_iter ", max_iter);
    NASFLAT_CHECK(init.size() == static_cast<size_t>(k) * d, "kmeans_lloyd: init has ", init.size(),
                  " floats, expected K x D = ", k, " x ", d);
}

// Summed squared shift between two (K, D) centre sets.
double centre_shift(const std::vector<float>& a, const std::vector<float>& b) {
    double total = 0.0;
    for (size_t i = 0; i < a.size(); ++i) {
        const double t = static_cast<double>(a[i]) - b[i];
        total += t * t;
    }
    return total;
}

// sklearn's _kmeans_single_lloyd: E-step, M-step; stop when no label changed (strict
// convergence; the labels start at -1, so never after the first E-step) or when the summed
// squared centre shift is <= tol_abs. A final E-step makes labels match the returned centres.
KMeansResult lloyd_loop(const float* points, int64_t n, int d, const std::vector<float>& init,
                        int k, int max_iter, double tol_abs, const EStep& e_step) {
    KMeansResult result;
    std::vector<float> centres = init, next;
    std::vector<int32_t> labels(n, -1);
    std::vector<float> best(n);
    while (result.iterations < max_iter) {
        ++result.iterations;
        const int64_t changed = e_step(centres, labels, best);
        detail::update_centres(points, n, d, labels, k, centres, next);
        const double shift = centre_shift(next, centres);
        centres.swap(next);
        if (changed == 0 || shift <= tol_abs) break;  // same labels -> same centres: converged
    }
    e_step(centres, labels, best);
    for (int64_t i = 0; i < n; ++i) result.inertia += best[i];
    result.labels = std::move(labels);
    result.centres = std::move(centres);
    return result;
}

}  // namespace

KMeansResult kmeans_lloyd_reference(const float* points, int64_t n, int d,
                                    const std::vector<float>& init_centres, int k, int max_iter,
                                    double tol_abs) {
    check_lloyd_args(n, d, init_centres, k, max_iter);
    auto e_step = [&](const std::vector<float>& centres, std::vector<int32_t>& labels,
                      std::vector<float>& best) {
        int64_t changed = 0;
        for (int64_t i = 0; i < n; ++i) {
            int label = 0;
            best[i] = std::numeric_limits<float>::infinity();
            for (int c = 0; c < k; ++c) {
                const float s = detail::sq_dist(points + i * d, &centres[c * d], d);
                if (s < best[i]) {  // strict: ties keep the lowest index
                    best[i] = s;
                    label = c;
                }
            }
            changed += label != labels[i];
            labels[i] = label;
        }
        return changed;
    };
    return lloyd_loop(points, n, d, init_centres, k, max_iter, tol_abs, e_step);
}

KMeansResult detail::kmeans_lloyd_on(const PointTable& pts, const std::vector<float>& init_centres,
                                     int k, int max_iter, double tol_abs) {
    check_lloyd_args(pts.n, pts.d, init_centres, k, max_iter);
    const int64_t n = pts.n;
    std::vector<float> dist(static_cast<size_t>(k) * pts.n_pad);  // (K, N_pad), reused
    std::vector<int32_t> label_new(n);
    auto e_step = [&](const std::vector<float>& centres, std::vector<int32_t>& labels,
                      std::vector<float>& best) {
        sq_dists_bulk(pts, centres.data(), k, dist.data());
        // Centre-outer argmin: unit-stride rows, so the compiler vectorises the selects.
        std::copy(dist.begin(), dist.begin() + n, best.begin());
        std::fill(label_new.begin(), label_new.end(), 0);
        for (int c = 1; c < k; ++c) {
            const float* row = &dist[c * pts.n_pad];
            for (int64_t i = 0; i < n; ++i) {
                const bool closer = row[i] < best[i];  // strict: ties keep the lowest index
                best[i] = closer ? row[i] : best[i];
                label_new[i] = closer ? c : label_new[i];
            }
        }
        int64_t changed = 0;
        for (int64_t i = 0; i < n; ++i) changed += label_new[i] != labels[i];
        labels.swap(label_new);
        return changed;
    };
    return lloyd_loop(pts.rows, n, pts.d, init_centres, k, max_iter, tol_abs, e_step);
}

KMeansResult kmeans_lloyd(const float* points, int64_t n, int d,
                          const std::vector<float>& init_centres, int k, int max_iter,
                          double tol_abs) {
    check_lloyd_args(n, d, init_centres, k, max_iter);
    return detail::kmeans_lloyd_on(detail::make_point_table(points, n, d), init_centres, k,
                                   max_iter, tol_abs);
}

}  // namespace nasflat::samplers
