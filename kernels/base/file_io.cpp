// file_io.cpp — see file_io.h. POSIX calls (open/write/fsync/rename) rather than iostreams, so
// that every failure is seen with its errno and a temporary is never left behind.
#include "kernels/base/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "kernels/base/check.h"

namespace nasflat {

namespace fs = std::filesystem;

namespace {

constexpr uint64_t kDefaultMaxInputMiB = 256;

std::string errno_text(int err) { return std::strerror(err); }

// Closes a descriptor on scope exit (reading only; writes close explicitly and check).
struct FdCloser {
    int fd;
    ~FdCloser() {
        if (fd >= 0) ::close(fd);
    }
};

int open_for_reading(const std::string& path, const std::string& what) {
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (!fs::exists(st)) fail(path, ": file not found; fix: check the path");
    if (fs::is_directory(st)) fail(path, ": is a folder, not a ", what, "; fix: name the file");
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fail(path, ": the ", what, " cannot be opened (", errno_text(errno),
             "); fix: check its permissions");
    }
    return fd;
}

// Appends up to `limit` bytes of `fd` to `out`; returns false when more bytes remain.
bool read_up_to(int fd, uint64_t limit, std::string& out, const std::string& path) {
    char buf[1 << 16];
    while (out.size() < limit) {
        const size_t want = static_cast<size_t>(std::min<uint64_t>(sizeof buf, limit - out.size()));
        const ssize_t n = ::read(fd, buf, want);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail(path, ": read failed (", errno_text(errno), ")");
        if (n == 0) return true;
        out.append(buf, static_cast<size_t>(n));
    }
    char probe;
    ssize_t n;
    do {
        n = ::read(fd, &probe, 1);
    } while (n < 0 && errno == EINTR);
    return n <= 0;
}

// Permission bits a new file gets: 0666 minus the process umask (what fopen would give).
mode_t new_file_mode() {
    static const mode_t mode = [] {
        const mode_t mask = ::umask(0);
        ::umask(mask);
        return static_cast<mode_t>(0666 & ~mask);
    }();
    return mode;
}

// The file to replace: `path`, or the file its symbolic link(s) point to.
std::string write_target(const std::string& path) {
    std::error_code ec;
    if (!fs::is_symlink(path, ec)) return path;
    const fs::path resolved = fs::weakly_canonical(path, ec);
    if (ec) fail(path, ": cannot follow the symbolic link (", ec.message(), ")");
    return resolved.string();
}

}  // namespace

uint64_t max_input_bytes() {
    const char* env = std::getenv("NASFLAT_MAX_INPUT_MB");
    if (env == nullptr || *env == '\0') return kDefaultMaxInputMiB << 20;
    uint64_t mib = 0;
    for (const char* c = env; *c; ++c) {
        if (*c < '0' || *c > '9' || mib > (1ULL << 40)) {
            fail("NASFLAT_MAX_INPUT_MB='", env, "' is not a whole number of MiB; fix: e.g. ",
                 "NASFLAT_MAX_INPUT_MB=4096, or unset it (default ", kDefaultMaxInputMiB, ")");
        }
        mib = mib * 10 + static_cast<uint64_t>(*c - '0');
    }
    if (mib == 0) fail("NASFLAT_MAX_INPUT_MB must be at least 1");
    return mib << 20;
}

std::string read_file_bounded(const std::string& path, const std::string& what) {
    const uint64_t limit = max_input_bytes();
    const int fd = open_for_reading(path, what);
    FdCloser closer{fd};
    std::string bytes;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
        static_cast<uint64_t>(st.st_size) <= limit) {
        bytes.reserve(static_cast<size_t>(st.st_size));
    }
    if (!read_up_to(fd, limit, bytes, path)) {
        fail(path, ": the ", what, " is larger than ", limit >> 20,
             " MiB, the input limit; fix: check that it is the right file, or raise "
             "NASFLAT_MAX_INPUT_MB");
    }
    return bytes;
}

std::string read_file_prefix(const std::string& path, size_t n, const std::string& what) {
    const int fd = open_for_reading(path, what);
    FdCloser closer{fd};
    std::string bytes;
    read_up_to(fd, n, bytes, path);
    return bytes;
}

bool same_file(const std::string& a, const std::string& b) {
    std::error_code ec;
    return fs::equivalent(a, b, ec) && !ec;
}

void check_output_is_not_input(const std::string& output, const std::vector<std::string>& inputs,
                               const std::string& output_flag) {
    for (const std::string& in : inputs) {
        if (!in.empty() && !output.empty() && same_file(output, in)) {
            fail(output_flag, " ", output, " is also an input of this command (", in,
                 "), which writing would destroy; fix: write the output to another file");
        }
    }
}

StagedFile::StagedFile(std::string path, Durability durability)
    : path_(std::move(path)), durability_(durability) {
    NASFLAT_CHECK(!path_.empty(), "an output file needs a name");
    target_ = write_target(path_);
    std::error_code ec;
    if (fs::is_directory(target_, ec)) fail(path_, ": is a folder; fix: name a file to write");
    const fs::path target(target_);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::string pattern = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
    fd_ = ::mkstemp(pattern.data());
    if (fd_ < 0) {
        const int err = errno;
        if (!fs::is_directory(dir, ec)) {
            fail("cannot write ", path_, ": the folder ", dir.string(),
                 " does not exist; fix: create it or write somewhere else");
        }
        fail("cannot write ", path_, " (", errno_text(err),
             "); fix: check that its folder is writable");
    }
    temp_ = pattern;
}

StagedFile::StagedFile(StagedFile&& o) noexcept
    : path_(std::move(o.path_)),
      target_(std::move(o.target_)),
      temp_(std::move(o.temp_)),
      fd_(o.fd_),
      durability_(o.durability_),
      published_(o.published_) {
    o.fd_ = -1;
    o.temp_.clear();
    o.published_ = true;
}

StagedFile::~StagedFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!published_ && !temp_.empty()) ::unlink(temp_.c_str());
}

void StagedFile::write(std::string_view bytes) {
    NASFLAT_CHECK(fd_ >= 0 && !published_, "StagedFile::write after finish: ", path_);
    const char* p = bytes.data();
    size_t left = bytes.size();
    while (left > 0) {
        const ssize_t n = ::write(fd_, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            fail("writing ", path_, " failed (", errno_text(errno),
                 "); fix: free disk space or write somewhere else (the file was not changed)");
        }
        p += n;
        left -= static_cast<size_t>(n);
    }
}

void StagedFile::finish() {
    if (fd_ < 0) return;
    struct stat st {};
    const mode_t mode =
        ::stat(target_.c_str(), &st) == 0 ? (st.st_mode & 07777) : new_file_mode();
    (void)::fchmod(fd_, mode);  // best effort: some file systems have no modes
    int err = 0;
    if (durability_ == Durability::Fsync && ::fsync(fd_) != 0) err = errno;
    if (::close(fd_) != 0 && err == 0) err = errno;
    fd_ = -1;
    if (err != 0) {
        fail("writing ", path_, " failed (", errno_text(err),
             "); fix: free disk space or write somewhere else (the file was not changed)");
    }
}

void StagedFile::publish() {
    if (published_) return;
    finish();
    if (::rename(temp_.c_str(), target_.c_str()) != 0) {
        fail("cannot replace ", path_, " (", errno_text(errno), ")");
    }
    published_ = true;
    if (durability_ == Durability::Fsync) {
        // The rename is durable once the folder's entry is on disk.
        const fs::path dir = fs::path(target_).has_parent_path() ? fs::path(target_).parent_path()
                                                                  : fs::path(".");
        const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            ::fsync(dfd);
            ::close(dfd);
        }
    }
}

void publish_all(const std::vector<StagedFile*>& files) {
    for (StagedFile* f : files) f->finish();
    for (StagedFile* f : files) f->publish();
}

void write_file_atomically(const std::string& path, std::string_view bytes, Durability d) {
    StagedFile f(path, d);
    f.write(bytes);
    f.publish();
}

namespace {

// std::cout's buffer once install_checked_stdout() ran: 64 KiB, written with ::write, the first
// failure's errno kept (later output is dropped: it could not arrive either).
class CheckedStdoutBuf : public std::streambuf {
  public:
    CheckedStdoutBuf() { setp(buf_, buf_ + sizeof buf_); }
    int error() const { return error_; }

  protected:
    int_type overflow(int_type c) override {
        if (drain() != 0) return traits_type::eof();
        if (!traits_type::eq_int_type(c, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(c);
            pbump(1);
        }
        return traits_type::not_eof(c);
    }
    int sync() override { return drain(); }

  private:
    int drain() {
        const char* p = pbase();
        size_t left = static_cast<size_t>(pptr() - pbase());
        while (left > 0 && error_ == 0) {
            const ssize_t n = ::write(STDOUT_FILENO, p, left);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) error_ = errno;
            else {
                p += n;
                left -= static_cast<size_t>(n);
            }
        }
        setp(buf_, buf_ + sizeof buf_);
        return error_ == 0 ? 0 : -1;
    }
    char buf_[1 << 16];
    int error_ = 0;
};

CheckedStdoutBuf* checked_stdout = nullptr;

[[noreturn]] void stdout_failed(int err) {
    if (err == EBADF) fail("cannot write to standard output: it is closed");
    fail("cannot write to standard output: ", err != 0 ? errno_text(err) : "the output was lost",
         err == EPIPE ? " (the reader closed the pipe)" : "");
}

}  // namespace

void install_checked_stdout() {
    if (checked_stdout != nullptr) return;
    checked_stdout = new CheckedStdoutBuf();  // lives as long as std::cout
    std::cout.rdbuf(checked_stdout);
}

void check_stdout() {
    std::cout.flush();
    if (checked_stdout != nullptr && checked_stdout->error() != 0) {
        std::cout.clear();
        stdout_failed(checked_stdout->error());
    }
    errno = 0;
    const bool flushed = std::fflush(stdout) == 0;  // anything printed through stdio
    const int err = errno;
    if (flushed && !std::ferror(stdout) && std::cout.good()) return;
    std::clearerr(stdout);
    std::cout.clear();
    stdout_failed(err);
}

}  // namespace nasflat
