// metrics.h — rank metrics between predicted scores and measured latencies (protocols: README).
// Inputs are two equally long vectors of finite numbers (n >= 2); a length mismatch, n < 2 or a
// NaN/inf entry is a one-line error. A constant input (no ranking information) gives NaN, as
// scipy does: the caller decides how to report an undefined correlation.
#pragma once

#include <vector>

namespace nasflat::nas {

// 1-based ranks; tied values share the mean of the ranks they span ("average" method).
std::vector<double> average_ranks(const std::vector<double>& v);

// Spearman's rho: Pearson correlation of the average ranks. O(n log n).
double spearman(const std::vector<double>& a, const std::vector<double>& b);

// Kendall's tau-b (ties in either input corrected for, as scipy.stats.kendalltau), with Knight's
// O(n log n) algorithm: sort by (a, b), count a-ties and joint ties, count b's inversions with a
// merge sort, then b-ties.
//   tau_b = (n0 - n1 - n2 + n3 - 2 * swaps) / sqrt((n0 - n1)(n0 - n2)),  n0 = n(n-1)/2.
double kendall_tau_b(const std::vector<double>& a, const std::vector<double>& b);

// Which end of the ranking counts as "top": for latency the fastest (smallest) architectures.
enum class TopK { Smallest, Largest };
// |top-k of pred ∩ top-k of truth| / k, in [0, 1]. Ties at the cut are broken by lower index
// (deterministic). 1 <= k <= n, else an error.
double top_k_overlap(const std::vector<double>& pred, const std::vector<double>& truth, int k,
                     TopK which = TopK::Smallest);

}  // namespace nasflat::nas
