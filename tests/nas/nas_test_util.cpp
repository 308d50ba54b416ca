// nas_test_util.cpp — see nas_test_util.h.
#include "tests/nas/nas_test_util.h"

#include <unistd.h>

#include <atomic>
#include <fstream>

namespace nasflat::nas::testing {

namespace fs = std::filesystem;

TempDir::TempDir() {
    static std::atomic<int> counter{0};
    fs::path p = fs::temp_directory_path() /
                 ("nasflat_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(p);
    fs::create_directories(p);
    path_ = p.string();
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& name, const std::string& text) const {
    fs::path p = fs::path(path_) / name;
    fs::create_directories(p.parent_path());
    fs::remove(p);  // may be a symlink into the real data folder: never write through it
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
}

void mirror_data_folder(const std::string& real, const std::string& into) {
    for (const char* sub : {"nb201", "fbnet"}) {
        fs::create_directories(fs::path(into) / sub);
        for (const auto& entry : fs::recursive_directory_iterator(fs::path(real) / sub)) {
            fs::path rel = fs::relative(entry.path(), real);
            if (entry.is_directory()) {
                fs::create_directories(fs::path(into) / rel);
            } else {
                fs::create_symlink(fs::absolute(entry.path()), fs::path(into) / rel);
            }
        }
    }
    fs::copy_file(fs::path(real) / "manifest.json", fs::path(into) / "manifest.json");
}

void expect_error(const std::function<void()>& call, const std::vector<std::string>& parts) {
    try {
        call();
        ADD_FAILURE() << "expected nasflat::Error containing '" << (parts.empty() ? "" : parts[0])
                      << "', nothing was thrown";
    } catch (const Error& e) {
        std::string msg = e.what();
        EXPECT_EQ(msg.find('\n'), std::string::npos) << "message is not one line: " << msg;
        for (const auto& part : parts) {
            EXPECT_NE(msg.find(part), std::string::npos)
                << "message lacks '" << part << "': " << msg;
        }
    }
}

const SearchSpace& nb201_space() {
    static const SearchSpace ss = SearchSpace::load(real_data(), Space::NB201);
    return ss;
}

const SearchSpace& fbnet_space() {
    static const SearchSpace ss = SearchSpace::load(real_data(), Space::FBNet);
    return ss;
}

}  // namespace nasflat::nas::testing
