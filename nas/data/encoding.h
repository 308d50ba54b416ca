// encoding.h — per-architecture feature vectors for the samplers and the predictor's
// supplementary input: row-major (size x dim) floats, row i = architecture i of the space.
//
//   "zcp"    13 zero-cost proxies, each normalised over the space as the authors do: min-max for
//            epe_nas, jacov, l2_norm, nwot, plain, zen; min-max of log1p(x) for fisher, flops,
//            grad_norm, params, snip, synflow; z-score for grasp. Column order as the authors'
//            have it (NB201 alphabetical; FBNet synflow, zen, epe_nas, ...).
//            NB201 fallback (proxies exist for the 9445 cells without dead ops only): flops and
//            params come from the exact all_cells counts (all 15625); every other proxy of a
//            cell with dead ops is taken from its *live equivalent* — the same cell with dead
//            edges set to none (nb201_live_ops), which computes the same function and always
//            has proxies. Statistics use measured values only. A proxy that failed (null: zen,
//            epe_nas, jacov, nwot of the all-none cell 1651, and so of the 341 cut-off cells
//            that fall back to it) becomes 0, the bottom of its min-max range, where NASLib's
//            -1e8 failure marker would also land.
//   "onehot" op one-hot per position: NB201 6 edges x 5 ops = 30, FBNet 22 layers x 9 ops = 198.
//   "params", "flops"  1-d, analytic counts (space/cost_model.h), min-max of log1p over the space.
//   "arch2vec" 32-d, learned (nas/predictor/arch2vec.h), "cate" 32-d, learned
//            (nas/predictor/cate.h), "caz" = arch2vec + cate + zcp (77-d): load_encoding
//            refuses them (this layer knows nothing of training); SpaceContext::encoding and
//            load_any_encoding (nas/predictor/learned_encodings.h) read their cache files
//            (data/encoding_cache.h) or train them.
#pragma once

#include <string>
#include <vector>

#include "nas/space/search_space.h"

namespace nasflat::nas {

// How one column was normalised: x' = (f(x) - shift) / scale, f = log1p for Log1pMinMax
// (scale 0: a constant column, all 0). Recorded so a checkpoint can store them.
struct ColumnNorm {
    std::string kind;  // "minmax", "log1p_minmax", "zscore", or "none" (one-hot)
    double shift = 0, scale = 1;
};

struct Encoding {
    std::string name;
    int dim = 0;
    std::vector<float> values;         // (size, dim) row-major
    std::vector<std::string> columns;  // (dim)
    std::vector<ColumnNorm> norms;     // (dim)
    std::string note;                  // how it was built, e.g. how many rows fell back

    int size() const { return dim == 0 ? 0 : static_cast<int>(values.size()) / dim; }
    const float* row(int arch) const { return values.data() + static_cast<size_t>(arch) * dim; }
};

// The valid names for `space`, in the order docs list them.
std::vector<std::string> list_encodings(Space space);
// Builds the named encoding for every architecture of `ss`; unknown name -> error listing
// list_encodings(). "zcp" reads <data>/<space>/zcp.json; the others need only `ss`.
Encoding load_encoding(const std::string& data_dir, const SearchSpace& ss, const std::string& name);

// The 13 proxies as the MultiPredict baseline reads them: every column min-max over the space
// (no log, no z-score), with the same NB201 live-equivalent fallback and failed-proxy zeros as
// "zcp". Named "zcp_minmax"; not among list_encodings (no sampler or head uses it).
Encoding load_zcp_minmax(const std::string& data_dir, const SearchSpace& ss);

// The named encoding of op lists that need not be architectures of the data folder (e.g. an
// evolution's FBNet children), normalised with the constants of the data folder's encoding
// (`norms`, as load_encoding returned them): "params", "flops" (the cost model) and "onehot".
// Returns (ops.size(), norms.size()) row-major; an encoding measured per architecture ("zcp")
// is an error saying so. For an architecture of the space the row equals load_encoding's.
bool encodes_any_ops(const std::string& name);
std::vector<float> encode_ops(const SearchSpace& ss, const std::string& name,
                              const std::vector<ColumnNorm>& norms,
                              const std::vector<std::vector<int>>& ops);

// How the authors normalise each proxy.
enum class ProxyNorm { MinMax, Log1pMinMax, ZScore };
ProxyNorm proxy_normalisation(const std::string& proxy);
// Normalises v in place and returns the constants used. Statistics come from the entries with measured[i] true (all when
// `measured` is empty); NaN entries stay NaN. A constant column becomes 0. log1p needs x > -1,
// else an error naming `what` (the proxy) and the offending index.
ColumnNorm normalise(std::vector<double>& v, ProxyNorm norm, const std::vector<bool>& measured,
                     const std::string& what);

}  // namespace nasflat::nas
