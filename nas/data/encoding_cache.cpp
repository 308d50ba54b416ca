// encoding_cache.cpp — see encoding_cache.h for the folder, the names and the format.
#include "nas/data/encoding_cache.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "kernels/base/check.h"
#include "kernels/base/file_io.h"
#include "nas/base/json_io.h"

namespace nasflat::nas {

namespace {

const char kMagic[] = "nasflat-encoding 1\n";

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

[[noreturn]] void refuse(const std::string& path, const std::string& why) {
    fail("encoding cache ", path, ": ", why, "; fix: delete the file, or rebuild it with "
         "`nasflat encode`");
}

}  // namespace

uint64_t fnv1a64(std::string_view bytes) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : bytes) h = (h ^ c) * 0x100000001b3ULL;
    return h;
}

std::string hex64(uint64_t x) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(x));
    return buf;
}

std::string encoding_cache_dir() {
    if (!env("NASFLAT_CACHE").empty()) return env("NASFLAT_CACHE");
    if (!env("XDG_CACHE_HOME").empty()) return env("XDG_CACHE_HOME") + "/nasflat";
    NASFLAT_CHECK(!env("HOME").empty(), "no folder for the encoding cache: NASFLAT_CACHE, "
                  "XDG_CACHE_HOME and HOME are all unset; fix: set NASFLAT_CACHE to a folder");
    return env("HOME") + "/.cache/nasflat";
}

std::string data_fingerprint(const SearchSpace& ss) {
    std::string bytes;
    for (int a = 0; a < ss.size(); ++a) {
        for (int op : ss.ops(a)) bytes += std::to_string(op) + ",";
        bytes += ";";
    }
    return hex64(fnv1a64(bytes));
}

EncodingKey encoding_key(const SearchSpace& ss, const std::string& method,
                         const std::string& settings) {
    return {space_name(ss.space()), method, settings, data_fingerprint(ss)};
}

std::string encoding_cache_path(const EncodingKey& key) {
    return encoding_cache_dir() + "/" + key.space + "-" + key.method + "-s" +
           hex64(fnv1a64(key.settings)) + "-d" + key.fingerprint + ".enc";
}

void write_encoding_file(const std::string& path, const Encoding& e, const EncodingKey& key) {
    NASFLAT_CHECK(e.dim > 0 && e.values.size() % static_cast<size_t>(e.dim) == 0,
                  "encoding '", e.name, "': ", e.values.size(), " values for dim ", e.dim);
    std::string body(e.values.size() * sizeof(float), '\0');
    std::memcpy(body.data(), e.values.data(), body.size());  // little-endian hosts only
    const Json header = {{"space", key.space},       {"method", key.method},
                         {"settings", key.settings}, {"fingerprint", key.fingerprint},
                         {"rows", e.size()},         {"dim", e.dim},
                         {"columns", e.columns},     {"note", e.note},
                         {"checksum", hex64(fnv1a64(body))}};
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    NASFLAT_CHECK(!ec, "cannot create the encoding cache folder ", parent.string(), ": ",
                  ec.message(), "; fix: set NASFLAT_CACHE to a writable folder");
    write_file_atomically(path, kMagic + header.dump() + "\n" + body);
}

Encoding read_encoding_file(const std::string& path, const EncodingKey& key) {
    const std::string bytes = read_file_bounded(path, "encoding cache");
    const size_t magic = std::strlen(kMagic);
    if (bytes.compare(0, magic, kMagic) != 0) refuse(path, "not a nasflat encoding file");
    const size_t eol = bytes.find('\n', magic);
    if (eol == std::string::npos) refuse(path, "truncated header");
    Json h = Json::parse(bytes.begin() + static_cast<std::ptrdiff_t>(magic),
                         bytes.begin() + static_cast<std::ptrdiff_t>(eol), nullptr, false);
    if (h.is_discarded() || !h.is_object()) refuse(path, "unreadable header");
    Encoding e;
    try {
        for (const char* field : {"space", "method", "settings", "fingerprint"}) {
            const std::string want = field == std::string("space")    ? key.space
                                     : field == std::string("method") ? key.method
                                     : field == std::string("settings") ? key.settings
                                                                        : key.fingerprint;
            const std::string got = h.at(field).get<std::string>();
            if (got != want) refuse(path, std::string(field) + " is '" + got + "', expected '" +
                                              want + "'");
        }
        e.name = key.method;
        e.dim = h.at("dim").get<int>();
        const int64_t rows = h.at("rows").get<int64_t>();
        e.columns = h.at("columns").get<std::vector<std::string>>();
        e.note = h.at("note").get<std::string>();
        const std::string body = bytes.substr(eol + 1);
        if (e.dim <= 0 || rows < 0 || static_cast<int64_t>(e.columns.size()) != e.dim ||
            body.size() != static_cast<size_t>(rows) * e.dim * sizeof(float)) {
            refuse(path, "size does not match its header (truncated?)");
        }
        if (hex64(fnv1a64(body)) != h.at("checksum").get<std::string>()) {
            refuse(path, "checksum mismatch (corrupt)");
        }
        e.values.resize(static_cast<size_t>(rows) * e.dim);
        std::memcpy(e.values.data(), body.data(), body.size());
    } catch (const Json::exception&) {
        refuse(path, "header lacks a field or has one of the wrong type");
    }
    e.norms.assign(static_cast<size_t>(e.dim), ColumnNorm{"none", 0, 1});
    return e;
}

}  // namespace nasflat::nas
