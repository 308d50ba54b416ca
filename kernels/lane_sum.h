// lane_sum.h — sums that vectorise, for the fast CPU kernels (graph_fast.cpp's SDDMM dots,
// norm_fast.cpp's layer-norm row sums). The sum over c < n of term(c) runs in kLanes interleaved
// partial sums, added up by a halving tree, instead of one serial chain of adds (which cannot
// vectorise: float addition is not associative). The order is fixed, so the bits are the same
// on every run; they differ from the reference's serial sum in the last places (the tests allow
// for it).
#pragma once

#include <cstdint>

namespace nasflat::kernels::fast {

constexpr int kLanes = 16;

template <class Term>
inline float lane_sum(int64_t n, Term&& term) {
    float part[kLanes] = {};
    int64_t c = 0;
    for (; c + kLanes <= n; c += kLanes) {
        for (int l = 0; l < kLanes; ++l) part[l] += term(c + l);
    }
    float acc = 0.0f;
    for (; c < n; ++c) acc += term(c);
    // The lanes by halving (l + l+8, then l + l+4, l + l+2, l + l+1): four adds deep instead of
    // a chain of 16. graph_fast.cpp's SDDMM reduces its lanes by the same tree.
    static_assert(kLanes == 16, "the tree below halves 16 lanes");
    for (int l = 0; l < 8; ++l) part[l] += part[l + 8];
    for (int l = 0; l < 4; ++l) part[l] += part[l + 4];
    for (int l = 0; l < 2; ++l) part[l] += part[l + 2];
    return acc + (part[0] + part[1]);
}

// <x, y> over F floats in lanes.
inline float dot(const float* x, const float* y, int64_t F) {
    return lane_sum(F, [&](int64_t f) { return x[f] * y[f]; });
}

}  // namespace nasflat::kernels::fast
