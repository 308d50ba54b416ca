// samplers.cpp — method names, input validation and the seven methods of samplers.h.
// Dims: N candidates, D encoding dim, S space size, C count.
#include "samplers/samplers.h"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "kernels/base/check.h"
#include "samplers/cosine.h"
#include "samplers/kmeans.h"
#include "samplers/stratify.h"

namespace nasflat::samplers {

namespace {

struct MethodInfo {
    Method method;
    const char* name;
};
constexpr MethodInfo kMethods[] = {
    {Method::Random, "random"},
    {Method::Params, "params"},
    {Method::Latency, "latency"},
    {Method::KMeans, "kmeans"},
    {Method::Cosine, "cosine"},
    {Method::CosineGreedy, "cosine_greedy"},
    {Method::KMeansCosine, "kmeancosine"},
};

// Checks everything at the door (spec: loud, early) and returns the candidates sorted by arch
// index: the canonical order that makes results independent of the caller's order and breaks
// every later tie by arch index.
std::vector<int32_t> validated_candidates(Method method, int count, const SamplerInput& in) {
    const char* name = method_name(method);
    std::vector<int32_t> sorted = in.candidates;
    std::sort(sorted.begin(), sorted.end());
    const int64_t n = static_cast<int64_t>(sorted.size());
    if (count <= 0 || count > n)
        fail("sampler '", name, "': cannot choose ", count, " archs from ", n,
             " candidates; hint: need 1 <= count <= number of candidates");
    for (int64_t i = 1; i < n; ++i)
        if (sorted[i] == sorted[i - 1])
            fail("sampler '", name, "': arch index ", sorted[i],
                 " appears twice in the candidates; hint: candidates must be distinct");
    if (sorted.front() < 0 || (in.space_size > 0 && sorted.back() >= in.space_size))
        fail("sampler '", name, "': candidate arch index ",
             sorted.front() < 0 ? sorted.front() : sorted.back(), " is outside the space [0, ",
             in.space_size, ")");
    if (needs_features(method)) {
        if (in.features == nullptr || in.dim <= 0 || in.space_size <= 0)
            fail("sampler '", name,
                 "' needs an encoding: set SamplerInput.features to a (space_size",
                 " x dim) row-major matrix indexed by arch index, with dim > 0 and space_size > 0",
                 " (got dim ", in.dim, ", space_size ", in.space_size, ")");
        for (int32_t arch : sorted)
            for (int j = 0; j < in.dim; ++j)
                if (!std::isfinite(in.features[static_cast<int64_t>(arch) * in.dim + j]))
                    fail("sampler '", name, "': feature ", j, " of arch ", arch,
                         " is not finite; hint: impute or drop that arch from the candidates");
    }
    if (needs_scalar(method)) {
        const char* what = method == Method::Params ? "#params" : "the target's measured latency";
        if (in.scalar == nullptr)
            fail("sampler '", name, "' needs SamplerInput.scalar: ", what, " per arch index");
        if (static_cast<int64_t>(in.scalar->size()) <= sorted.back())
            fail("sampler '", name, "': scalar has ", in.scalar->size(),
                 " values but candidate arch index ", sorted.back(), " needs more");
        for (int32_t arch : sorted)
            if (!std::isfinite((*in.scalar)[arch]))
                fail("sampler '", name, "': ", what, " of arch ", arch, " is ", (*in.scalar)[arch],
                     " (NaN = unknown, and only finite values can be ranked); hint: pass only",
                     " candidates whose ", what, " is known");
    }
    return sorted;
}

// The candidates' feature rows, gathered into an (N, D) matrix.
std::vector<float> gather_rows(const std::vector<int32_t>& arches, const SamplerInput& in) {
    const int d = in.dim;
    std::vector<float> rows(arches.size() * static_cast<size_t>(d));
    for (size_t i = 0; i < arches.size(); ++i) {
        const float* src = in.features + static_cast<int64_t>(arches[i]) * d;
        std::copy(src, src + d, rows.begin() + static_cast<int64_t>(i) * d);
    }
    return rows;
}

std::vector<int32_t> sample_random(const std::vector<int32_t>& cand, int count, Rng& rng) {
    std::vector<int32_t> picks;
    for (int pos : rng.sample_without_replacement(static_cast<int>(cand.size()), count))
        picks.push_back(cand[pos]);
    return picks;
}

std::vector<int32_t> sample_by_scalar(const std::vector<int32_t>& cand, int count,
                                      const std::vector<double>& scalar, Rng& rng) {
    std::vector<double> keys(cand.size());
    for (size_t i = 0; i < cand.size(); ++i) keys[i] = scalar[cand[i]];
    return pick_one_per_bucket(sort_by_key(cand, keys), count, rng);
}

std::vector<int32_t> sample_kmeans(const std::vector<int32_t>& cand, const std::vector<float>& rows,
                                   int d, int count, Rng& rng) {
    const int64_t n = static_cast<int64_t>(cand.size());
    const KMeansResult km = kmeans(rows.data(), n, d, count, rng);
    std::vector<std::vector<int32_t>> members(static_cast<size_t>(count));
    for (int64_t i = 0; i < n; ++i) members[km.labels[i]].push_back(cand[i]);
    std::vector<int32_t> picks;
    for (const auto& m : members)
        if (!m.empty()) picks.push_back(m[rng.below(m.size())]);
    // An empty cluster is rare: the M-step re-seeds them, so one survives only when the rows
    // hold fewer than `count` distinct values (see kmeans.h) or when the final assignment after
    // the last M-step leaves a centre without members. Fill the shortfall uniformly from the
    // archs not yet chosen, so the count is always met without duplicates.
    if (static_cast<int>(picks.size()) < count) {
        std::vector<int32_t> taken = picks, rest;
        std::sort(taken.begin(), taken.end());
        std::set_difference(cand.begin(), cand.end(), taken.begin(), taken.end(),
                            std::back_inserter(rest));
        for (int32_t arch : sample_random(rest, count - static_cast<int>(picks.size()), rng))
            picks.push_back(arch);
    }
    return picks;
}

// Cosine stratification over all candidates' scores, skipping `exclude` (sorted) before the split.
std::vector<int32_t> sample_cosine(const std::vector<int32_t>& cand, const std::vector<float>& rows,
                                   int d, int count, const std::vector<int32_t>& exclude,
                                   Rng& rng) {
    const std::vector<double> scores =
        mean_cosine_scores(rows.data(), static_cast<int64_t>(cand.size()), d);
    std::vector<int32_t> order = sort_by_key(cand, scores);
    order.erase(std::remove_if(order.begin(), order.end(),
                               [&](int32_t a) {
                                   return std::binary_search(exclude.begin(), exclude.end(), a);
                               }),
                order.end());
    return pick_one_per_bucket(order, count, rng);
}

}  // namespace

Method parse_method(const std::string& text) {
    for (const MethodInfo& m : kMethods)
        if (text == m.name) return m.method;
    std::string valid;
    for (const MethodInfo& m : kMethods) valid += std::string(valid.empty() ? "" : ", ") + m.name;
    fail("unknown sampling method '", text, "'; valid: ", valid);
}

const char* method_name(Method method) {
    for (const MethodInfo& m : kMethods)
        if (m.method == method) return m.name;
    fail("method_name: invalid Method value ", static_cast<int>(method));
}

std::vector<Method> all_methods() {
    std::vector<Method> methods;
    for (const MethodInfo& m : kMethods) methods.push_back(m.method);
    return methods;
}

bool needs_features(Method method) {
    return method == Method::KMeans || method == Method::Cosine || method == Method::CosineGreedy ||
           method == Method::KMeansCosine;
}

bool needs_scalar(Method method) {
    return method == Method::Params || method == Method::Latency;
}

std::vector<int32_t> sample(Method method, int count, const SamplerInput& input, Rng& rng) {
    const std::vector<int32_t> cand = validated_candidates(method, count, input);
    const std::vector<float> rows =
        needs_features(method) ? gather_rows(cand, input) : std::vector<float>{};
    const int d = input.dim;
    switch (method) {
        case Method::Random:
            return sample_random(cand, count, rng);
        case Method::Params:
        case Method::Latency:
            return sample_by_scalar(cand, count, *input.scalar, rng);
        case Method::KMeans:
            return sample_kmeans(cand, rows, d, count, rng);
        case Method::Cosine:
            return sample_cosine(cand, rows, d, count, {}, rng);
        case Method::CosineGreedy: {
            std::vector<int32_t> picks;
            const int64_t n = static_cast<int64_t>(cand.size());
            for (int64_t pos : cosine_greedy_positions(rows.data(), n, d, count, rng))
                picks.push_back(cand[pos]);
            return picks;
        }
        case Method::KMeansCosine: {
            const int half = count / 2;  // count == 1 -> no k-means half (the authors' KMeans(0))
            std::vector<int32_t> picks =
                half > 0 ? sample_kmeans(cand, rows, d, half, rng) : std::vector<int32_t>{};
            std::vector<int32_t> exclude = picks;
            std::sort(exclude.begin(), exclude.end());
            for (int32_t arch : sample_cosine(cand, rows, d, count - half, exclude, rng))
                picks.push_back(arch);
            return picks;
        }
    }
    fail("sample: invalid Method value ", static_cast<int>(method));
}

}  // namespace nasflat::samplers
