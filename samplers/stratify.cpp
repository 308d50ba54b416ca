// stratify.cpp — see stratify.h. Dims: N items, C count.
#include "samplers/stratify.h"

#include <algorithm>
#include <numeric>

#include "kernels/base/check.h"

namespace nasflat::samplers {

std::vector<int64_t> array_split_offsets(int64_t n, int count) {
    NASFLAT_CHECK(count >= 1 && count <= n, "array_split_offsets: count ", count, " for ", n,
                  " items; hint: need 1 <= count <= n");
    // numpy: section sizes are [q + 1] * r + [q] * (count - r) with q, r = divmod(n, count).
    const int64_t q = n / count, r = n % count;
    std::vector<int64_t> offsets(static_cast<size_t>(count) + 1, 0);
    for (int b = 0; b < count; ++b) offsets[b + 1] = offsets[b] + q + (b < r ? 1 : 0);
    return offsets;
}

std::vector<int32_t> sort_by_key(const std::vector<int32_t>& items,
                                 const std::vector<double>& keys) {
    NASFLAT_CHECK(items.size() == keys.size(), "sort_by_key: ", items.size(), " items but ",
                  keys.size(), " keys");
    std::vector<size_t> order(items.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return keys[a] < keys[b]; });
    std::vector<int32_t> sorted(items.size());
    for (size_t i = 0; i < order.size(); ++i) sorted[i] = items[order[i]];
    return sorted;
}

std::vector<int32_t> pick_one_per_bucket(const std::vector<int32_t>& sorted, int count, Rng& rng) {
    const std::vector<int64_t> offsets =
        array_split_offsets(static_cast<int64_t>(sorted.size()), count);
    std::vector<int32_t> picks;
    picks.reserve(static_cast<size_t>(count));
    for (int b = 0; b < count; ++b) {
        const int64_t size = offsets[b + 1] - offsets[b];
        const int64_t at =
            offsets[b] + static_cast<int64_t>(rng.below(static_cast<uint64_t>(size)));
        picks.push_back(sorted[static_cast<size_t>(at)]);
    }
    return picks;
}

}  // namespace nasflat::samplers
