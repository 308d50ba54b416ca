// test_cli.cpp — runs the built `nasflat` binary (NASFLAT_BIN, set by tests/CMakeLists.txt) on
// good and bad inputs: exit codes (0 ok, 1 check failed, 2 usage/input error), one-line
// "nasflat: error: ..." messages, and the content of `nasflat data` and `nasflat tasks`.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/nas/cli_test_util.h"
#include "tests/nas/nas_test_util.h"

namespace nasflat::nas {
namespace {

using testing::TempDir;

TEST(Cli, HelpVersionAndUsageErrors) {
    CliResult help = run_cli("--help");
    EXPECT_EQ(help.code, 0);
    EXPECT_TRUE(has(help.out, "data") && has(help.out, "tasks")) << help.out;
    CliResult verb_help = run_cli("data --help");
    EXPECT_EQ(verb_help.code, 0);
    EXPECT_TRUE(has(verb_help.out, "--data") && has(verb_help.out, "--space")) << verb_help.out;
    EXPECT_EQ(run_cli("--version").code, 0);

    CliResult none = run_cli("");
    EXPECT_EQ(none.code, 2);
    expect_one_error_line(none, {"subcommand", "nasflat --help"});
    CliResult unknown_verb = run_cli("trian");
    EXPECT_EQ(unknown_verb.code, 2);
    expect_one_error_line(unknown_verb, {"unknown verb 'trian'", "data, tasks"});
    CliResult near_verb = run_cli("dat");
    expect_one_error_line(near_verb, {"did you mean 'data'"});
    CliResult bad_flag = run_cli("data --bogus");
    EXPECT_EQ(bad_flag.code, 2);
    expect_one_error_line(bad_flag, {"--bogus"});
    CliResult bad_space = run_cli("data --space nb202");
    EXPECT_EQ(bad_space.code, 2);
    expect_one_error_line(bad_space, {"nb202"});
    CliResult bad_predictor = run_cli("experiment --predictor helpp");
    EXPECT_EQ(bad_predictor.code, 2);
    expect_one_error_line(bad_predictor, {"--predictor", "helpp"});
}

TEST(Cli, DataFolderNotFound) {
    CliResult r = run_cli("data --data /no/such/folder");
    EXPECT_EQ(r.code, 2);
    expect_one_error_line(r, {"--data '/no/such/folder' does not exist"});
    TempDir empty;
    CliResult none = run_cli("data", "cd '" + empty.path() + "' && env -u NASFLAT_DATA");
    EXPECT_EQ(none.code, 2);
    expect_one_error_line(
        none, {"no data folder found", "--data", "$NASFLAT_DATA", "../shared/data", "./data"});
}

using CliRealData = testing::RealData;

TEST_F(CliRealData, DataListsAndValidatesEverything) {
    CliResult r = run_cli("data --data '" + data_ + "'");
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    for (const char* part : {"nb201", "fbnet", "pixel2", "edgetpu", "10926", "titanxp_64", "energy",
                             "accuracy", "zcp", "78 files checked: all valid"}) {
        EXPECT_TRUE(has(r.out, part)) << "lacks " << part << ":\n" << r.out;
    }
    // $NASFLAT_DATA is used when --data is absent; --quiet prints only the summary.
    CliResult quiet = run_cli("data --quiet --space fbnet", "NASFLAT_DATA='" + data_ + "'");
    EXPECT_EQ(quiet.code, 0) << quiet.err;
    EXPECT_TRUE(has(quiet.out, "30 files checked: all valid")) << quiet.out;
    EXPECT_FALSE(has(quiet.out, "pixel2")) << quiet.out;
}

TEST_F(CliRealData, DataReportsBadFilesAndExitsNonZero) {
    TempDir dir;
    testing::mirror_data_folder(data_, dir.path());
    dir.write("nb201/latency/pixel2.json", "{\"device\": \"pixel2\", \"latency\": [1, 2");
    CliResult r = run_cli("data --space nb201 --data '" + dir.path() + "'");
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(has(r.out, "BAD")) << r.out;
    EXPECT_TRUE(has(r.out, "pixel2.json: not valid JSON")) << r.out;
    EXPECT_TRUE(has(r.out, "49 files checked: 1 bad")) << r.out;
    expect_one_error_line(r, {"1 of 49 data files are bad"});
}

TEST_F(CliRealData, DataCheckValidatesMeasurementFiles) {
    CliResult good = run_cli("data --check '" + testing::fixture("meas_nb201_good.json") +
                             "' --data '" + data_ + "'");
    EXPECT_EQ(good.code, 0) << good.err;
    EXPECT_TRUE(has(good.out, "3 nb201 latency measurements in ms, valid")) << good.out;
    EXPECT_TRUE(has(good.out, "873")) << good.out;
    CliResult fb = run_cli("data --check '" + testing::fixture("meas_fbnet_good.json") +
                           "' --data '" + data_ + "'");
    EXPECT_EQ(fb.code, 0) << fb.err;
    EXPECT_TRUE(has(fb.out, "7,8,1,8,4,8,8,8,7,4,1,4,7,3,2,7,3,2,4,2,4,5")) << fb.out;
    CliResult bad = run_cli("data --check '" + testing::fixture("meas_bad_disagree.json") +
                            "' --data '" + data_ + "'");
    EXPECT_EQ(bad.code, 1) << "a file the check finds bad is exit 1 (README, exit codes)";
    expect_one_error_line(
        bad, {"meas_bad_disagree.json: archs[1]: is architecture 1 but arch_index says 2"});
    // --space overrides the file's own space, so a mismatch is reported.
    CliResult wrong =
        run_cli("data --space fbnet --check '" + testing::fixture("meas_nb201_index.json") +
                "' --data '" + data_ + "'");
    EXPECT_EQ(wrong.code, 1);
    expect_one_error_line(wrong, {"space: is \"nb201\", but fbnet architectures are expected"});
}

TEST_F(CliRealData, TasksShowsAllTwelveResolved) {
    CliResult r = run_cli("tasks --data '" + data_ + "'");
    EXPECT_EQ(r.code, 0) << r.err;
    for (const char* part : {"N0 (ND)", "N5 (NA)", "F0 (FD)", "F5 (FA)", "N3 (N3)",
                             "9 sources -> 6 targets", "nb201/latency/titan_rtx_256.json",
                             "fbnet/latency/titanxp_64.json", "embedded_tpu_edge_tpu_int8"}) {
        EXPECT_TRUE(has(r.out, part)) << "lacks " << part;
    }
    EXPECT_FALSE(has(r.out, "MISSING"));

    CliResult js = run_cli("tasks --json --data '" + data_ + "'");
    ASSERT_EQ(js.code, 0) << js.err;
    nlohmann::json tasks = nlohmann::json::parse(js.out);
    ASSERT_EQ(tasks.size(), 12u);
    EXPECT_EQ(tasks[5]["paper_label"], "NA");
    EXPECT_EQ(tasks[6]["targets"][0]["file"], "fbnet/latency/fpga.json");

    CliResult one = run_cli("tasks --task fa --data '" + data_ + "'");
    EXPECT_EQ(one.code, 0);
    EXPECT_TRUE(has(one.out, "F5 (FA)") && !has(one.out, "N0 (ND)")) << one.out;
    CliResult bad = run_cli("tasks --task N7 --data '" + data_ + "'");
    EXPECT_EQ(bad.code, 2);
    expect_one_error_line(bad, {"unknown task 'N7'"});
    CliResult clash = run_cli("tasks --task N0 --space fbnet --data '" + data_ + "'");
    EXPECT_EQ(clash.code, 2);
    expect_one_error_line(clash, {"--task N0 is an nb201 task but --space is fbnet"});
}

TEST_F(CliRealData, TasksExitNonZeroForUnresolvedDevice) {
    TempDir dir;
    testing::mirror_data_folder(data_, dir.path());
    std::ifstream in(data_ + "/manifest.json");
    nlohmann::json manifest = nlohmann::json::parse(in);
    auto& devices = manifest["spaces"]["nb201"]["devices"];
    for (size_t i = 0; i < devices.size(); ++i) {
        if (devices[i]["device"] == "raspi4") devices.erase(i);  // a target of N0
    }
    dir.write("manifest.json", manifest.dump(1));
    std::filesystem::remove(dir.path() + "/fbnet/latency/eyeriss.json");  // a target of F0
    CliResult r = run_cli("tasks --data '" + dir.path() + "'");
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(has(r.out, "MISSING: device 'raspi4'")) << r.out;
    EXPECT_TRUE(has(r.out, "has no nb201 latency entry for it")) << r.out;
    EXPECT_TRUE(has(r.out, "fbnet/latency/eyeriss.json is missing")) << r.out;
    expect_one_error_line(r, {"do not resolve"});
}

// Trials run as separate processes (--first-trial) and joined by scripts/paper/merge_trials.py give
// the numbers of one run; overlapping pieces are refused.
TEST_F(CliRealData, SplitTrialsMergeIntoOneRun) {
    testing::TempDir dir;
    const std::string common =
        "experiment --space nb201 --task 1 --samples 5 --source-samples 16 "
        "--epochs 1 --transfer-epochs 2 --protocol first128 --config fixed "
        "--score-once --score final --data '" +
        data_ + "' ";
    const std::string d = dir.path() + "/";
    ASSERT_EQ(run_cli(common + "--trials 2 --json " + d + "both.json").code, 0);
    ASSERT_EQ(run_cli(common + "--trials 1 --json " + d + "t1.json").code, 0);
    ASSERT_EQ(run_cli(common + "--trials 1 --first-trial 1 --json " + d + "t2.json").code, 0);
    const std::string merge =
        std::string("python3 '") + NASFLAT_SOURCE_DIR + "/scripts/paper/merge_trials.py' ";
    ASSERT_EQ(
        std::system((merge + d + "m.json " + d + "t2.json " + d + "t1.json >/dev/null").c_str()),
        0);
    auto read = [](const std::string& p) { return nlohmann::json::parse(std::ifstream(p)); };
    const nlohmann::json both = read(d + "both.json"), merged = read(d + "m.json");
    EXPECT_EQ(merged["trials"], 2);
    ASSERT_EQ(merged["per_device"].size(), both["per_device"].size());
    for (size_t k = 0; k < both["per_device"].size(); ++k) {
        EXPECT_EQ(merged["per_device"][k]["spearman_trials"],
                  both["per_device"][k]["spearman_trials"]);
        EXPECT_EQ(merged["per_device"][k]["kendall_trials"],
                  both["per_device"][k]["kendall_trials"]);
    }
    EXPECT_NEAR(merged["spearman_mean"].get<double>(), both["spearman_mean"].get<double>(), 1e-12);
    EXPECT_NEAR(merged["spearman_std"].get<double>(), both["spearman_std"].get<double>(), 1e-12);
    // Fields the pieces agree on are kept (what the tables read beside the scores).
    EXPECT_EQ(merged["predictor"], both["predictor"]);
    EXPECT_EQ(merged["authors_spearman"], both["authors_spearman"]);
    // The same trial twice is an error, not a silent double count.
    EXPECT_NE(std::system(
                  (merge + d + "bad.json " + d + "t1.json " + d + "both.json 2>/dev/null").c_str()),
              0);
}

}  // namespace
}  // namespace nasflat::nas
