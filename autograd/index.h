// index.h — integer structures that ops read: device arrays of int32, sparse matrices in CSR
// form with their reverse (for backward without atomics), row index maps (gather/embedding with
// their inverse), and pair lists for ranking losses. All are built once on the host, validated
// there, and copied to the device they will be used on.
#pragma once

#include <cstdint>
#include <vector>

#include "autograd/buffer.h"
#include "kernels/kernels.h"

namespace nasflat {

class IntArray {
public:
    IntArray() = default;
    static IntArray from_host(const std::vector<int32_t>& values, Device device);
    int64_t size() const { return size_; }
    Device device() const { return device_; }
    const int32_t* data() const {
        return buffer_ ? static_cast<const int32_t*>(buffer_->data()) : nullptr;
    }
    std::vector<int32_t> to_host() const;

private:
    BufferPtr buffer_;
    int64_t size_ = 0;
    Device device_ = Device::CPU;
};

// A sparse (rows x cols) pattern in CSR, plus the reverse CSR (rows = cols of the forward one)
// whose edge_id maps each reverse slot back to its forward slot. Copies share the arrays.
class Csr {
public:
    Csr() = default;
    // Validates (row_ptr monotone from 0 to E, 0 <= col < cols) and throws with `what` in the
    // message on bad input.
    static Csr from_host(int32_t rows, int32_t cols, const std::vector<int32_t>& row_ptr,
                         const std::vector<int32_t>& col, Device device,
                         const char* what = "csr");
    // From (row, col) pairs, rows sorted stably by row (edge order within a row kept).
    static Csr from_pairs(int32_t rows, int32_t cols, const std::vector<int32_t>& pair_rows,
                          const std::vector<int32_t>& pair_cols, Device device,
                          const char* what = "csr");

    int32_t rows() const { return rows_; }
    int32_t cols() const { return cols_; }
    int32_t num_edges() const { return num_edges_; }
    Device device() const { return device_; }
    kernels::CsrView forward() const;
    kernels::CsrView reverse() const;

private:
    int32_t rows_ = 0, cols_ = 0, num_edges_ = 0;
    Device device_ = Device::CPU;
    // Device arrays only (shared buffers): ops capture a Csr by value in their backward
    // closures, so a copy must cost nothing. (Host copies of the pattern here once made every
    // FBNet-reference training step copy ~15 x 8 MB of attention columns.)
    IntArray row_ptr_, col_, rev_row_ptr_, rev_col_, rev_edge_id_;
};

// out[r] = x[idx[r]]: the forward index and, for backward, its inverse (row v of x -> the r's).
class IndexMap {
public:
    IndexMap() = default;
    // Every idx must lie in [0, source_rows); `what` names the caller in errors.
    static IndexMap make(const std::vector<int32_t>& idx, int32_t source_rows, Device device,
                         const char* what = "index");
    int64_t size() const { return idx_.size(); }
    int32_t source_rows() const { return inverse_.rows(); }
    Device device() const { return idx_.device(); }
    const int32_t* idx() const { return idx_.data(); }
    kernels::CsrView inverse() const { return inverse_.forward(); }

private:
    IntArray idx_;
    Csr inverse_;  // rows = source rows, col = output positions
};

// Pairs (i, j) of scores with target signs t in {-1, +1}, for the pairwise hinge loss.
class PairList {
public:
    PairList() = default;
    static PairList make(const std::vector<int32_t>& pi, const std::vector<int32_t>& pj,
                         const std::vector<float>& sign, int32_t num_scores, Device device);
    int64_t size() const { return pi_.size(); }
    int32_t num_scores() const { return by_score_.rows(); }
    Device device() const { return pi_.device(); }
    const int32_t* pi() const { return pi_.data(); }
    const int32_t* pj() const { return pj_.data(); }
    const float* sign() const { return static_cast<const float*>(sign_->data()); }
    kernels::CsrView by_score() const { return by_score_.forward(); }

private:
    IntArray pi_, pj_;
    BufferPtr sign_;
    Csr by_score_;  // rows = scores, col = pair end q in [0, 2P)
};

}  // namespace nasflat
