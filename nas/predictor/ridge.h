// ridge.h — ridge regression for few samples and many features (the "ridge over public
// devices" prior: ~20 measured architectures, ~40 devices as features), with the penalty chosen
// by exact leave-one-out error. Dims: N samples, P features; row-major, double precision.
//
//   features are standardised on the N samples (mean, sd; a constant feature gets weight 0);
//   y ~ b + sum_j w_j (x_j - mean_j) / sd_j, minimising |y - b - Xw|^2 + lambda |w|^2;
//   solved in the dual, w = X^T (X X^T + lambda I)^-1 (y - mean y), an N x N system, so P may
//   exceed N; leave-one-out residuals e_i = r_i / (1 - H_ii) with H = X X^T (X X^T + lambda I)^-1
//   pick lambda from a log grid (no sample is used to judge its own fit).
#pragma once

#include <vector>

namespace nasflat::nas {

struct RidgeFit {
    std::vector<double> mean, scale, coef;  // (P) each; scale 0 = constant feature, coef 0
    double intercept = 0, lambda = 0, loo_mse = 0;

    // The prediction for one row of P features.
    double operator()(const double* x) const;
};

// Fits y on x (N x P, N >= 2). Errors (one line) on mismatched sizes or non-finite input.
RidgeFit fit_ridge(const std::vector<double>& x, int n, int p, const std::vector<double>& y);

// Solves A z = b for a symmetric positive definite A (N x N, row-major) by Cholesky; A and b
// are taken by value. Throws when A is not positive definite.
std::vector<double> solve_spd(std::vector<double> a, std::vector<double> b, int n);

}  // namespace nasflat::nas
