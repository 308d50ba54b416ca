// index.cpp — building and validating the integer structures of index.h on the host.
#include "autograd/index.h"

#include "autograd/tensor.h"
#include "kernels/base/check.h"

namespace nasflat {

IntArray IntArray::from_host(const std::vector<int32_t>& values, Device device) {
    IntArray a;
    a.size_ = static_cast<int64_t>(values.size());
    a.device_ = device;
    a.buffer_ = Buffer::make(values.size() * sizeof(int32_t), device);
    kernels::raw_copy(a.buffer_->data(), device, values.data(), Device::CPU,
                      values.size() * sizeof(int32_t));
    return a;
}

std::vector<int32_t> IntArray::to_host() const {
    std::vector<int32_t> out(static_cast<size_t>(size_));
    if (size_ > 0) {
        kernels::raw_copy(out.data(), Device::CPU, data(), device_, out.size() * sizeof(int32_t));
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
Csr Csr::from_host(int32_t rows, int32_t cols, const std::vector<int32_t>& row_ptr,
                   const std::vector<int32_t>& col, Device device, const char* what) {
    NASFLAT_CHECK(rows >= 0 && cols >= 0, what, ": negative size ", rows, " x ", cols);
    NASFLAT_CHECK(static_cast<int64_t>(row_ptr.size()) == rows + 1, what, ": row_ptr has ",
                  row_ptr.size(), " entries, expected rows + 1 = ", rows + 1);
    NASFLAT_CHECK(row_ptr[0] == 0 && row_ptr[rows] == static_cast<int32_t>(col.size()), what,
                  ": row_ptr must run from 0 to the number of edges (", col.size(), ")");
    for (int32_t r = 0; r < rows; ++r) {
        NASFLAT_CHECK(row_ptr[r] <= row_ptr[r + 1], what, ": row_ptr decreases at row ", r);
    }
    std::vector<int32_t> count(static_cast<size_t>(cols) + 1, 0);
    for (size_t e = 0; e < col.size(); ++e) {
        NASFLAT_CHECK(col[e] >= 0 && col[e] < cols, what, ": edge ", e, " points to column ",
                      col[e], ", outside [0, ", cols, "); hint: node ids are global in the batch");
        count[col[e] + 1]++;
    }
    // Reverse CSR by counting sort: stable, so reverse rows list forward rows in order.
    std::vector<int32_t> rev_ptr(count.size(), 0);
    for (int32_t c = 0; c < cols; ++c) rev_ptr[c + 1] = rev_ptr[c] + count[c + 1];
    std::vector<int32_t> rev_col(col.size()), rev_eid(col.size());
    std::vector<int32_t> fill(rev_ptr.begin(), rev_ptr.end() - 1);
    for (int32_t r = 0; r < rows; ++r) {
        for (int32_t e = row_ptr[r]; e < row_ptr[r + 1]; ++e) {
            int32_t slot = fill[col[e]]++;
            rev_col[slot] = r;
            rev_eid[slot] = e;
        }
    }
    Csr m;
    m.rows_ = rows;
    m.cols_ = cols;
    m.num_edges_ = static_cast<int32_t>(col.size());
    m.device_ = device;
    m.row_ptr_ = IntArray::from_host(row_ptr, device);
    m.col_ = IntArray::from_host(col, device);
    m.rev_row_ptr_ = IntArray::from_host(rev_ptr, device);
    m.rev_col_ = IntArray::from_host(rev_col, device);
    m.rev_edge_id_ = IntArray::from_host(rev_eid, device);
    return m;
}

Csr Csr::from_pairs(int32_t rows, int32_t cols, const std::vector<int32_t>& pair_rows,
                    const std::vector<int32_t>& pair_cols, Device device, const char* what) {
    NASFLAT_CHECK(pair_rows.size() == pair_cols.size(), what, ": ", pair_rows.size(),
                  " row ids but ", pair_cols.size(), " column ids");
    std::vector<int32_t> row_ptr(static_cast<size_t>(rows) + 1, 0);
    for (size_t e = 0; e < pair_rows.size(); ++e) {
        NASFLAT_CHECK(pair_rows[e] >= 0 && pair_rows[e] < rows, what, ": pair ", e,
                      " has row ", pair_rows[e], ", outside [0, ", rows, ")");
        row_ptr[pair_rows[e] + 1]++;
    }
    for (int32_t r = 0; r < rows; ++r) row_ptr[r + 1] += row_ptr[r];
    std::vector<int32_t> col(pair_rows.size());
    std::vector<int32_t> fill(row_ptr.begin(), row_ptr.end() - 1);
    for (size_t e = 0; e < pair_rows.size(); ++e) col[fill[pair_rows[e]]++] = pair_cols[e];
    return from_host(rows, cols, row_ptr, col, device, what);
}

kernels::CsrView Csr::forward() const {
    return {rows_, cols_, num_edges_, row_ptr_.data(), col_.data(), nullptr};
}

kernels::CsrView Csr::reverse() const {
    return {cols_, rows_, num_edges_, rev_row_ptr_.data(), rev_col_.data(), rev_edge_id_.data()};
}

// ---------------------------------------------------------------------------------------------
IndexMap IndexMap::make(const std::vector<int32_t>& idx, int32_t source_rows, Device device,
                        const char* what) {
    std::vector<int32_t> rows(idx.size());
    for (size_t r = 0; r < idx.size(); ++r) {
        NASFLAT_CHECK(idx[r] >= 0 && idx[r] < source_rows, what, ": index ", idx[r],
                      " at position ", r, " is outside [0, ", source_rows, ")");
        rows[r] = static_cast<int32_t>(r);
    }
    IndexMap m;
    m.idx_ = IntArray::from_host(idx, device);
    m.inverse_ = Csr::from_pairs(source_rows, static_cast<int32_t>(idx.size()), idx, rows, device,
                                 what);
    return m;
}

// ---------------------------------------------------------------------------------------------
PairList PairList::make(const std::vector<int32_t>& pi, const std::vector<int32_t>& pj,
                        const std::vector<float>& sign, int32_t num_scores, Device device) {
    NASFLAT_CHECK(pi.size() == pj.size() && pi.size() == sign.size(), "pair list: ", pi.size(),
                  " first indices, ", pj.size(), " second indices and ", sign.size(),
                  " signs; hint: one (i, j, sign) per pair");
    const int32_t P = static_cast<int32_t>(pi.size());
    std::vector<int32_t> ends_row, ends_q;
    ends_row.reserve(2 * pi.size());
    ends_q.reserve(2 * pi.size());
    for (int32_t k = 0; k < P; ++k) {
        NASFLAT_CHECK(pi[k] >= 0 && pi[k] < num_scores && pj[k] >= 0 && pj[k] < num_scores,
                      "pair list: pair ", k, " = (", pi[k], ", ", pj[k], ") outside [0, ",
                      num_scores, ")");
        NASFLAT_CHECK(sign[k] == 1.0f || sign[k] == -1.0f, "pair list: sign of pair ", k,
                      " is ", sign[k], ", expected +1 or -1");
    }
    for (int32_t k = 0; k < P; ++k) {
        ends_row.push_back(pi[k]);
        ends_q.push_back(k);
    }
    for (int32_t k = 0; k < P; ++k) {
        ends_row.push_back(pj[k]);
        ends_q.push_back(P + k);
    }
    PairList l;
    l.pi_ = IntArray::from_host(pi, device);
    l.pj_ = IntArray::from_host(pj, device);
    l.sign_ = Buffer::make(sign.size() * sizeof(float), device);
    kernels::raw_copy(l.sign_->data(), device, sign.data(), Device::CPU,
                      sign.size() * sizeof(float));
    l.by_score_ = Csr::from_pairs(num_scores, 2 * P, ends_row, ends_q, device, "pair list");
    return l;
}

}  // namespace nasflat
