// encoding.cpp — see encoding.h for what each encoding holds and the NB201 fallback.
#include "nas/data/encoding.h"

#include <cmath>

#include "kernels/base/check.h"
#include "nas/base/json_io.h"
#include "nas/data/zcp.h"

namespace nasflat::nas {

std::vector<std::string> list_encodings(Space) {
    return {"zcp", "onehot", "params", "flops", "arch2vec", "cate", "caz"};
}

ProxyNorm proxy_normalisation(const std::string& proxy) {
    for (const char* p : {"fisher", "flops", "grad_norm", "params", "snip", "synflow"}) {
        if (proxy == p) return ProxyNorm::Log1pMinMax;
    }
    if (proxy == "grasp") return ProxyNorm::ZScore;
    for (const char* p : {"epe_nas", "jacov", "l2_norm", "nwot", "plain", "zen"}) {
        if (proxy == p) return ProxyNorm::MinMax;
    }
    fail("no normalisation is defined for proxy '", proxy, "'; fix: use one of ",
         join_names(zcp_proxy_names()));
}

ColumnNorm normalise(std::vector<double>& v, ProxyNorm norm, const std::vector<bool>& measured,
                     const std::string& what) {
    auto counts = [&](size_t i) { return !std::isnan(v[i]) && (measured.empty() || measured[i]); };
    if (norm == ProxyNorm::Log1pMinMax) {
        for (size_t i = 0; i < v.size(); ++i) {
            if (std::isnan(v[i])) continue;
            NASFLAT_CHECK(v[i] > -1.0, what, ": value ", v[i], " at architecture ", i,
                          " is <= -1, so log1p is undefined");
            v[i] = std::log1p(v[i]);
        }
    }
    double lo = INFINITY, hi = -INFINITY, sum = 0, n = 0;
    for (size_t i = 0; i < v.size(); ++i) {
        if (!counts(i)) continue;
        lo = std::min(lo, v[i]);
        hi = std::max(hi, v[i]);
        sum += v[i];
        n += 1;
    }
    NASFLAT_CHECK(n > 0, what, ": no measured values to normalise over");
    double shift = lo, scale = hi - lo;
    if (norm == ProxyNorm::ZScore) {
        double mean = sum / n, sq = 0;
        for (size_t i = 0; i < v.size(); ++i) {
            if (counts(i)) sq += (v[i] - mean) * (v[i] - mean);
        }
        shift = mean;
        scale = std::sqrt(sq / n);  // population std, as numpy's default
    }
    for (double& x : v) {
        if (!std::isnan(x)) x = scale > 0 ? (x - shift) / scale : 0.0;
    }
    const char* kind = norm == ProxyNorm::MinMax         ? "minmax"
                       : norm == ProxyNorm::Log1pMinMax ? "log1p_minmax"
                                                        : "zscore";
    return {kind, shift, scale};
}

namespace {

// Column order of the authors' proxy tables.
std::vector<std::string> zcp_columns(Space space) {
    if (space == Space::NB201) return zcp_proxy_names();
    return {"synflow", "zen",     "epe_nas", "fisher", "flops", "grad_norm", "grasp",
            "jacov",   "l2_norm", "nwot",    "params", "plain", "snip"};
}

Encoding zcp_encoding(const std::string& data_dir, const SearchSpace& ss, bool plain_minmax) {
    const int n = ss.size();
    ZcpTable table = load_zcp(data_dir, ss.space(), n);
    std::vector<int> row_of(n, -1);  // arch -> position in the table, -1 when absent
    for (size_t k = 0; k < table.arch_index.size(); ++k) row_of[table.arch_index[k]] = int(k);

    // source[i]: the architecture whose proxies row i uses (itself, or its live equivalent).
    std::vector<int> source(n);
    int num_fallback = 0;
    for (int i = 0; i < n; ++i) {
        source[i] = i;
        if (row_of[i] >= 0) continue;
        if (ss.space() != Space::NB201) {
            fail(table.file, ": architecture ", i,
                 " has no proxies; fix: FBNet proxies must "
                 "cover all ",
                 n, " architectures");
        }
        const std::vector<int>& o = ss.ops(i);
        std::array<int, 6> live = nb201_live_ops({o[0], o[1], o[2], o[3], o[4], o[5]});
        source[i] = ss.find(std::vector<int>(live.begin(), live.end()));
        NASFLAT_CHECK(
            source[i] >= 0 && row_of[source[i]] >= 0, table.file, ": cell ", i,
            " and its live equivalent both lack proxies; fix: use the project's zcp.json");
        ++num_fallback;
    }
    Encoding e;
    e.name = plain_minmax ? "zcp_minmax" : "zcp";
    e.columns = zcp_columns(ss.space());
    e.dim = static_cast<int>(e.columns.size());
    e.values.assign(static_cast<size_t>(n) * e.dim, 0.0f);
    int num_failed = 0;
    for (int c = 0; c < e.dim; ++c) {
        const std::string& name = e.columns[c];
        std::vector<double> col(n);
        std::vector<bool> measured(n);
        const bool exact = ss.space() == Space::NB201 && (name == "flops" || name == "params");
        const std::vector<double>& raw = table.proxy(name);
        for (int i = 0; i < n; ++i) {
            col[i] = exact ? (name == "flops" ? table.all_flops[i] : table.all_params[i])
                           : raw[row_of[source[i]]];
            measured[i] = exact || source[i] == i;
        }
        e.norms.push_back(
            normalise(col, plain_minmax ? ProxyNorm::MinMax : proxy_normalisation(name),
                      measured, table.file + " " + name));
        for (int i = 0; i < n; ++i) {
            if (std::isnan(col[i])) ++num_failed;
            e.values[static_cast<size_t>(i) * e.dim + c] =
                std::isnan(col[i]) ? 0.0f : static_cast<float>(col[i]);
        }
    }
    e.note = std::to_string(n - num_fallback) + " rows measured, " + std::to_string(num_fallback) +
             " from their live-equivalent cell, " + std::to_string(num_failed) +
             " failed proxy values set to 0";
    return e;
}

Encoding onehot_encoding(const SearchSpace& ss) {
    const bool nb201 = ss.space() == Space::NB201;
    const int positions = nb201 ? kNb201NumEdges : kFbnetNumLayers;
    const int num_ops = static_cast<int>(ss.op_vocab().size());
    static const char* kEdgeNames[6] = {"0-1", "0-2", "1-2", "0-3", "1-3", "2-3"};
    Encoding e;
    e.name = "onehot";
    e.dim = positions * num_ops;
    for (int p = 0; p < positions; ++p) {
        for (int o = 0; o < num_ops; ++o) {
            e.columns.push_back(
                (nb201 ? std::string("edge") + kEdgeNames[p] : "layer" + std::to_string(p)) + ":" +
                ss.op_vocab()[o]);
        }
    }
    e.norms.assign(static_cast<size_t>(e.dim), ColumnNorm{"none", 0, 1});
    e.values.assign(static_cast<size_t>(ss.size()) * e.dim, 0.0f);
    for (int i = 0; i < ss.size(); ++i) {
        const std::vector<int>& o = ss.ops(i);
        for (int p = 0; p < positions; ++p) {
            e.values[static_cast<size_t>(i) * e.dim + p * num_ops + o[p]] = 1.0f;
        }
    }
    e.note = "one-hot of each position's op";
    return e;
}

Encoding cost_encoding(const SearchSpace& ss, const std::string& name) {
    std::vector<double> col(ss.size());
    for (int i = 0; i < ss.size(); ++i) col[i] = name == "params" ? ss.params(i) : ss.flops(i);
    Encoding e;
    e.norms = {normalise(col, ProxyNorm::Log1pMinMax, {}, name)};
    e.name = name;
    e.dim = 1;
    e.columns = {name};
    for (double x : col) e.values.push_back(static_cast<float>(x));
    e.note = "analytic " + name + ", min-max of log1p over the space";
    return e;
}

// x as normalise() maps it with the constants `n`.
double apply_norm(double x, const ColumnNorm& n) {
    if (n.kind == "log1p_minmax") x = std::log1p(x);
    return n.scale > 0 ? (x - n.shift) / n.scale : 0.0;
}

}  // namespace

Encoding load_zcp_minmax(const std::string& data_dir, const SearchSpace& ss) {
    return zcp_encoding(data_dir, ss, true);
}

bool encodes_any_ops(const std::string& name) {
    return name == "params" || name == "flops" || name == "onehot";
}

std::vector<float> encode_ops(const SearchSpace& ss, const std::string& name,
                              const std::vector<ColumnNorm>& norms,
                              const std::vector<std::vector<int>>& ops) {
    NASFLAT_CHECK(encodes_any_ops(name), "the '", name, "' encoding is measured per architecture "
                  "of the data folder; fix: a predictor with --supp flops, params, onehot or none "
                  "can score op lists outside it");
    const size_t dim = norms.size();
    std::vector<float> out;
    out.reserve(ops.size() * dim);
    for (const std::vector<int>& o : ops) {
        if (name == "onehot") {
            const size_t before = out.size();
            out.resize(before + dim, 0.0f);
            const size_t num_ops = dim / o.size();
            for (size_t p = 0; p < o.size(); ++p) out[before + p * num_ops + o[p]] = 1.0f;
            continue;
        }
        NASFLAT_CHECK(dim == 1, "encoding '", name, "' has ", dim, " columns, expected 1");
        const Cost c = ss.cost_of_ops(o);
        out.push_back(static_cast<float>(apply_norm(name == "params" ? c.params : c.flops,
                                                    norms[0])));
    }
    return out;
}

Encoding load_encoding(const std::string& data_dir, const SearchSpace& ss,
                       const std::string& name) {
    if (name == "zcp") return zcp_encoding(data_dir, ss, false);
    if (name == "onehot") return onehot_encoding(ss);
    if (name == "params" || name == "flops") return cost_encoding(ss, name);
    NASFLAT_CHECK(name != "arch2vec" && name != "cate" && name != "caz", "the ", name,
                  " encoding is learned: load it through SpaceContext::encoding or "
                  "load_any_encoding (nas/predictor/learned_encodings.h), or prebuild it with "
                  "`nasflat encode --method ", name == "caz" ? "arch2vec|cate" : name, "`");
    std::vector<std::string> names = list_encodings(ss.space());
    std::string hint = closest_name(name, names);
    fail("unknown encoding '", name, "'", hint.empty() ? "" : " (did you mean '" + hint + "'?)",
         "; fix: use one of ", join_names(names));
}

}  // namespace nasflat::nas
