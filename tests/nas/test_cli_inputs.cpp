// test_cli_inputs.cpp — what the CLI reads and accepts: numeric flags are finite and in range
// (never silently replaced), latencies within bounds that keep arithmetic finite (the same rules
// in `data --check` and `transfer`), crafted checkpoints and endless inputs refused early with
// exit 2 (never "internal error"), non-finite weights refused, and messages for people.
#include <gtest/gtest.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "nas/predictor/predictor.h"
#include "tests/nas/tiny_predictor.h"

namespace nasflat::nas {
namespace {

using CliInputs = TinyPredictor;

// A checkpoint whose header `edit` changed, re-encoded with a valid checksum: the checksum
// guards against damage, not against a crafted file, so the loader must check everything else.
std::string crafted_checkpoint(const std::string& good,
                               const std::function<void(nlohmann::json&)>& edit) {
    uint64_t header_len = 0;
    std::memcpy(&header_len, good.data() + 12, 8);
    nlohmann::json header = nlohmann::json::parse(good.substr(20, header_len));
    edit(header);
    const std::string text = header.dump();
    std::string out = good.substr(0, 12);
    const uint64_t len = text.size();
    out.append(reinterpret_cast<const char*>(&len), 8);
    out += text;
    out += good.substr(20 + header_len, good.size() - 28 - header_len);
    uint64_t h = 1469598103934665603ULL;  // FNV-1a 64, the format's checksum
    for (unsigned char c : out) h = (h ^ c) * 1099511628211ULL;
    out.append(reinterpret_cast<const char*>(&h), 8);
    return out;
}

TEST_F(CliInputs, NumericFlagsMustBeFiniteAndInRange) {
    const std::string pre = "pretrain --space nb201 --devices 1080ti_1,pixel3 --source-samples 4 "
                            "--epochs 1 --out " + q("never.ckpt");
    const std::string tf = "transfer --checkpoint " + q("pre.ckpt") + " --measurements " +
                           q("m.json") + " --out " + q("never.ckpt");
    const std::vector<std::pair<std::string, std::string>> cases = {
        {pre + " --lr 1e30", "--lr"},           {pre + " --lr inf", "--lr"},
        {pre + " --lr nan", "--lr"},            {pre + " --lr -1", "--lr"},
        {pre + " --weight-decay nan", "--weight-decay"},
        {pre + " --source-samples -1", "--source-samples"},
        {pre + " --seed -1", "--seed"},         {pre + " --epochs -3", "--epochs"},
        {tf + " --lr -1", "--lr"},              {tf + " --epochs -1", "--epochs"},
        {tf + " --epochs 0", "--epochs"},       {tf + " --folds 1", "--folds"},
        {"sample --space nb201 --count -1", "--count"},
        {"predict --checkpoint " + q("pixel2.ckpt") + " --all --batch -5", "--batch"},
    };
    for (const auto& [args, flag] : cases) {
        const CliResult r = cli(args);
        EXPECT_EQ(r.code, 2) << args;
        expect_one_error_line(r, {flag});
    }
    EXPECT_EQ(count_files("never.ckpt"), 0);
    // Cross-flag rules come from the options' own check, named by flag, not by verb.
    const CliResult eta = cli(pre + " --lr 0.01 --eta-min 0.5");
    EXPECT_EQ(eta.code, 2);
    expect_one_error_line(eta, {"--eta-min 0.5 must be in [0, --lr = 0.01]"});
    EXPECT_EQ(eta.err.find("experiment:"), std::string::npos) << eta.err;
}

TEST_F(CliInputs, NonsenseIsRefusedNotFixedUp) {
    const CliResult dup = cli("pretrain --space nb201 --devices pixel3,1080ti_1,pixel3 --out " +
                              q("never.ckpt"));
    EXPECT_EQ(dup.code, 2);
    expect_one_error_line(dup, {"'pixel3' twice"});
    const CliResult txt =
        cli("sample --space nb201 --count 3 --fill-from pixel2 --out " + q("s.txt"));
    EXPECT_EQ(txt.code, 2);
    expect_one_error_line(txt, {"--fill-from", ".json"});
    EXPECT_EQ(count_files("s.txt"), 0);
    // T that leaves nothing to score fails before the pre-training, not after it.
    const CliResult big = cli("experiment --space nb201 --task 0 --samples 15625 --trials 1 "
                              "--source-samples 4 --epochs 1");
    EXPECT_EQ(big.code, 2);
    EXPECT_NE(big.err.find("nasflat: error: --samples 15625"), std::string::npos) << big.err;
    EXPECT_NE(big.err.find("fix: use T <="), std::string::npos) << big.err;
    EXPECT_EQ(big.err.find("[pretrain]"), std::string::npos) << big.err;
}

TEST_F(CliInputs, LatenciesOutsideSafeBoundsAreRefusedAlike) {
    const std::string huge = write("huge.json", "{\"space\": \"nb201\", \"unit\": \"ms\", "
                                                "\"arch_index\": [1, 2, 3], \"latency\": "
                                                "[1.5, 1e307, 2.5]}");
    const std::string secs = write("secs.json", "{\"space\": \"nb201\", \"unit\": \"s\", "
                                                "\"arch_index\": [1, 2, 3], \"latency\": "
                                                "[1.5, 1e306, 2.5]}");
    const std::string one = write("one.json", "{\"space\": \"nb201\", \"unit\": \"ms\", "
                                              "\"arch_index\": [1], \"latency\": [1.5]}");
    const std::string same = write("same.json", "{\"space\": \"nb201\", \"unit\": \"ms\", "
                                                "\"arch_index\": [1, 2], \"latency\": [3, 3]}");
    for (const auto& [f, part] :
         std::vector<std::pair<std::string, std::string>>{{huge, "latency 1e+307 ms is outside"},
                                                          {secs, "latency 1e+306 s is outside"},
                                                          {one, "at least 2"},
                                                          {same, "every latency is the same"}}) {
        const CliResult check = cli("data --check '" + f + "'");
        EXPECT_EQ(check.code, 1) << f;
        expect_one_error_line(check, {part});
        const CliResult t = cli("transfer --checkpoint " + q("pre.ckpt") + " --measurements '" +
                                f + "' --out " + q("never.ckpt"));
        EXPECT_EQ(t.code, 2) << f;
        expect_one_error_line(t, {part});
    }
}

TEST_F(CliInputs, CraftedCheckpointsAreRefusedEarly) {
    const std::string good = slurp(file("pixel2.ckpt"));
    const std::vector<std::pair<std::function<void(nlohmann::json&)>, std::string>> cases = {
        {[](nlohmann::json& h) { h["config"]["head_dims"] = std::vector<int>(100000, 200); },
         "head_dims"},
        {[](nlohmann::json& h) { h["config"]["hidden_dim"] = 16384; },
         "the configuration says"},
        {[](nlohmann::json& h) { h["numel"] = int64_t{1} << 40; }, "do not match the file size"},
        {[](nlohmann::json& h) { h.erase("numel"); }, "lacks config, parameters or numel"},
        {[](nlohmann::json& h) { h["parameters"][3]["shape"] = {1, 2}; }, "parameter 3"},
        {[](nlohmann::json& h) { h["config"]["gate_dim"] = "wide"; }, "gate_dim"},
    };
    int k = 0;
    for (const auto& [edit, part] : cases) {
        const std::string name = "crafted" + std::to_string(k++) + ".ckpt";
        write(name, crafted_checkpoint(good, edit));
        const CliResult r = cli("predict --checkpoint " + q(name) + " --all");
        EXPECT_EQ(r.code, 2) << name;
        expect_one_error_line(r, {name, part});
    }
}

TEST_F(CliInputs, NonFiniteWeightsAreRefused) {
    Predictor p = load_predictor(file("pixel2.ckpt"), Device::CPU);
    std::vector<float> w = p.model->params().values_to_host();
    w[w.size() / 2] = std::nanf("");
    p.model->params().values_from_host(w);
    save_predictor(file("nan.ckpt"), p);
    for (const std::string& verb :
         {"predict --checkpoint " + q("nan.ckpt") + " --all",
          "search --checkpoint " + q("nan.ckpt") + " --latency-max 20",
          "transfer --checkpoint " + q("nan.ckpt") + " --measurements " + q("m.json") +
              " --out " + q("never.ckpt")}) {
        const CliResult r = cli(verb);
        EXPECT_EQ(r.code, 2) << verb;
        expect_one_error_line(r, {"nan.ckpt", "non-finite weights", "lower learning rate"});
    }
}

TEST_F(CliInputs, EndlessInputsAreRefusedNotReadForever) {
    const CliResult ckpt = cli("predict --checkpoint /dev/zero --all");
    EXPECT_EQ(ckpt.code, 2);
    expect_one_error_line(ckpt, {"/dev/zero", "not a nasflat checkpoint"});
    for (const std::string& args :
         {"predict --checkpoint " + q("pixel2.ckpt") + " --archs /dev/zero",
          "transfer --checkpoint " + q("pre.ckpt") + " --measurements /dev/zero --out " +
              q("never.ckpt")}) {
        const CliResult r = cli(args, "NASFLAT_MAX_INPUT_MB=4");  // the checkpoint is ~1.6 MB
        EXPECT_EQ(r.code, 2) << args;
        expect_one_error_line(r, {"/dev/zero", "larger than 4 MiB", "NASFLAT_MAX_INPUT_MB"});
    }
    const CliResult line = cli("predict --checkpoint " + q("pixel2.ckpt"),
                               "head -c 10000000 /dev/zero | tr '\\000' 'a' |");
    EXPECT_EQ(line.code, 2);
    expect_one_error_line(line, {"stdin:1", "longer than 4096 bytes"});
    EXPECT_LT(line.err.size(), 400u);
}

TEST_F(CliInputs, MessagesAreForPeople) {
    // Escape codes and control bytes of a user's line are escaped, not sent to the terminal.
    const CliResult esc = cli("predict --checkpoint " + q("pixel2.ckpt"),
                              "printf '\\033[31mred\\n' |");
    EXPECT_EQ(esc.code, 2);
    expect_one_error_line(esc, {"\\x1b[31mred"});
    EXPECT_EQ(esc.err.find('\033'), std::string::npos);
    // A megabyte key is cut short in the message.
    const std::string key(1 << 20, 'k');
    const CliResult longkey = cli("data --check '" +
                                  write("key.json", "{\"space\": \"nb201\", \"" + key +
                                                        "\": 1, \"unit\": \"ms\"}") +
                                  "'");
    EXPECT_EQ(longkey.code, 1);
    EXPECT_LT(longkey.err.size(), 1200u);
    // No internal [check ...] suffix unless NASFLAT_DEBUG=1 asks for it.
    const std::string both = "predict --checkpoint " + q("pixel2.ckpt") + " --all --archs " +
                             q("m.json");
    const CliResult plain = cli(both);
    EXPECT_EQ(plain.code, 2);
    EXPECT_EQ(plain.err.find("[check"), std::string::npos) << plain.err;
    const CliResult debug = cli(both, "NASFLAT_DEBUG=1");
    EXPECT_NE(debug.err.find("[check"), std::string::npos) << debug.err;
}

TEST_F(CliInputs, ASpaceMismatchGivesAdviceThatIsRight) {
    ASSERT_EQ(cli("pretrain --space fbnet --devices 1080ti_1,pixel3 --source-samples 8 "
                  "--epochs 1 --out " + q("fb.ckpt")).code, 0);
    const CliResult r = cli("transfer --checkpoint " + q("fb.ckpt") + " --measurements " +
                            q("m.json") + " --out " + q("never.ckpt"));
    EXPECT_EQ(r.code, 2);
    expect_one_error_line(r, {"m.json", "fbnet architectures are expected"});
    EXPECT_EQ(r.err.find("write \"space\": \"fbnet\""), std::string::npos)
        << "advice that would break a correct file: " << r.err;
}

TEST(CliExitCodes, ReadmeDocumentsThem) {
    const std::string readme = slurp(std::string(NASFLAT_SOURCE_DIR) + "/README.md");
    for (const char* line : {"| 0 |", "| 1 |", "| 2 |", "anything else"})
        EXPECT_NE(readme.find(line), std::string::npos) << "README lacks the exit code row " << line;
}

}  // namespace
}  // namespace nasflat::nas
