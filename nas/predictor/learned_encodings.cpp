// learned_encodings.cpp — see learned_encodings.h.
#include "nas/predictor/learned_encodings.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "kernels/base/check.h"
#include "nas/data/encoding_cache.h"
#include "nas/predictor/arch2vec.h"

namespace nasflat::nas {

std::string cate_settings(const CateOptions& o, uint64_t seed) {
    std::ostringstream s;
    s << "cate v1 seed=" << seed << " layers=" << o.layers << " hidden=" << o.hidden
      << " heads=" << o.heads << " ffn=" << o.ffn << " steps=" << o.steps
      << " batch_pairs=" << o.batch_pairs << " lr=" << o.lr << " wd=" << o.weight_decay
      << " mask=" << o.mask_rate << " window=" << o.flops_window
      << " heldout=" << o.heldout_fraction << "/" << o.max_heldout;
    return s.str();
}

Encoding cached_or_built(const SearchSpace& ss, const std::string& method,
                         const std::string& settings, const std::function<Encoding()>& build) {
    const EncodingKey key = encoding_key(ss, method, settings);
    const std::string path = encoding_cache_path(key);
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
        Encoding e = read_encoding_file(path, key);
        NASFLAT_CHECK(e.size() == ss.size(), "encoding cache ", path, ": ", e.size(),
                      " rows for ", ss.size(), " architectures; fix: delete the file, or "
                      "rebuild it with `nasflat encode`");
        return e;
    }
    std::fprintf(stderr,
                 "%s: no cached %s encoding, training it now (minutes; `nasflat encode "
                 "--space %s --method %s` prebuilds it) -> %s\n",
                 method.c_str(), space_name(ss.space()), space_name(ss.space()), method.c_str(),
                 path.c_str());
    Encoding e = build();
    write_encoding_file(path, e, key);
    return e;
}

Encoding load_or_build_cate(const SearchSpace& ss, const CateOptions& options, uint64_t seed) {
    return cached_or_built(ss, "cate", cate_settings(options, seed), [&] {
        CateOptions quiet = options;
        quiet.log_every = 0;
        std::ostringstream progress;
        return train_cate(ss, quiet, seed, progress);
    });
}

Encoding build_caz(const std::string& data_dir, const SearchSpace& ss) {
    const Encoding parts[] = {load_or_build_arch2vec(ss), load_or_build_cate(ss),
                              load_encoding(data_dir, ss, "zcp")};
    Encoding caz;
    caz.name = "caz";
    for (const Encoding& p : parts) {
        NASFLAT_CHECK(p.size() == ss.size(), "caz: the ", p.name, " encoding has ", p.size(),
                      " rows for ", ss.size(), " architectures");
        caz.dim += p.dim;
        for (const std::string& c : p.columns) caz.columns.push_back(p.name + ":" + c);
        caz.norms.insert(caz.norms.end(), p.norms.begin(), p.norms.end());
    }
    caz.values.reserve(static_cast<size_t>(ss.size()) * caz.dim);
    for (int a = 0; a < ss.size(); ++a) {
        for (const Encoding& p : parts) caz.values.insert(caz.values.end(), p.row(a), p.row(a) + p.dim);
    }
    caz.note = "arch2vec (32) + cate (32) + zcp (13)";
    return caz;
}

Encoding load_any_encoding(const std::string& data_dir, const SearchSpace& ss,
                           const std::string& name) {
    if (name == "arch2vec") return load_or_build_arch2vec(ss);
    if (name == "cate") return load_or_build_cate(ss);
    if (name == "caz") return build_caz(data_dir, ss);
    return load_encoding(data_dir, ss, name);
}

}  // namespace nasflat::nas
