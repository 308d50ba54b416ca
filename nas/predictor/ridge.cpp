// ridge.cpp — see ridge.h.
#include "nas/predictor/ridge.h"

#include <cmath>
#include <limits>

#include "kernels/base/check.h"

namespace nasflat::nas {

namespace {

// A = L L^T of a symmetric positive definite N x N matrix, factored once, solved many times.
class Cholesky {
  public:
    Cholesky(std::vector<double> a, int n) : l_(std::move(a)), n_(n) {
        for (int j = 0; j < n; ++j) {
            double d = l_[j * n + j];
            for (int k = 0; k < j; ++k) d -= l_[j * n + k] * l_[j * n + k];
            NASFLAT_CHECK(d > 0 && std::isfinite(d), "ridge: the system is not positive definite");
            const double diag = std::sqrt(d);
            l_[j * n + j] = diag;
            for (int i = j + 1; i < n; ++i) {
                double s = l_[i * n + j];
                for (int k = 0; k < j; ++k) s -= l_[i * n + k] * l_[j * n + k];
                l_[i * n + j] = s / diag;
            }
        }
    }
    // z with A z = b: L y = b, then L^T z = y.
    std::vector<double> solve(std::vector<double> b) const {
        const int n = n_;
        for (int i = 0; i < n; ++i) {
            for (int k = 0; k < i; ++k) b[i] -= l_[i * n + k] * b[k];
            b[i] /= l_[i * n + i];
        }
        for (int i = n - 1; i >= 0; --i) {
            for (int k = i + 1; k < n; ++k) b[i] -= l_[k * n + i] * b[k];
            b[i] /= l_[i * n + i];
        }
        return b;
    }

  private:
    std::vector<double> l_;
    int n_;
};

}  // namespace

std::vector<double> solve_spd(std::vector<double> a, std::vector<double> b, int n) {
    return Cholesky(std::move(a), n).solve(std::move(b));
}

double RidgeFit::operator()(const double* x) const {
    double y = intercept;
    for (size_t j = 0; j < coef.size(); ++j) {
        if (scale[j] > 0) y += coef[j] * (x[j] - mean[j]) / scale[j];
    }
    return y;
}

RidgeFit fit_ridge(const std::vector<double>& x, int n, int p, const std::vector<double>& y) {
    NASFLAT_CHECK(n >= 2 && p >= 1 && x.size() == static_cast<size_t>(n) * p &&
                      y.size() == static_cast<size_t>(n),
                  "ridge: ", n, " samples x ", p, " features do not match the inputs");
    for (double v : x) NASFLAT_CHECK(std::isfinite(v), "ridge: a feature is not finite");
    for (double v : y) NASFLAT_CHECK(std::isfinite(v), "ridge: a target is not finite");
    RidgeFit f;
    f.mean.assign(p, 0.0);
    f.scale.assign(p, 0.0);
    f.coef.assign(p, 0.0);
    // Standardised features z (N x P) and centred targets.
    std::vector<double> z(x.size());
    for (int j = 0; j < p; ++j) {
        double m = 0, ss = 0;
        for (int i = 0; i < n; ++i) m += x[i * p + j];
        m /= n;
        for (int i = 0; i < n; ++i) ss += (x[i * p + j] - m) * (x[i * p + j] - m);
        const double sd = std::sqrt(ss / n);
        f.mean[j] = m;
        f.scale[j] = sd > 1e-12 * (1 + std::fabs(m)) ? sd : 0.0;
        for (int i = 0; i < n; ++i) z[i * p + j] = f.scale[j] > 0 ? (x[i * p + j] - m) / sd : 0.0;
    }
    double ym = 0;
    for (double v : y) ym += v;
    ym /= n;
    std::vector<double> yc(n);
    for (int i = 0; i < n; ++i) yc[i] = y[i] - ym;
    std::vector<double> k(static_cast<size_t>(n) * n, 0.0);  // K = Z Z^T
    for (int i = 0; i < n; ++i)
        for (int l = 0; l <= i; ++l) {
            double s = 0;
            for (int j = 0; j < p; ++j) s += z[i * p + j] * z[l * p + j];
            k[i * n + l] = k[l * n + i] = s;
        }
    // Leave-one-out error of each penalty on a log grid (relative to the features' scale p).
    double best_mse = std::numeric_limits<double>::infinity();
    std::vector<double> best_alpha;
    for (int g = -4; g <= 4; ++g) {
        const double lambda = p * std::pow(10.0, g * 0.5);
        std::vector<double> m = k;
        for (int i = 0; i < n; ++i) m[i * n + i] += lambda;
        const Cholesky chol(std::move(m), n);
        const std::vector<double> alpha = chol.solve(yc);
        // Residuals r = yc - K alpha = lambda alpha, and H = K M^-1 = I - lambda M^-1, so the
        // leave-one-out residual r_i / (1 - H_ii) is alpha_i / (M^-1)_ii.
        double mse = 0;
        for (int i = 0; i < n; ++i) {
            std::vector<double> e(n, 0.0);
            e[i] = 1.0;
            const double loo = alpha[i] / chol.solve(std::move(e))[i];
            mse += loo * loo / n;
        }
        if (mse < best_mse) {
            best_mse = mse;
            best_alpha = alpha;
            f.lambda = lambda;
        }
    }
    for (int j = 0; j < p; ++j) {
        double w = 0;
        for (int i = 0; i < n; ++i) w += z[i * p + j] * best_alpha[i];
        f.coef[j] = w;
    }
    f.intercept = ym;
    f.loo_mse = best_mse;
    return f;
}

}  // namespace nasflat::nas
