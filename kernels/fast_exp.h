// fast_exp.h — a vectorisable exp for the fast CPU kernels (the sigmoid and softplus of
// elementwise_fast.cpp, the edge softmax of graph_fast.cpp). std::exp is a library call that
// keeps a loop scalar; this one is plain arithmetic the vectoriser takes, on any ISA level.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

namespace nasflat::kernels {

// exp(x), written so the loop vectorises: x = k ln2 + r with |r| <= ln2 / 2,
// exp(r) by a degree-6 Taylor polynomial (relative error < 2e-7 on that interval), 2^k by
// building the float's exponent bits. Inputs are clamped to [-87, 87] (exp stays finite and
// normal; sigmoid saturates long before); NaN passes the clamp and gives NaN, as std::exp does.
inline float fast_exp(float x) {
    x = x < -87.0f ? -87.0f : (x > 87.0f ? 87.0f : x);  // NaN compares false: stays NaN
    const float k = std::nearbyint(x * 1.44269504088896341f);
    const float r = x - k * 0.693145751953125f - k * 1.428606765330187045e-06f;
    float p = 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    // k is a whole number in [-126, 126] for any number x, so the exponent field k + 127 is
    // in [1, 253]. For NaN, p is NaN already and k takes 0: converting NaN to int and shifting
    // the negative result would be undefined behaviour.
    const int32_t ki = k == k ? static_cast<int32_t>(k) : 0;
    const int32_t bits = (ki + 127) << 23;
    float scale;
    std::memcpy(&scale, &bits, sizeof(scale));
    return p * scale;
}

}  // namespace nasflat::kernels
