// kmeans.h — k-means with scikit-learn 1.0.2 semantics, single-threaded and deterministic.
// Dims: N points, D point dim, K clusters. Points and centres are float, row-major; a squared
// distance is a float sum over D, and every sum over points (centres, inertia, k-means++
// potentials, variances) is accumulated in double.
//
// kmeans() = n_init x (kmeans_plusplus seeding, then Lloyd), keeping the lowest inertia.
// The Lloyd loop has two versions with the same arguments and bit-identical results:
//   kmeans_lloyd_reference  plain loops: one sq_dist per point and centre (the spec);
//   kmeans_lloyd            the same loop with the N x K distances of each E-step from a
//                           register-tiled SIMD kernel over points stored in blocks
//                           (kmeans_math.cpp), then a vectorised argmin.
// sklearn 1.0.2's default is Elkan, which returns the same clustering as Lloyd. Hamerly bounds
// were tried and dropped: on NB201-like one-hot and Gaussian test data they skipped only 40-60%
// of the points per iteration, which did not pay for their bookkeeping.
// Speed (dev VM CPU with AVX-512, -O3 -march=native, one core, N = 15625, K = 20, n_init = 10):
// 0.1-0.4 s on structured synthetic data (Gaussian mixtures, NB201-like one-hot, D = 13-77);
// isotropic Gaussian noise is the worst case (~130 Lloyd iterations per restart): ~0.7 s at
// D = 13, ~2 s at D = 77.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/base/rng.h"

namespace nasflat::samplers {

struct KMeansOptions {
    int n_init = 10;     // restarts, each with its own k-means++ seeding
    int max_iter = 300;  // Lloyd iterations per restart
    double tol = 1e-4;   // relative: the absolute tolerance is tol x mean per-feature variance
};

struct KMeansResult {
    std::vector<int32_t> labels;  // (N) cluster of each point, consistent with `centres`
    std::vector<float> centres;   // (K, D)
    double inertia = 0.0;         // sum of squared distances of points to their centres
    int iterations = 0;           // Lloyd iterations run (of the kept restart)
};

// sklearn's absolute tolerance: tol x mean over features of the (population) variance.
double kmeans_tolerance(const float* points,  // (N, D)
                        int64_t n, int d, double tol);

// Greedy k-means++ seeding (sklearn _kmeans_plusplus): the first centre uniformly at random;
// each next one is the best (lowest resulting potential) of 2 + floor(ln K) candidates drawn
// with probability proportional to the squared distance to the nearest centre so far. When every
// point already coincides with a centre (potential 0) the candidate is drawn uniformly.
// Returns (K, D) centres, each a copy of a point. Requires 1 <= K <= N.
std::vector<float> kmeans_plusplus(const float* points,  // (N, D)
                                   int64_t n, int d, int k, Rng& rng);

// Lloyd from `init_centres` (K, D). Each iteration: assign every point to its nearest centre
// (ties -> lowest index), recompute centres as means, re-seed empty clusters; stop when no label
// changed or the summed squared centre shift is <= tol_abs, or after max_iter iterations. A final
// assignment makes labels consistent with the returned centres; inertia is computed from it.
// Empty cluster: its centre becomes the point farthest from its own centre (sklearn), taken from
// a cluster with more than one member; if every point sits exactly on its centre (fewer distinct
// points than K) the cluster stays empty and its centre stays put.
KMeansResult kmeans_lloyd(const float* points,  // (N, D)
                          int64_t n, int d, const std::vector<float>& init_centres, int k,
                          int max_iter, double tol_abs);
KMeansResult kmeans_lloyd_reference(const float* points,  // (N, D)
                                    int64_t n, int d, const std::vector<float>& init_centres, int k,
                                    int max_iter, double tol_abs);

// The whole thing: options.n_init restarts, lowest inertia wins (the first on ties).
KMeansResult kmeans(const float* points,  // (N, D)
                    int64_t n, int d, int k, Rng& rng, const KMeansOptions& options = {});

}  // namespace nasflat::samplers
