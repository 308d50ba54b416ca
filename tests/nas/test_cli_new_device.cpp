// test_cli_new_device.cpp — a new device through the CLI: transfer reports every candidate of
// its self-check and what it answers with, pretrain follows its recipe unless a flag says
// otherwise, `sample --more` picks architectures not yet measured, energy measurements go
// through sample / transfer / predict / search in mJ, and `lodo` lists the hardware families
// and runs a one-device benchmark with its baselines.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "nas/predictor/predictor.h"
#include "tests/nas/tiny_predictor.h"

namespace nasflat::nas {
namespace {

using CliNewDevice = TinyPredictor;

TEST_F(CliNewDevice, TransferReportsItsCandidatesAndChoice) {
    const CliResult t = cli("transfer --checkpoint " + q("pre.ckpt") + " --measurements " +
                            q("m.json") + " --epochs 1 --folds 4 --out " + q("t.ckpt"));
    ASSERT_EQ(t.code, 0) << t.err;
    for (const char* part : {"out-of-fold Spearman of each candidate: predictor", "flops", "params",
                             "device:", "ridge", "answers with:"})
        EXPECT_NE(t.out.find(part), std::string::npos) << part << "\n" << t.out;
    const CliResult none =
        cli("transfer --checkpoint " + q("pre.ckpt") + " --measurements " + q("m.json") +
            " --epochs 1 --folds 4 --priors none --out " + q("t2.ckpt"));
    ASSERT_EQ(none.code, 0) << none.err;
    EXPECT_NE(none.out.find("answers with: predictor\n"), std::string::npos) << none.out;
    const CliResult bad = cli("transfer --checkpoint " + q("pre.ckpt") + " --measurements " +
                              q("m.json") + " --priors flops,magic --out " + q("t3.ckpt"));
    EXPECT_EQ(bad.code, 2);
    expect_one_error_line(bad, {"--priors", "'magic'"});
}

TEST_F(CliNewDevice, PretrainFollowsTheRecipeAndFlagsWin) {
    // Without flags pretrain takes the practitioner recipe; --recipe paper the authors' settings;
    // a flag given beats either.
    struct Case {
        std::string flags;
        models::Flavor flavor;
        std::string supp;
        bool score_once;
        int source_samples, epochs;
    };
    const std::vector<Case> cases = {
        {"--source-samples 20 --epochs 1", models::Flavor::Reference, "none", false, 20, 1},
        // On one source device the recipe's floor of 2,400 archs in all sets S (its 30 epochs
        // are checked in test_library.cpp; one epoch keeps these cheap).
        {"--epochs 1", models::Flavor::Reference, "none", false, 2400, 1},
        {"--config fixed --supp flops --score-once --epochs 1", models::Flavor::Fixed, "flops",
         true, 2400, 1},
        {"--recipe paper --source-samples 0", models::Flavor::Reference, "none", false, 0, 150},
        {"--recipe paper --source-samples 0 --supp params --score-once", models::Flavor::Reference,
         "params", true, 0, 150},
        {"--source-samples 0 --config fixed --scoring once --supp params", models::Flavor::Fixed,
         "params", true, 0, 30}};
    for (const Case& c : cases) {
        const CliResult r =
            cli("pretrain --space nb201 --devices pixel3 " + c.flags + " --out " + q("r.ckpt"));
        ASSERT_EQ(r.code, 0) << c.flags << "\n" << r.err;
        const Predictor p = load_predictor(file("r.ckpt"), Device::CPU);
        EXPECT_EQ(p.model->config().flavor, c.flavor) << c.flags;
        EXPECT_EQ(p.info.supp, c.supp) << c.flags;
        EXPECT_EQ(p.info.pretrain["score_once"].get<bool>(), c.score_once) << c.flags;
        EXPECT_EQ(p.info.pretrain["source_samples"].get<int>(), c.source_samples) << c.flags;
        EXPECT_EQ(p.info.pretrain["epochs"].get<int>(), c.epochs) << c.flags;
    }
    // FBNet's practitioner recipe is the fixed config with FLOPs, scored once; a task label
    // without --space says the space.
    const CliResult fb = cli("pretrain --task F2 --source-samples 0 --out " + q("f.ckpt"));
    ASSERT_EQ(fb.code, 0) << fb.err;
    const Predictor pf = load_predictor(file("f.ckpt"), Device::CPU);
    EXPECT_EQ(pf.info.space, Space::FBNet);
    EXPECT_EQ(pf.model->config().flavor, models::Flavor::Fixed);
    EXPECT_EQ(pf.info.supp, "flops");
    EXPECT_TRUE(pf.info.pretrain["score_once"].get<bool>());
    EXPECT_EQ(pf.info.pretrain["epochs"].get<int>(), 30);
    const CliResult both =
        cli("pretrain --space nb201 --score-once --scoring two-forwards "
            "--out " +
            q("x.ckpt"));
    EXPECT_EQ(both.code, 2);
    expect_one_error_line(both, {"--score-once and --scoring two-forwards disagree"});
    const CliResult bad = cli("pretrain --space nb201 --recipe quick --out " + q("x.ckpt"));
    EXPECT_EQ(bad.code, 2);
}

TEST_F(CliNewDevice, PretrainExcludesTheDevicesNamed) {
    const CliResult r =
        cli("pretrain --space nb201 --devices 1080ti_1,pixel3,pixel2 --exclude "
            "pixel2 --source-samples 10 --epochs 1 --out " +
            q("e.ckpt"));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("except pixel2"), std::string::npos) << r.out;
    const Predictor p = load_predictor(file("e.ckpt"), Device::CPU);
    EXPECT_EQ(p.info.sources, (std::vector<std::string>{"1080ti_1", "pixel3"}));
    const CliResult unknown = cli("pretrain --space nb201 --exclude pixel9 --out " + q("x.ckpt"));
    EXPECT_EQ(unknown.code, 2);
    expect_one_error_line(unknown, {"--exclude: 'pixel9'"});
    const CliResult all =
        cli("pretrain --space nb201 --devices pixel2 --exclude pixel2 --out " + q("x.ckpt"));
    EXPECT_EQ(all.code, 2);
    expect_one_error_line(all, {"leaves no device"});
}

TEST_F(CliNewDevice, SampleMoreAvoidsWhatIsMeasured) {
    const CliResult r =
        cli("sample --space nb201 --more 6 --measured " + q("m.json") + " --out " + q("more.json"));
    ASSERT_EQ(r.code, 0) << r.err;
    const auto more = nlohmann::json::parse(slurp(file("more.json")))["arch_index"];
    const auto had = nlohmann::json::parse(slurp(file("m.json")))["arch_index"];
    std::set<int> old(had.begin(), had.end());
    EXPECT_EQ(more.size(), 6u);
    for (int a : more) EXPECT_EQ(old.count(a), 0u) << a;
    const CliResult lone = cli("sample --space nb201 --more 6");
    EXPECT_EQ(lone.code, 2);
    expect_one_error_line(lone, {"--measured"});
}

TEST_F(CliNewDevice, EnergyGoesThroughTheWholeLoop) {
    ASSERT_EQ(cli("sample --space nb201 --count 10 --sampler random --seed 2 --fill-from eyeriss "
                  "--metric energy --out " +
                  q("e.json"))
                  .code,
              0);
    const auto e = nlohmann::json::parse(slurp(file("e.json")));
    EXPECT_EQ(e["metric"], "energy");
    EXPECT_EQ(e["unit"], "mJ");
    EXPECT_EQ(e["energy"].size(), 10u);
    const CliResult check = cli("data --check " + q("e.json"));
    EXPECT_EQ(check.code, 0) << check.err;
    const CliResult t =
        cli("transfer --checkpoint " + q("pre.ckpt") + " --measurements " + q("e.json") +
            " --name my_asic --epochs 1 --folds 2 --out " + q("e.ckpt"));
    ASSERT_EQ(t.code, 0) << t.err;
    const CliResult p =
        cli("predict --checkpoint " + q("e.ckpt") + " --archs " + q("m.json") + " --truth eyeriss");
    ASSERT_EQ(p.code, 0) << p.err;
    EXPECT_EQ(p.out.rfind("index,arch,score,energy_mj\n", 0), 0u) << p.out;
    EXPECT_NE(p.err.find("[truth] eyeriss"), std::string::npos) << p.err;
    const CliResult s = cli("search --checkpoint " + q("e.ckpt") + " --energy-max 1.5");
    ASSERT_EQ(s.code, 0) << s.err;
    EXPECT_NE(s.out.find("limit_mj"), std::string::npos) << s.out;
    const CliResult wrong = cli("search --checkpoint " + q("e.ckpt") + " --latency-max 10");
    EXPECT_EQ(wrong.code, 2);
    expect_one_error_line(wrong, {"predicts energy", "--energy-max"});
    // A file of one metric with the other's key is refused.
    const CliResult mixed = cli("data --check '" +
                                write("mixed.json",
                                      "{\"space\": \"nb201\", \"metric\": "
                                      "\"energy\", \"unit\": \"ms\", "
                                      "\"arch_index\": [1, 2], \"energy\": [1, 2]}") +
                                "'");
    EXPECT_EQ(mixed.code, 1);
    expect_one_error_line(mixed, {"'ms' is not a unit of energy", "mJ"});
}

TEST_F(CliNewDevice, TheSuiteRunsWithTheSelfCheck) {
    const CliResult r =
        cli("experiment --space fbnet --task 2 --samples 8 --trials 1 "
            "--source-samples 8 --epochs 1 --transfer-epochs 1 --config fixed "
            "--score-once --self-check --blend best --json " +
            q("x.json"));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("self-check (blend best)"), std::string::npos) << r.out;
    const auto j = nlohmann::json::parse(slurp(file("x.json")));
    EXPECT_EQ(j["self_check"], "best");
    EXPECT_EQ(j["per_device"].size(), 5u);
}

// Families run side by side on --threads: the same JSON and, family by family, the same progress
// lines (wall times aside) as one thread.
TEST_F(CliNewDevice, LodoGivesTheSameResultsOnAnyThreadCount) {
    const std::string run =
        "lodo --space nb201 --targets pixel2,eyeriss,fpga --source-samples 8 "
        "--epochs 1 --draws 1 --transfer-epochs 1 --score-once --threads ";
    const CliResult one = cli(run + "1 --json " + q("t1.json"));
    const CliResult three = cli(run + "3 --json " + q("t3.json"));
    ASSERT_EQ(one.code, 0) << one.err;
    ASSERT_EQ(three.code, 0) << three.err;
    auto without_times = [](std::string text) {
        auto j = nlohmann::json::parse(text);
        j.erase("seconds");
        return j.dump();
    };
    EXPECT_EQ(without_times(slurp(file("t1.json"))), without_times(slurp(file("t3.json"))));
    auto lines = [](const std::string& err) {
        std::string out;
        std::istringstream in(err);
        for (std::string l; std::getline(in, l);) {
            if (l.rfind("[pretrain]", 0) == 0) l = l.substr(0, l.rfind(", "));
            out += l + "\n";
        }
        return out;
    };
    EXPECT_EQ(lines(one.err), lines(three.err));
}

// --sampler chooses each draw's T samples (here k-means + cosine over the proxies): recorded in
// the options and the summary, distinct measured archs, other archs than the uniform draw.
TEST_F(CliNewDevice, LodoDrawsWithTheSamplerItIsGiven) {
    const std::string run =
        "lodo --space nb201 --targets pixel2 --source-samples 8 --epochs 1 "
        "--draws 1 --transfer-epochs 1 --score-once --samples 8 ";
    const CliResult uniform = cli(run + "--json " + q("u.json"));
    const CliResult chosen =
        cli(run + "--sampler kmeancosine:zcp --json " + q("k.json") + " --markdown " + q("k.md"));
    ASSERT_EQ(uniform.code, 0) << uniform.err;
    ASSERT_EQ(chosen.code, 0) << chosen.err;
    const auto u = nlohmann::json::parse(slurp(file("u.json")));
    const auto k = nlohmann::json::parse(slurp(file("k.json")));
    EXPECT_EQ(u["options"]["sampler"], "random");
    EXPECT_EQ(k["options"]["sampler"], "kmeancosine:zcp");
    std::vector<int32_t> archs = k["devices"][0]["draws"][0]["archs"].get<std::vector<int32_t>>();
    EXPECT_NE(archs, u["devices"][0]["draws"][0]["archs"].get<std::vector<int32_t>>());
    ASSERT_EQ(archs.size(), 8u);
    std::sort(archs.begin(), archs.end());
    EXPECT_EQ(std::unique(archs.begin(), archs.end()), archs.end()) << "no arch twice";
    EXPECT_NE(slurp(file("k.md")).find("chosen by kmeancosine:zcp"), std::string::npos);
    const CliResult bad = cli(run + "--sampler random:zcp");
    EXPECT_EQ(bad.code, 2);
    expect_one_error_line(bad, {"random:zcp", "reads no encoding"});
}

TEST_F(CliNewDevice, LodoListsFamiliesAndBenchmarksOneDevice) {
    const CliResult fam = cli("lodo --space nb201 --families");
    ASSERT_EQ(fam.code, 0) << fam.err;
    EXPECT_NE(fam.out.find("NVIDIA Jetson Nano: embedded_gpu_jetson_nano_fp16, "
                           "embedded_gpu_jetson_nano_fp32"),
              std::string::npos)
        << fam.out;
    const CliResult r =
        cli("lodo --space nb201 --targets pixel2 --source-samples 8 --epochs 1 "
            "--draws 1 --transfer-epochs 1 --score-once --json " +
            q("l.json") + " --markdown " + q("l.md"));
    ASSERT_EQ(r.code, 0) << r.err;
    const auto j = nlohmann::json::parse(slurp(file("l.json")));
    ASSERT_EQ(j["devices"].size(), 1u);
    EXPECT_EQ(j["devices"][0]["sources"], 41) << "42 devices minus the Pixel 2's family of one";
    for (const char* k : {"answer", "model", "flops", "params", "device", "ridge", "oracle"})
        EXPECT_TRUE(j["devices"][0]["draws"][0][k].is_number()) << k;
    EXPECT_FALSE(j["devices"][0]["draws"][0].contains("help")) << "no baselines asked for";
    EXPECT_NE(slurp(file("l.md")).find("| pixel2 | Google Pixel 2 |"), std::string::npos);
    const CliResult merged = cli("lodo --merge " + q("l.json") + " " + q("l.json"));
    EXPECT_EQ(merged.code, 2);
    expect_one_error_line(merged, {"pixel2 appears in two runs"});
    // Read again under another of the rules it evaluated: the answer is that rule's column, the
    // options are the run's own (not the defaults of the reading command).
    const CliResult again =
        cli("lodo --merge " + q("l.json") + " --answer-rule 0 --json " + q("l0.json"));
    ASSERT_EQ(again.code, 0) << again.err;
    const auto k = nlohmann::json::parse(slurp(file("l0.json")));
    EXPECT_EQ(k["options"]["source_samples"], 8);
    EXPECT_EQ(k["options"]["blend"], "0");
    const auto& draw = k["devices"][0]["draws"][0];
    EXPECT_EQ(draw["answer"], draw["by_rule"][2]) << "rules: best, stack, 0, ...";
    EXPECT_TRUE(draw["answer_kendall"].is_null());
    const CliResult unknown = cli("lodo --merge " + q("l.json") + " --answer-rule 3");
    EXPECT_EQ(unknown.code, 2);
    expect_one_error_line(unknown, {"'3' was not evaluated"});
    const CliResult alone = cli("lodo --space nb201 --answer-rule stack");
    EXPECT_EQ(alone.code, 2);
    expect_one_error_line(alone, {"--answer-rule reads runs again"});
}

// --baselines: HELP and MultiPredict trained on the same 41 sources, scored per draw on the
// draw's archs (tiny settings here), as columns of the JSON and the table.
TEST_F(CliNewDevice, LodoRunsTheBaselinePredictorsBesideOurs) {
    const std::string run =
        "lodo --space nb201 --targets pixel2 --source-samples 8 --epochs 1 --draws 1 "
        "--transfer-epochs 1 --score-once --help-episodes 1 --help-mc-sampling 1 "
        "--mp-source-samples 20 --mp-epochs 1 --mp-transfer-epochs 1 --mp-mc-rounds 1 ";
    const CliResult r = cli(run + "--baselines help,multipredict --json " + q("b.json") +
                            " --markdown " + q("b.md"));
    ASSERT_EQ(r.code, 0) << r.err;
    const auto j = nlohmann::json::parse(slurp(file("b.json")));
    const auto& draw = j["devices"][0]["draws"][0];
    for (const char* k : {"help", "multipredict"}) {
        ASSERT_TRUE(draw[k].is_number()) << k;
        EXPECT_GE(draw[k].get<double>(), -1.0);
        EXPECT_LE(draw[k].get<double>(), 1.0);
    }
    EXPECT_EQ(j["options"]["baselines"], nlohmann::json({"help", "multipredict"}));
    EXPECT_EQ(j["options"]["multipredict"]["source_samples"], 20);
    const std::string md = slurp(file("b.md"));
    EXPECT_NE(md.find("| HELP | MultiPredict |"), std::string::npos) << md;
    EXPECT_NE(md.find("The answer beats HELP on"), std::string::npos) << md;
    EXPECT_NE(r.err.find("HELP meta-trained on "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(" of 41 devices"), std::string::npos) << r.err;
    // Read back and merged, the columns stay.
    const CliResult again = cli("lodo --merge " + q("b.json") + " --json " + q("b2.json"));
    ASSERT_EQ(again.code, 0) << again.err;
    EXPECT_EQ(nlohmann::json::parse(slurp(file("b2.json")))["devices"][0]["draws"][0]["help"],
              draw["help"]);
    // A target HELP cannot describe (the Edge TPU lacks a reference arch) gets no HELP score.
    std::string tpu_run = run;
    const CliResult tpu =
        cli(tpu_run.replace(tpu_run.find("pixel2"), 6, "edgetpu") + "--baselines help --json " +
            q("e.json") + " --markdown " + q("e.md"));
    ASSERT_EQ(tpu.code, 0) << tpu.err;
    EXPECT_FALSE(
        nlohmann::json::parse(slurp(file("e.json")))["devices"][0]["draws"][0].contains("help"));
    EXPECT_NE(tpu.err.find("edgetpu: no HELP score"), std::string::npos) << tpu.err;
    EXPECT_EQ(slurp(file("e.md")).find("HELP"), std::string::npos) << "no column without a value";
    const CliResult unknown = cli(run + "--baselines help,brp");
    EXPECT_EQ(unknown.code, 2);
    expect_one_error_line(unknown, {"unknown baseline 'brp'"});
    const CliResult few = cli(run + "--baselines help --samples 8");
    EXPECT_EQ(few.code, 2);
    expect_one_error_line(few, {"--samples >= 12"});
}

}  // namespace
}  // namespace nasflat::nas
