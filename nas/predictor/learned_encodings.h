// learned_encodings.h — the encodings that are trained rather than read: arch2vec
// (predictor/arch2vec.h), CATE (predictor/cate.h) and CAZ = arch2vec + CATE + the 13 zero-cost
// proxies (32 + 32 + 13 = 77 columns, the paper's CAZ). Each learned one is read from the
// encoding cache (data/encoding_cache.h) when a file with the same settings and data exists,
// else trained (one line on stderr saying so, and that `nasflat encode` prebuilds it) and
// written there; a corrupt or mismatching cache file is an error naming it and the fix.
#pragma once

#include <functional>
#include <string>

#include "nas/data/encoding.h"
#include "nas/data/encoding_cache.h"
#include "nas/predictor/cate.h"
#include "nas/space/search_space.h"

namespace nasflat::nas {

// The cached encoding of (ss, method, settings), or build()'s, written to the cache after one
// line on stderr saying so (and that `nasflat encode --method <method>` prebuilds it).
Encoding cached_or_built(const SearchSpace& ss, const std::string& method,
                         const std::string& settings, const std::function<Encoding()>& build);

// CATE's settings as the cache key records them (every option that changes the encoding).
std::string cate_settings(const CateOptions& o, uint64_t seed);

// The CATE encoding of `ss` (seed kEncodingSeed, `nasflat encode`'s default): cached, or
// trained and cached.
Encoding load_or_build_cate(const SearchSpace& ss, const CateOptions& options = {},
                            uint64_t seed = kEncodingSeed);

// CAZ: the columns of arch2vec, then CATE, then "zcp" (each with its own normalisation).
Encoding build_caz(const std::string& data_dir, const SearchSpace& ss);

// Any encoding by name: "arch2vec", "cate", "caz" as above (default settings), the others
// data/encoding.h's load_encoding.
Encoding load_any_encoding(const std::string& data_dir, const SearchSpace& ss,
                           const std::string& name);

}  // namespace nasflat::nas
