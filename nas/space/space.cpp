// space.cpp — see space.h.
#include "nas/space/space.h"

#include <cstdlib>
#include <filesystem>

#include "kernels/base/check.h"
#include "nas/base/json_io.h"

namespace nasflat::nas {

Space parse_space(const std::string& text) {
    if (text == "nb201") return Space::NB201;
    if (text == "fbnet") return Space::FBNet;
    std::string hint = closest_name(text, {"nb201", "fbnet"});
    fail("unknown search space '", text, "'", hint.empty() ? "" : " (did you mean '" + hint + "'?)",
         "; fix: use nb201 (NAS-Bench-201) or fbnet (FBNet)");
}

const char* space_name(Space space) {
    return space == Space::NB201 ? "nb201" : "fbnet";
}

std::vector<Space> all_spaces() {
    return {Space::NB201, Space::FBNet};
}

namespace {

bool holds_manifest(const std::string& dir) {
    std::error_code ec;
    return std::filesystem::is_regular_file(std::filesystem::path(dir) / "manifest.json", ec);
}

// Why an explicitly named folder is not a data folder, in a few words.
std::string why_not(const std::string& dir) {
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec)) return "does not exist";
    if (!std::filesystem::is_directory(dir, ec)) return "is not a folder";
    return "has no manifest.json";
}

}  // namespace

std::string resolve_data_dir(const std::string& flag) {
    if (!flag.empty()) {
        if (holds_manifest(flag)) return flag;
        fail("--data '", flag, "' ", why_not(flag),
             "; fix: pass the data folder (the one holding manifest.json, nb201/ and fbnet/)");
    }
    const char* env = std::getenv("NASFLAT_DATA");
    if (env != nullptr && env[0] != '\0') {
        if (holds_manifest(env)) return env;
        fail("$NASFLAT_DATA='", env, "' ", why_not(env),
             "; fix: point NASFLAT_DATA at the data folder (the one holding manifest.json), or "
             "unset it");
    }
    for (const char* candidate : {"../shared/data", "./data"}) {
        if (holds_manifest(candidate)) return candidate;
    }
    fail(
        "no data folder found: --data not given, $NASFLAT_DATA not set, and neither "
        "../shared/data nor ./data holds manifest.json; fix: pass --data DIR or set "
        "NASFLAT_DATA to the folder holding manifest.json");
}

}  // namespace nasflat::nas
