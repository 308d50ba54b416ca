// samplers.h — which architectures to measure on a new device: the seven sampling methods of
// NASFLAT (the authors' sampling code) behind one entry point, sample(method, count, input, rng).
// Dims: N candidates, D encoding dim, S space size (arch indices are 0..S-1), C count.
// Building blocks live next door: stratify.h (sort + array_split + one per bucket), kmeans.h,
// cosine.h. Tests: tests/samplers/. No main.
//
// Differences from the authors' code (all deliberate, all defects there):
//   - no method ever returns a duplicate (their cosine_greedy could bounce between two archs and
//     their kmeancosine concatenated two independent draws);
//   - no silent fallback to random sampling when k-means or cosine raises: errors are loud;
//   - kmeancosine with count == 1 returns one cosine pick (theirs called KMeans(0));
//   - params really stratifies by #params (theirs used validation accuracy on NB201);
//   - candidates are an explicit pool (e.g. the archs measured on the device), not the space.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/base/rng.h"

namespace nasflat::samplers {

enum class Method {
    Random,        // uniform without replacement
    Params,        // stratified by #params (scalar)
    Latency,       // stratified by the target's TRUE latency (scalar): an oracle, see below
    KMeans,        // one random member of each of `count` k-means clusters (features)
    Cosine,        // stratified by mean cosine similarity, most atypical first (features)
    CosineGreedy,  // chain of least-similar-to-the-last-pick (features)
    KMeansCosine,  // floor(count/2) KMeans picks + the rest Cosine (features); NASFLAT's default
};

// "random", "params", "latency", "kmeans", "cosine", "cosine_greedy", "kmeancosine"; anything
// else -> nasflat::Error with one line listing the valid names.
Method parse_method(const std::string& text);
// The spelling parse_method accepts.
const char* method_name(Method method);
std::vector<Method> all_methods();
// True when the method reads SamplerInput::features (KMeans, Cosine, CosineGreedy,
// KMeansCosine) / SamplerInput::scalar (Params, Latency).
bool needs_features(Method method);
bool needs_scalar(Method method);

struct SamplerInput {
    // Arch indices that may be chosen (e.g. those measured on the device, or a user's pool).
    // Must be distinct and in [0, S). Their order does not matter: every method first sorts them
    // by arch index, so the result depends only on the set and the Rng state.
    std::vector<int32_t> candidates;
    // (S, D) row-major encoding indexed by ARCH INDEX (not by candidate position). Only the
    // candidates' rows are read; they must be finite.
    const float* features = nullptr;
    int dim = 0;             // D
    int64_t space_size = 0;  // S: rows of `features`; also bounds the candidate indices
    // Per arch index (size >= max candidate + 1): #params for Params, the target's true latency
    // for Latency. NaN = unknown, which is an error for a candidate (never silently skipped).
    const std::vector<double>* scalar = nullptr;
};

// `count` distinct arch indices taken from input.candidates, deterministic for a given Rng
// state (and independent of the candidates' order). 1 <= count <= N, else nasflat::Error.
//
// Per method (ties in every sort are broken by arch index):
//   Random       uniform sample without replacement.
//   Params       sort candidates by scalar ascending, split into `count` contiguous buckets
//                exactly like numpy.array_split (the first N % count buckets get one extra),
//                pick one uniformly at random per bucket.
//   Latency      as Params, but the scalar is the target device's measured latency. This is an
//                ORACLE: it uses the ground truth that few-shot sampling is supposed not to know.
//                Report it only as an upper-bound reference, never as a deployable sampler.
//   KMeans       k-means (k = count) over the candidates' rows with sklearn 1.0.2 semantics
//                (k-means++ seeding, 10 restarts keeping the lowest inertia, at most 300 Lloyd
//                iterations, tol 1e-4 x mean feature variance on the summed squared centre
//                shift, empty clusters re-seeded from the farthest point), then one uniformly
//                random member per cluster. If the rows have fewer than `count` distinct values
//                some clusters stay empty; the shortfall is drawn uniformly from the rest.
//   Cosine       score_i = mean_j cos(x_i, x_j) over all candidates (itself included; a zero
//                row has similarity 0 to everything); sort ascending (most atypical first),
//                array_split into `count` buckets, one random member per bucket.
//   CosineGreedy start from a uniformly random candidate; then repeatedly append the
//                not-yet-chosen candidate with the minimum cosine similarity to the LAST pick.
//   KMeansCosine floor(count/2) KMeans picks, then count - floor(count/2) Cosine picks: the
//                cosine scores are computed over all candidates, but the already chosen archs
//                are removed before the array_split, so nothing repeats.
std::vector<int32_t> sample(Method method, int count, const SamplerInput& input, Rng& rng);

}  // namespace nasflat::samplers
