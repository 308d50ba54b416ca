// lane_sum.h — sums that vectorise, for the fast CPU kernels (graph_fast.cpp's SDDMM dots,
// norm_fast.cpp's layer-norm row sums). The sum over c < n of term(c) runs in kLanes interleaved
// partial sums instead of one serial chain of adds (which cannot vectorise: float addition is
// not associative). The order is fixed, so the bits are the same on every run; they differ from
// the reference's serial sum in the last places (the tests allow for it).
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
    for (int l = 0; l < kLanes; ++l) acc += part[l];
    return acc;
}

// <x, y> over F floats in lanes.
inline float dot(const float* x, const float* y, int64_t F) {
    return lane_sum(F, [&](int64_t f) { return x[f] * y[f]; });
}

}  // namespace nasflat::kernels::fast
