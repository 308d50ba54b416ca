// fuzz_util.cpp — see fuzz_util.h.
#include "fuzz/fuzz_util.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>

#include "nas/space/space.h"

namespace nasflat::fuzz {

namespace {
std::map<nas::Space, std::unique_ptr<nas::SearchSpace>>& loaded_spaces() {
    static std::map<nas::Space, std::unique_ptr<nas::SearchSpace>> loaded;
    return loaded;
}
}  // namespace

void load_spaces() {
    for (nas::Space s : {nas::Space::NB201, nas::Space::FBNet}) {
        auto& slot = loaded_spaces()[s];
        if (slot) continue;
        try {
            slot = std::make_unique<nas::SearchSpace>(
                nas::SearchSpace::load(nas::resolve_data_dir(""), s));
        } catch (const Error& e) {
            std::fprintf(stderr, "fuzz: this target needs the data folder: %s\n", e.what());
            std::exit(1);
        }
    }
}

const nas::SearchSpace& space(nas::Space s) {
    auto it = loaded_spaces().find(s);
    if (it == loaded_spaces().end() || !it->second)
        finding("fuzz::space before fuzz::load_spaces: call it from LLVMFuzzerInitialize");
    return *it->second;
}

MemFile::MemFile() {
    fd_ = memfd_create("fuzz-input", 0);
    if (fd_ < 0) finding("memfd_create failed");
    path_ = "/proc/self/fd/" + std::to_string(fd_);
}

void MemFile::set(const uint8_t* data, size_t size) {
    if (ftruncate(fd_, 0) != 0) finding("ftruncate failed");
    size_t done = 0;
    while (done < size) {
        const ssize_t n = pwrite(fd_, data + done, size - done, static_cast<off_t>(done));
        if (n <= 0) finding("pwrite to the memfd failed");
        done += static_cast<size_t>(n);
    }
}

namespace {
// Never destroyed: the atexit handler that removes the folder runs after static destructors.
const std::filesystem::path& scratch_dir() {
    static const std::filesystem::path* dir = [] {
        auto* d = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                            ("nasflat-fuzz-" + std::to_string(getpid())));
        std::filesystem::create_directories(*d);
        std::atexit([] {
            std::error_code ec;
            std::filesystem::remove_all(scratch_dir(), ec);
        });
        return d;
    }();
    return *dir;
}
}  // namespace

std::string scratch_path(const std::string& name) { return (scratch_dir() / name).string(); }

void check_message(const std::string& msg) {
    if (msg.empty()) finding("an error with an empty message");
    if (msg.size() > kMaxMessageBytes)
        finding("an error message of " + std::to_string(msg.size()) + " bytes: " +
                printable(msg, 300));
    for (size_t i = 0; i < msg.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(msg[i]);
        if (c < 0x20 || c == 0x7f) {
            finding("an error message with the control byte " + printable(msg.substr(i, 1)) +
                    " at byte " + std::to_string(i) + ", after: " +
                    printable(msg.substr(i > 80 ? i - 80 : 0, i > 80 ? 80 : i)));
        }
    }
}

void finding(const std::string& what) {
    std::fprintf(stderr, "fuzz finding: %s\n", what.c_str());
    std::abort();
}

}  // namespace nasflat::fuzz
