// test_cli_outputs.cpp — nothing the CLI writes is lost or half-written: an output that is an
// input is refused, write errors on files and stdout are errors (exit 2), a failed command
// leaves every existing output as it was (and no temporary behind), symbolic links are written
// through, and predict reads its own CSV and byte-order-marked input.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/nas/tiny_predictor.h"

namespace nasflat::nas {
namespace {

namespace fs = std::filesystem;

using CliOutputs = TinyPredictor;

TEST_F(CliOutputs, AnOutputThatIsAnInputIsRefusedAndKept) {
    const std::string a = write("a.csv", "10\n11\n12\n");
    const CliResult r = cli("predict --checkpoint " + q("pixel2.ckpt") + " --archs '" + a +
                            "' --out '" + a + "'");
    EXPECT_EQ(r.code, 2);
    expect_one_error_line(r, {"--out", "is also an input", "fix:"});
    EXPECT_EQ(slurp(a), "10\n11\n12\n");
    const CliResult t = cli("transfer --checkpoint " + q("pixel2.ckpt") + " --measurements " +
                            q("m.json") + " --out " + q("pixel2.ckpt"));
    EXPECT_EQ(t.code, 2);
    expect_one_error_line(t, {"is also an input"});
}

TEST_F(CliOutputs, WriteErrorsOnStdoutAreErrors) {
    const std::string ckpt = q("pixel2.ckpt");
    for (const std::string& args :
         std::vector<std::string>{"predict --checkpoint " + ckpt + " --all", "sample --space nb201 --count 4",
          "search --checkpoint " + ckpt + " --latency-max 20"}) {
        const CliResult full = cli(args + " >/dev/full");
        EXPECT_EQ(full.code, 2) << args;
        expect_one_error_line(full, {"cannot write to standard output", "No space left"});
        const CliResult closed = cli(args + " >&-");
        EXPECT_EQ(closed.code, 2) << args;
        expect_one_error_line(closed, {"standard output"});
    }
    // A reader that goes away: the scoring stops with an error instead of finishing silently.
    const std::string code = file("code"), err = file("pipe.err");
    run_cli("predict --checkpoint " + ckpt + " --all --batch 64 --data '" + data_ + "' 2>'" +
                err + "'; echo $? > '" + code + "'; } | head -c 100 >/dev/null; true",
            "{");
    EXPECT_EQ(slurp(code), "2\n") << slurp(err);
    EXPECT_NE(slurp(err).find("Broken pipe"), std::string::npos) << slurp(err);
}

TEST_F(CliOutputs, AFullDiskLeavesTheOldOutputAndNoTemporary) {
    const std::string out = write("full.csv", "old\n");
    // A 64-block file-size limit fails the write as a full disk would (EFBIG / ENOSPC).
    const CliResult r =
        cli("predict --checkpoint " + q("pixel2.ckpt") + " --all --out '" + out + "'",
            "ulimit -f 64;");
    EXPECT_EQ(r.code, 2);
    expect_one_error_line(r, {"full.csv", "was not changed"});
    EXPECT_EQ(slurp(out), "old\n");
    EXPECT_EQ(count_files("full.csv"), 1) << "a temporary was left behind";
}

TEST_F(CliOutputs, AFailedTransferLeavesTheCheckpointAsItWas) {
    fs::copy_file(file("pixel2.ckpt"), file("good.ckpt"), fs::copy_options::overwrite_existing);
    const std::string before = slurp(file("good.ckpt"));
    const CliResult r = cli("transfer --checkpoint " + q("pre.ckpt") + " --measurements " +
                            q("m.json") + " --epochs 1 --folds 0 --out " + q("good.ckpt") +
                            " --plot " + q("nodir/p.svg"));
    EXPECT_EQ(r.code, 2);
    expect_one_error_line(r, {"nodir", "does not exist"});
    EXPECT_EQ(r.out.find("wrote"), std::string::npos) << r.out;
    EXPECT_EQ(slurp(file("good.ckpt")), before);
    EXPECT_EQ(count_files("good.ckpt"), 1);
}

TEST_F(CliOutputs, PredictFailingMidStreamLeavesTheOutput) {
    const std::string out = write("stream.csv", "old\n");
    const CliResult r = cli("predict --checkpoint " + q("pixel2.ckpt") + " --batch 2 --out '" +
                                out + "'",
                            "printf '1\\n2\\n3\\n4\\nnot_an_arch\\n' |");
    EXPECT_EQ(r.code, 2);
    expect_one_error_line(r, {"stdin:5"});
    EXPECT_EQ(slurp(out), "old\n");
    EXPECT_EQ(count_files("stream.csv"), 1);
}

TEST_F(CliOutputs, ABadTruthFileFailsBeforeAnythingIsScoredOrWritten) {
    const std::string out = write("truth.csv", "old\n");
    const CliResult r = cli("predict --checkpoint " + q("pixel2.ckpt") + " --all --out '" + out +
                            "' --truth no_such_device");
    EXPECT_EQ(r.code, 2);
    expect_one_error_line(r, {"no_such_device"});
    EXPECT_EQ(r.err.find("[predict]"), std::string::npos) << "scored before checking --truth";
    EXPECT_EQ(slurp(out), "old\n");
}

TEST_F(CliOutputs, SymbolicLinkOutputsAreWrittenThrough) {
    write("real.csv", "old\n");
    fs::remove(file("link.csv"));
    fs::create_symlink(file("real.csv"), file("link.csv"));
    const CliResult p = cli("predict --checkpoint " + q("pixel2.ckpt") + " --archs '" +
                            write("three.txt", "1\n2\n3\n") + "' --out " + q("link.csv"));
    ASSERT_EQ(p.code, 0) << p.err;
    EXPECT_TRUE(fs::is_symlink(file("link.csv")));
    EXPECT_EQ(slurp(file("real.csv")).rfind("index,arch,score,latency_ms\n1,", 0), 0u);
    // Checkpoints the same way.
    fs::copy_file(file("pixel2.ckpt"), file("real.ckpt"), fs::copy_options::overwrite_existing);
    fs::remove(file("link.ckpt"));
    fs::create_symlink(file("real.ckpt"), file("link.ckpt"));
    const CliResult t = cli("transfer --checkpoint " + q("pre.ckpt") + " --measurements " +
                            q("m.json") + " --epochs 1 --folds 0 --out " + q("link.ckpt"));
    ASSERT_EQ(t.code, 0) << t.err;
    EXPECT_TRUE(fs::is_symlink(file("link.ckpt")));
    EXPECT_NE(slurp(file("real.ckpt")), slurp(file("pixel2.ckpt")));
}

TEST_F(CliOutputs, PredictReadsItsOwnCsvAndByteOrderMarks) {
    const CliResult first = cli("predict --checkpoint " + q("pixel2.ckpt") + " --archs '" +
                                write("bom.txt", "\xEF\xBB\xBF" "5\n7\n") + "' --out " +
                                q("first.csv"));
    ASSERT_EQ(first.code, 0) << first.err;
    const CliResult again = cli("predict --checkpoint " + q("pixel2.ckpt") + " --archs " +
                                q("first.csv") + " --out " + q("again.csv"));
    ASSERT_EQ(again.code, 0) << again.err;
    EXPECT_EQ(slurp(file("again.csv")), slurp(file("first.csv")));
    const CliResult stdin_bom =
        cli("predict --checkpoint " + q("pixel2.ckpt"), "printf '\\357\\273\\2775\\n7\\n' |");
    ASSERT_EQ(stdin_bom.code, 0) << stdin_bom.err;
    EXPECT_EQ(stdin_bom.out, slurp(file("first.csv")));
    // A row whose arch column does not belong to its index is an error, not a silent pick.
    std::string edited = slurp(file("first.csv"));
    edited.replace(edited.find("\n5,") + 1, 1, "6");
    const CliResult bad = cli("predict --checkpoint " + q("pixel2.ckpt") + " --archs '" +
                              write("edited.csv", edited) + "'");
    EXPECT_EQ(bad.code, 2);
    expect_one_error_line(bad, {"edited.csv:2", "arch column"});
}

}  // namespace
}  // namespace nasflat::nas
