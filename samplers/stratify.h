// stratify.h — the stratified pick shared by Params, Latency and Cosine: sort by a key,
// split into contiguous buckets exactly like numpy.array_split, one random member per bucket.
// Dims: N items, C count (number of buckets).
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/base/rng.h"

namespace nasflat::samplers {

// The C + 1 bucket offsets of numpy.array_split(range(n), count): bucket b is
// [offsets[b], offsets[b+1]); the first n % count buckets hold n / count + 1 items, the rest
// n / count. Requires 1 <= count <= n (no empty buckets in our use).
std::vector<int64_t> array_split_offsets(int64_t n, int count);

// Returns `items` reordered by key ascending. Ties keep the input order (stable), so callers that
// pass items sorted by arch index get ties broken by arch index.
std::vector<int32_t> sort_by_key(const std::vector<int32_t>& items,  // (N)
                                 const std::vector<double>& keys);   // (N), keys[i] for items[i]

// One uniformly random element of each array_split bucket of `sorted`, in bucket order (one Rng
// draw per bucket). 1 <= count <= sorted.size().
std::vector<int32_t> pick_one_per_bucket(const std::vector<int32_t>& sorted, int count, Rng& rng);

}  // namespace nasflat::samplers
