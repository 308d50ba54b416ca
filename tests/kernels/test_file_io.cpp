// test_file_io.cpp — the project's file discipline (kernels/base/file_io.h): staged writes publish
// whole files or nothing, temporaries are unique and never left behind, several outputs publish
// together, symbolic links are written through, reads are bounded, and messages are printable.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "kernels/base/check.h"
#include "kernels/base/file_io.h"

namespace nasflat::testing {
namespace {

namespace fs = std::filesystem;

class FileIo : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("nasflat_file_io_" + std::to_string(getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    static std::string read(const std::string& p) {
        std::ifstream f(p, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(f), {});
    }
    static void write(const std::string& p, const std::string& text) {
        std::ofstream(p, std::ios::binary) << text;
    }
    // Every entry of the folder (temporaries are hidden files, so list them all).
    size_t entries() const {
        return static_cast<size_t>(std::distance(fs::directory_iterator(dir_), {}));
    }
    fs::path dir_;
};

TEST_F(FileIo, UnpublishedWritesLeaveTheOldFileAndNoTemporary) {
    write(path("out.txt"), "old");
    {
        StagedFile f(path("out.txt"));
        f.write("new content");
        EXPECT_EQ(entries(), 2u) << "the temporary sits beside the target";
        EXPECT_EQ(read(path("out.txt")), "old") << "nothing is visible before publish";
    }  // destroyed unpublished: a failed command
    EXPECT_EQ(read(path("out.txt")), "old");
    EXPECT_EQ(entries(), 1u) << "the temporary was removed";
    write_file_atomically(path("out.txt"), "new");
    EXPECT_EQ(read(path("out.txt")), "new");
    EXPECT_EQ(entries(), 1u);
}

TEST_F(FileIo, TwoWritersOfOneFileNeverMixTheirBytes) {
    // Two processes writing the same output each publish a whole file of their own: with one
    // fixed temporary name the second would truncate the first's half-written file.
    StagedFile a(path("same.ckpt")), b(path("same.ckpt"));
    a.write(std::string(100000, 'a'));
    b.write(std::string(50000, 'b'));
    a.write(std::string(100000, 'a'));
    b.publish();
    a.publish();
    EXPECT_EQ(read(path("same.ckpt")), std::string(200000, 'a'));
    EXPECT_EQ(entries(), 1u);
}

TEST_F(FileIo, PublishAllIsAllOrNothing) {
    write(path("a.txt"), "old a");
    write(path("b.txt"), "old b");
    StagedFile a(path("a.txt")), b(path("b.txt"));
    a.write("new a");
    b.write("new b");
    publish_all({&a, &b});
    EXPECT_EQ(read(path("a.txt")), "new a");
    EXPECT_EQ(read(path("b.txt")), "new b");
    // A second output that cannot even be staged fails before the first is touched.
    StagedFile c(path("a.txt"));
    c.write("newer a");
    EXPECT_THROW(StagedFile(path("no/such/folder/b.txt")), Error);
    EXPECT_EQ(read(path("a.txt")), "new a");
}

TEST_F(FileIo, MissingFolderAndFolderTargetAreClearErrors) {
    try {
        StagedFile f(path("missing/x.csv"));
        ADD_FAILURE() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
    }
    fs::create_directories(path("sub"));
    EXPECT_THROW(StagedFile f(path("sub")), Error);
}

TEST_F(FileIo, WriteFailureIsAnErrorAndLeavesTheOldFile) {
    // A file-size limit makes write() fail with EFBIG, as a full disk fails with ENOSPC.
    write(path("big.csv"), "old");
    struct rlimit old {};
    ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
    auto previous = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit small = old;
    small.rlim_cur = 4096;
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
    bool threw = false;
    try {
        write_file_atomically(path("big.csv"), std::string(1 << 16, 'x'));
    } catch (const Error& e) {
        threw = true;
        EXPECT_NE(std::string(e.what()).find("was not changed"), std::string::npos) << e.what();
    }
    setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, previous);
    EXPECT_TRUE(threw);
    EXPECT_EQ(read(path("big.csv")), "old");
    EXPECT_EQ(entries(), 1u) << "no temporary left behind";
}

TEST_F(FileIo, SymbolicLinksAreWrittenThrough) {
    write(path("real.csv"), "old");
    fs::create_symlink("real.csv", path("link.csv"));
    write_file_atomically(path("link.csv"), "new");
    EXPECT_TRUE(fs::is_symlink(path("link.csv"))) << "the link stays a link";
    EXPECT_EQ(read(path("real.csv")), "new");
}

TEST_F(FileIo, OutputThatIsAnInputIsRefused) {
    write(path("a.csv"), "10\n");
    fs::create_symlink("a.csv", path("alias.csv"));
    EXPECT_THROW(check_output_is_not_input(path("a.csv"), {path("a.csv")}, "--out"), Error);
    EXPECT_THROW(check_output_is_not_input(path("alias.csv"), {path("a.csv")}, "--out"), Error);
    EXPECT_NO_THROW(check_output_is_not_input(path("b.csv"), {path("a.csv"), ""}, "--out"));
}

TEST_F(FileIo, ReadsAreBounded) {
    write(path("small.json"), "{}");
    EXPECT_EQ(read_file_bounded(path("small.json"), "JSON file"), "{}");
    setenv("NASFLAT_MAX_INPUT_MB", "1", 1);
    write(path("big.txt"), std::string((1 << 20) + 1, 'x'));
    EXPECT_THROW(read_file_bounded(path("big.txt"), "list"), Error);
    // A device that never ends is refused after the limit, not read forever.
    try {
        read_file_bounded("/dev/zero", "checkpoint");
        ADD_FAILURE() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("NASFLAT_MAX_INPUT_MB"), std::string::npos);
    }
    setenv("NASFLAT_MAX_INPUT_MB", "lots", 1);
    EXPECT_THROW(max_input_bytes(), Error);
    unsetenv("NASFLAT_MAX_INPUT_MB");
    EXPECT_EQ(max_input_bytes(), uint64_t{256} << 20);
    EXPECT_EQ(read_file_prefix("/dev/zero", 8, "checkpoint"), std::string(8, '\0'));
    EXPECT_THROW(read_file_bounded(path("missing"), "list"), Error);
}

TEST(Printable, EscapesControlBytesAndBoundsLength) {
    EXPECT_EQ(printable("ab\x1b[31mc\n"), "ab\\x1b[31mc\\x0a");
    EXPECT_EQ(printable("\xc2\x9b" "x"), "\\xc2\\x9bx") << "C1 control in UTF-8";
    EXPECT_EQ(printable("caf\xc3\xa9"), "caf\xc3\xa9") << "other UTF-8 is kept";
    const std::string cut = printable(std::string(10'000'000, 'x'), 200);
    EXPECT_LT(cut.size(), 230u);
    EXPECT_NE(cut.find("(10000000 bytes)"), std::string::npos);
}

TEST(CheckLocation, OnlyWithNasflatDebug) {
    auto message = [] {
        try {
            NASFLAT_CHECK(1 + 1 == 3, "arithmetic is broken");
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    unsetenv("NASFLAT_DEBUG");
    EXPECT_EQ(message(), "arithmetic is broken");
    setenv("NASFLAT_DEBUG", "1", 1);
    EXPECT_NE(message().find("[check '1 + 1 == 3' failed at"), std::string::npos) << message();
    unsetenv("NASFLAT_DEBUG");
}

}  // namespace
}  // namespace nasflat::testing
