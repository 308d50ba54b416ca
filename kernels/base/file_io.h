// file_io.h — how every file of the project is read and written, so that nothing is lost:
//   reading:  bounded (at most max_input_bytes(), default 256 MiB, NASFLAT_MAX_INPUT_MB to
//             change it), so a path like /dev/zero is refused instead of read forever;
//   writing:  staged. Bytes go to a unique temporary file in the target's folder (mkstemp), every
//             write and the close are checked (fsync for durable files), and only publish()
//             renames it over the target; a StagedFile destroyed unpublished removes its
//             temporary. A command stages all of its outputs first and publishes them together
//             at the end, so a failed command leaves every existing file as it was.
// An output path that is a symbolic link writes to the file the link points to (the link stays).
// Errors are nasflat::Error, one line naming the file and the fix.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nasflat {

// Bytes any single input may hold: NASFLAT_MAX_INPUT_MB (a positive whole number of MiB) or
// 256 MiB. A malformed variable is an error naming it.
uint64_t max_input_bytes();

// The whole file, refused past max_input_bytes(). `what` names the file's role in messages
// ("checkpoint", "measurement file"); missing, folder, unreadable -> one-line errors.
std::string read_file_bounded(const std::string& path, const std::string& what);
// The first `n` bytes of a file (fewer when it is shorter), e.g. to check a magic number
// before reading the rest.
std::string read_file_prefix(const std::string& path, size_t n, const std::string& what);

// True when `a` and `b` name the same existing file (through links, "..", hard links).
bool same_file(const std::string& a, const std::string& b);
// Refuses an output that is one of the command's inputs (it would be destroyed): "fix: write
// the output to another file". Inputs that are empty strings are skipped.
void check_output_is_not_input(const std::string& output, const std::vector<std::string>& inputs,
                               const std::string& output_flag);

enum class Durability { Normal, Fsync };  // Fsync: data and the folder entry reach the disk

class StagedFile {
public:
    // Creates the temporary file now, so a missing or read-only folder fails before any work.
    explicit StagedFile(std::string path, Durability durability = Durability::Normal);
    StagedFile(StagedFile&& other) noexcept;
    StagedFile& operator=(StagedFile&&) = delete;
    StagedFile(const StagedFile&) = delete;
    ~StagedFile();  // removes the temporary unless published

    void write(std::string_view bytes);  // all of it, or an error (disk full, ...)
    // Flushes, syncs (Fsync) and closes; checked. After finish(), only the rename remains.
    void finish();
    // finish() if needed, then renames over the target. Idempotent.
    void publish();
    const std::string& path() const { return path_; }

private:
    std::string path_;    // as the user wrote it (messages)
    std::string target_;  // the file written: path_, or what its symbolic link points to
    std::string temp_;
    int fd_ = -1;
    Durability durability_;
    bool published_ = false;
};

// Finishes every file first (any failure: none is published, all temporaries removed), then
// publishes them in order.
void publish_all(const std::vector<StagedFile*>& files);

// Stage + publish of one file.
void write_file_atomically(const std::string& path, std::string_view bytes,
                           Durability durability = Durability::Normal);

// Routes std::cout through a buffer on file descriptor 1 that keeps the cause of the first
// failed write (ENOSPC, EPIPE, EBADF) for check_stdout. Call once, first thing in main; print
// through std::cout only (not printf) afterwards.
void install_checked_stdout();
// Flushes standard output and fails ("cannot write to standard output: No space left on
// device") if anything written to it was lost: a full disk, a closed pipe, a closed stdout.
void check_stdout();

}  // namespace nasflat
