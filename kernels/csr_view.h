// csr_view.h — the sparse pattern every graph kernel walks: a compressed sparse row matrix over
// a whole batch of graphs (block diagonal), as raw pointers of the table's device.
// Row i lists the columns col[row_ptr[i] .. row_ptr[i+1]). When `edge_id` is non-null, edge
// slot e carries the value val[edge_id[e]] (used to walk the reverse CSR while reading values
// stored in forward-CSR order); otherwise slot e carries val[e]. autograd/index.h builds them.
#pragma once

#include <cstdint>

namespace nasflat::kernels {

struct CsrView {
    int32_t num_rows = 0;
    int32_t num_cols = 0;
    int32_t num_edges = 0;
    const int32_t* row_ptr = nullptr;  // (num_rows + 1)
    const int32_t* col = nullptr;      // (E)
    const int32_t* edge_id = nullptr;  // (E) or null
};

}  // namespace nasflat::kernels
