// metrics.cpp — see metrics.h. Counts are int64 (n = 15625 gives n0 ~ 1.2e8 pairs).
#include "nas/base/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <utility>

#include "kernels/base/check.h"

namespace nasflat::nas {

namespace {

void check_pair(const std::vector<double>& a, const std::vector<double>& b, const char* what) {
    if (a.size() != b.size()) {
        fail(what, ": inputs have different lengths (", a.size(), " vs ", b.size(),
             "); fix: pass one prediction per measured architecture");
    }
    if (a.size() < 2) fail(what, ": needs at least 2 values, got ", a.size());
    for (size_t i = 0; i < a.size(); ++i) {
        if (!std::isfinite(a[i]) || !std::isfinite(b[i])) {
            fail(what, ": value ", i, " is not finite (", a[i], ", ", b[i],
                 "); fix: drop unmeasured architectures (NaN) before scoring");
        }
    }
}

// Index order sorting v ascending, ties by index (stable).
std::vector<int64_t> order_of(const std::vector<double>& v) {
    std::vector<int64_t> idx(v.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(idx.begin(), idx.end(), [&](int64_t i, int64_t j) { return v[i] < v[j]; });
    return idx;
}

// Pairs within runs of equal values of a sorted sequence: sum over runs of t(t-1)/2.
template <typename Equal>
int64_t tied_pairs(size_t n, Equal equal) {
    int64_t pairs = 0, run = 1;
    for (size_t i = 1; i <= n; ++i) {
        if (i < n && equal(i - 1, i)) {
            ++run;
        } else {
            pairs += run * (run - 1) / 2;
            run = 1;
        }
    }
    return pairs;
}

// Sorts v ascending and returns its number of inversions (pairs i < j with v[i] > v[j]).
int64_t count_inversions(std::vector<double>& v) {
    std::vector<double> tmp(v.size());
    int64_t swaps = 0;
    // Bottom-up merge sort: merge runs of width 1, 2, 4, ...
    for (size_t width = 1; width < v.size(); width *= 2) {
        for (size_t lo = 0; lo < v.size(); lo += 2 * width) {
            size_t mid = std::min(lo + width, v.size()), hi = std::min(lo + 2 * width, v.size());
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                if (v[j] < v[i]) {
                    swaps +=
                        static_cast<int64_t>(mid - i);  // v[j] jumps every remaining left value
                    tmp[k++] = v[j++];
                } else {
                    tmp[k++] = v[i++];
                }
            }
            while (i < mid) tmp[k++] = v[i++];
            while (j < hi) tmp[k++] = v[j++];
        }
        v.swap(tmp);
    }
    return swaps;
}

}  // namespace

std::vector<double> average_ranks(const std::vector<double>& v) {
    std::vector<int64_t> idx = order_of(v);
    std::vector<double> r(v.size());
    for (size_t i = 0; i < idx.size();) {
        size_t j = i;
        while (j + 1 < idx.size() && v[idx[j + 1]] == v[idx[i]]) ++j;
        double mean_rank = 0.5 * static_cast<double>(i + j) + 1.0;  // ranks i+1 .. j+1
        for (size_t k = i; k <= j; ++k) r[idx[k]] = mean_rank;
        i = j + 1;
    }
    return r;
}

double spearman(const std::vector<double>& a, const std::vector<double>& b) {
    check_pair(a, b, "spearman");
    std::vector<double> ra = average_ranks(a), rb = average_ranks(b);
    const double n = static_cast<double>(a.size());
    const double mean = (n + 1.0) / 2.0;  // the mean of average ranks is always (n+1)/2
    double sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < ra.size(); ++i) {
        double x = ra[i] - mean, y = rb[i] - mean;
        sab += x * y;
        saa += x * x;
        sbb += y * y;
    }
    if (saa == 0 || sbb == 0) return std::nan("");
    return sab / std::sqrt(saa * sbb);
}

double kendall_tau_b(const std::vector<double>& a, const std::vector<double>& b) {
    check_pair(a, b, "kendall_tau_b");
    const size_t n = a.size();
    // Sorting (a, b) pairs directly (lexicographic) keeps the data contiguous.
    std::vector<std::pair<double, double>> ab(n);
    for (size_t i = 0; i < n; ++i) ab[i] = {a[i], b[i]};
    std::sort(ab.begin(), ab.end());
    const int64_t n1 =
        tied_pairs(n, [&](size_t i, size_t j) { return ab[i].first == ab[j].first; });
    const int64_t n3 = tied_pairs(n, [&](size_t i, size_t j) { return ab[i] == ab[j]; });
    std::vector<double> bs(n);
    for (size_t i = 0; i < n; ++i) bs[i] = ab[i].second;
    const int64_t swaps = count_inversions(bs);  // bs is sorted afterwards
    const int64_t n2 = tied_pairs(n, [&](size_t i, size_t j) { return bs[i] == bs[j]; });
    const int64_t n0 = static_cast<int64_t>(n) * static_cast<int64_t>(n - 1) / 2;
    const double denom = std::sqrt(static_cast<double>(n0 - n1) * static_cast<double>(n0 - n2));
    if (denom == 0) return std::nan("");
    return static_cast<double>(n0 - n1 - n2 + n3 - 2 * swaps) / denom;
}

double top_k_overlap(const std::vector<double>& pred, const std::vector<double>& truth, int k,
                     TopK which) {
    check_pair(pred, truth, "top_k_overlap");
    if (k < 1 || static_cast<size_t>(k) > pred.size()) {
        fail("top_k_overlap: k = ", k, " but there are ", pred.size(),
             " architectures; fix: choose 1 <= k <= n");
    }
    auto top = [&](const std::vector<double>& v) {
        std::vector<int64_t> idx(v.size());
        std::iota(idx.begin(), idx.end(), 0);
        std::stable_sort(idx.begin(), idx.end(), [&](int64_t i, int64_t j) {
            return which == TopK::Smallest ? v[i] < v[j] : v[i] > v[j];
        });
        std::vector<bool> in(v.size(), false);
        for (int i = 0; i < k; ++i) in[idx[i]] = true;
        return in;
    };
    std::vector<bool> p = top(pred), t = top(truth);
    int common = 0;
    for (size_t i = 0; i < p.size(); ++i) common += p[i] && t[i];
    return static_cast<double>(common) / k;
}

}  // namespace nasflat::nas
