// encoding_cache.h — learned encodings (arch2vec) as cached files: where they live, how they are
// named, and their format. Only reading and writing; the training is nas/predictor/arch2vec.h.
//
// Folder: $NASFLAT_CACHE, else $XDG_CACHE_HOME/nasflat, else $HOME/.cache/nasflat.
// Name:   <space>-<method>-s<settings hash>-d<data fingerprint>.enc, both hashes 16 hex digits
//         (FNV-1a 64): the settings line (e.g. Arch2VecOptions::settings()) and the space's
//         architecture list (every arch's op list, in order).
// Format: line 1 "nasflat-encoding 1"; line 2 one JSON object {space, method, settings,
//         fingerprint, rows, dim, columns, note, checksum}; then rows x dim float32
//         little-endian, row-major. checksum = FNV-1a 64 (16 hex digits) of those bytes.
// A file that is corrupt (bad magic, header, size or checksum) or was made for other settings,
// another space or other data is refused with one line naming it and the fix (delete it, or
// rebuild it with `nasflat encode`). Writes are atomic (kernels/base/file_io.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "nas/data/encoding.h"
#include "nas/space/search_space.h"

namespace nasflat::nas {

// The seed of the learned encodings (arch2vec, CATE) that every verb reads and that
// `nasflat encode` builds by default, so that a prebuilt cache is the one the verbs find.
constexpr uint64_t kEncodingSeed = 42;

uint64_t fnv1a64(std::string_view bytes);
std::string hex64(uint64_t x);

// What a cache file is for; read_encoding_file checks every field.
struct EncodingKey {
    std::string space;        // "nb201" / "fbnet"
    std::string method;       // "arch2vec"
    std::string settings;     // the settings line
    std::string fingerprint;  // data_fingerprint() of the space
};

std::string encoding_cache_dir();
// hex64 of FNV-1a over every architecture's op list.
std::string data_fingerprint(const SearchSpace& ss);
EncodingKey encoding_key(const SearchSpace& ss, const std::string& method,
                         const std::string& settings);
// <encoding_cache_dir()>/<file name above>.
std::string encoding_cache_path(const EncodingKey& key);

// Creates the folder if needed, then writes atomically.
void write_encoding_file(const std::string& path, const Encoding& e, const EncodingKey& key);
// The encoding stored at `path`, checked against `key` and its checksum (error otherwise).
Encoding read_encoding_file(const std::string& path, const EncodingKey& key);

}  // namespace nasflat::nas
