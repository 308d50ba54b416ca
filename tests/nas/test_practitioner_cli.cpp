// test_practitioner_cli.cpp — the practitioner's loop through the built binary: pretrain ->
// sample -> transfer -> predict -> search on NB201 and FBNet with tiny settings, every verb's
// --help, and the bad paths (one "nasflat: error:" line, exit 2). Also the predictor library
// (nas/predictor/predictor.h): determinism, save/load, a new device row.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "nas/predictor/transfer.h"
#include "tests/nas/cli_test_util.h"
#include "tests/nas/nas_test_util.h"

namespace nasflat::nas {
namespace {

using testing::TempDir;

std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
}

int count_lines(const std::string& text) {
    return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

TEST(PractitionerCli, EveryVerbHasHelp) {
    const std::vector<std::pair<std::string, std::vector<std::string>>> verbs = {
        {"pretrain", {"--task", "--devices", "--out", "--source-samples", "--config"}},
        {"sample", {"--count", "--sampler", "--pool", "--encoding", "--out"}},
        {"transfer", {"--checkpoint", "--measurements", "--folds", "--calibration", "--plot"}},
        {"predict", {"--archs", "--all", "--batch", "--out", "--truth", "--threads"}},
        {"search",
         {"--latency-max", "--mode", "--objective", "--truth", "--generations", "--threads"}},
        {"experiment", {"--plot", "--protocol", "--samples"}}};
    for (const auto& [verb, options] : verbs) {
        const CliResult r = run_cli(verb + " --help");
        EXPECT_EQ(r.code, 0) << verb;
        for (const auto& o : options) EXPECT_TRUE(has(r.out, o)) << verb << " lacks " << o;
    }
}

// One tiny NB201 predictor for the whole suite: pre-trained on two devices, transferred to
// pixel2 from 8 simulated measurements.
class Nb201Loop : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        data_ = testing::real_data();
        if (data_.empty()) return;
        dir_ = new TempDir();
        const CliResult pre =
            cli("pretrain --space nb201 --devices 1080ti_1,pixel3 "
                "--source-samples 30 --epochs 1 --out " +
                path("pre.ckpt"));
        ASSERT_EQ(pre.code, 0) << pre.err;
        const CliResult s =
            cli("sample --space nb201 --count 8 --sampler kmeancosine "
                "--fill-from pixel2 --seed 3 --out " +
                path("m.json"));
        ASSERT_EQ(s.code, 0) << s.err;
        const CliResult t = cli("transfer --checkpoint " + path("pre.ckpt") + " --measurements " +
                                path("m.json") + " --name pixel2 --epochs 2 --folds 2 --plot " +
                                path("t.svg") + " --out " + path("pixel2.ckpt"));
        ASSERT_EQ(t.code, 0) << t.err;
        transfer_out_ = new std::string(t.out);
    }
    static void TearDownTestSuite() {
        delete dir_;
        delete transfer_out_;
        dir_ = nullptr;
        transfer_out_ = nullptr;
    }
    void SetUp() override {
        if (data_.empty()) GTEST_SKIP() << "data folder not found";
    }
    static std::string path(const std::string& name) {
        return "'" + dir_->path() + "/" + name + "'";
    }
    static std::string file(const std::string& name) { return dir_->path() + "/" + name; }
    static CliResult cli(const std::string& args, const std::string& prefix = "") {
        return run_cli(args + " --data '" + data_ + "'", prefix);
    }
    static std::string data_;
    static TempDir* dir_;
    static std::string* transfer_out_;
};
std::string Nb201Loop::data_;
TempDir* Nb201Loop::dir_ = nullptr;
std::string* Nb201Loop::transfer_out_ = nullptr;

TEST_F(Nb201Loop, SampleWritesAMeasurementFile) {
    const nlohmann::json m = nlohmann::json::parse(read_file(file("m.json")));
    EXPECT_EQ(m["space"], "nb201");
    EXPECT_EQ(m["arch_index"].size(), 8u);
    EXPECT_EQ(m["latency"].size(), 8u);
    EXPECT_EQ(m["device"], "pixel2");
    // Same seed, same choice; text output on stdout; a pool restricts the choice.
    const CliResult a = cli("sample --space nb201 --count 5 --sampler random --seed 9");
    const CliResult b = cli("sample --space nb201 --count 5 --sampler random --seed 9");
    EXPECT_EQ(a.code, 0) << a.err;
    EXPECT_EQ(a.out, b.out);
    EXPECT_EQ(count_lines(a.out), 6);  // comment + 5 archs
    TempDir d;
    const std::string pool = d.write("pool.txt", "1\n2\n3\n4\n");
    const CliResult p = run_cli(
        "sample --space nb201 --count 4 --sampler kmeans --encoding "
        "onehot --pool '" +
        pool + "' --out '" + d.path() + "/c.txt' --data '" + data_ + "'");
    EXPECT_EQ(p.code, 0) << p.err;
    std::istringstream chosen(read_file(d.path() + "/c.txt"));
    std::vector<int> got;
    for (int v; chosen >> v;) got.push_back(v);
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, (std::vector<int>{1, 2, 3, 4}));
}

TEST_F(Nb201Loop, TransferReportsCrossValidationAndWritesAPlot) {
    EXPECT_TRUE(has(*transfer_out_, "2-fold cross-validation on the samples: Spearman"))
        << *transfer_out_;
    EXPECT_TRUE(has(*transfer_out_, "calibration: isotonic")) << *transfer_out_;
    EXPECT_EQ(read_file(file("t.svg")).rfind("<svg", 0), 0u);
    const Predictor p = load_predictor(file("pixel2.ckpt"), Device::CPU);
    EXPECT_EQ(p.info.target, "pixel2");
    EXPECT_TRUE(p.info.calibration.fitted());
    EXPECT_EQ(p.info.transfer["samples"], 8);
    EXPECT_EQ(p.info.sources, (std::vector<std::string>{"1080ti_1", "pixel3"}));
}

TEST_F(Nb201Loop, PredictFromFilesStdinAndTheWholeSpace) {
    TempDir d;
    const std::string list = d.write("archs.txt", "# two cells\n0\n3,3,3,1,1,1\n");
    const CliResult csv =
        cli("predict --checkpoint " + path("pixel2.ckpt") + " --archs '" + list + "'");
    ASSERT_EQ(csv.code, 0) << csv.err;
    EXPECT_EQ(csv.out.rfind("index,arch,score,latency_ms\n0,|", 0), 0u) << csv.out;
    EXPECT_EQ(count_lines(csv.out), 3);
    EXPECT_TRUE(has(csv.err, "archs/s")) << csv.err;
    // --tf32 only changes GPU products: on the CPU a note says so and the numbers stay.
    const CliResult tf32 = cli("predict --checkpoint " + path("pixel2.ckpt") + " --archs '" + list +
                               "' --device cpu --tf32");
    ASSERT_EQ(tf32.code, 0) << tf32.err;
    EXPECT_EQ(tf32.out, csv.out);
    EXPECT_TRUE(has(tf32.err, "nasflat: note: --tf32 applies to GPU products only")) << tf32.err;
    // The same cells streamed through stdin, as JSON lines.
    const CliResult jl =
        cli("predict --checkpoint " + path("pixel2.ckpt") + " --format jsonl --batch 1",
            "printf '0\\n\\n3,3,3,1,1,1\\n' |");
    ASSERT_EQ(jl.code, 0) << jl.err;
    std::istringstream lines(jl.out);
    std::string line;
    std::vector<nlohmann::json> rows;
    while (std::getline(lines, line)) rows.push_back(nlohmann::json::parse(line));
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0]["index"], 0);
    EXPECT_GT(rows[1]["latency_ms"].get<double>(), 0.0);
    // Same numbers as the CSV (7 significant digits).
    EXPECT_TRUE(has(csv.out, std::to_string(rows[1]["index"].get<int>()) + ","));
    // The whole space to a file, compared with the device's measurements.
    // (--batch 700 as below: a row's last bits may depend on its place in a batch, through
    // the GEMM's blocking, e.g. in an AVX2 build.)
    const CliResult all =
        cli("predict --checkpoint " + path("pixel2.ckpt") + " --all --batch 700 --out " +
            path("all.jsonl") + " --truth pixel2 --plot " + path("p.svg"));
    ASSERT_EQ(all.code, 0) << all.err;
    EXPECT_EQ(count_lines(read_file(file("all.jsonl"))), 15625);
    EXPECT_TRUE(has(all.err, "(8 fitted ones left out): Spearman")) << all.err;
    EXPECT_EQ(read_file(file("p.svg")).rfind("<svg", 0), 0u);
    // CPU scoring threads split the batches, not the numbers: the same bytes for any count,
    // and the same as the file written above.
    const std::string base = "predict --checkpoint " + path("pixel2.ckpt") +
                             " --all --device cpu --format jsonl --batch 700 --threads ";
    const CliResult one = cli(base + "1"), three = cli(base + "3");
    ASSERT_EQ(three.code, 0) << three.err;
    EXPECT_EQ(three.out, one.out);
    EXPECT_EQ(three.out, read_file(file("all.jsonl")));
}

// README "Follow one prediction" and verb_predict.cpp's header quote this prediction of the
// suite's predictor (built by the same commands): keep the numbers honest.
TEST_F(Nb201Loop, FollowOnePredictionAsDocumented) {
    const std::string arch =
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|skip_connect~1|skip_"
        "connect~2|";
    const CliResult r = cli("predict --checkpoint " + path("pixel2.ckpt") + " --format jsonl",
                            "echo '" + arch + "' |");
    ASSERT_EQ(r.code, 0) << r.err;
    const nlohmann::json got = nlohmann::json::parse(r.out);
    const std::string root = std::string(NASFLAT_NAS_FIXTURES) + "/../../..";
    for (const std::string& doc : {root + "/README.md", root + "/nas/cli/verb_predict.cpp"}) {
        const std::string text = read_file(doc);
        const size_t at = text.find("{\"index\":10636");
        ASSERT_NE(at, std::string::npos) << doc << " does not quote the prediction";
        const nlohmann::json quoted =
            nlohmann::json::parse(text.substr(at, text.find('\n', at) - at));
        EXPECT_EQ(quoted["arch"], arch);
        // Builds differ in the last float bits (vector widths, -O levels): 1e-3 relative.
        for (const char* key : {"score", "latency_ms"}) {
            const double want = quoted[key].get<double>(), have = got[key].get<double>();
            EXPECT_NEAR(have, want, 1e-3 * std::max(1.0, std::fabs(want))) << doc << " " << key;
        }
    }
}

TEST_F(Nb201Loop, SearchEnumeratesAndEvolves) {
    // The whole space once (15625 cells), then candidate lists (cheap under the sanitizers).
    TempDir d;
    std::string some;
    for (int a = 0; a < 15625; a += 61) some += std::to_string(a) + "\n";
    const std::string cand = d.write("cand.txt", some);
    const CliResult e = cli("search --checkpoint " + path("pixel2.ckpt") +
                            " --latency-max 14 30 --json " + path("s.json"));
    ASSERT_EQ(e.code, 0) << e.err;
    EXPECT_TRUE(has(e.out, "true latency from pixel2")) << e.out;
    const nlohmann::json j = nlohmann::json::parse(read_file(file("s.json")));
    ASSERT_EQ(j["choices"].size(), 2u);
    for (const auto& c : j["choices"]) {
        EXPECT_LE(c["predicted_ms"].get<double>(), c["latency_max_ms"].get<double>());
        // The true optimum is never beaten by a choice that truly keeps the limit.
        if (c["within_limit_in_truth"].get<bool>()) {
            EXPECT_GE(c["regret"].get<double>(), 0.0);
        }
        EXPECT_EQ(c["evaluated"], 15625);
    }
    const CliResult few = cli("search --checkpoint " + path("pixel2.ckpt") + " --candidates '" +
                              cand + "' --latency-max 14 --json " + path("few.json"));
    ASSERT_EQ(few.code, 0) << few.err;
    const nlohmann::json fj = nlohmann::json::parse(read_file(file("few.json")))["choices"][0];
    EXPECT_EQ(fj["evaluated"], 257);
    EXPECT_EQ(fj["arch_index"].get<int>() % 61, 0);  // one of the candidates
    // A user's objective file: only the listed cells count; the best within the limit wins.
    const std::string obj = d.write("obj.json",
                                    "{\"space\": \"nb201\", \"arch_index\": [0, 1, 2], "
                                    "\"values\": [1, 3, 2]}");
    const CliResult u = cli("search --checkpoint " + path("pixel2.ckpt") +
                            " --latency-max 1000 "
                            "--candidates '" +
                            cand + "' --objective '" + obj + "' --json " + path("u.json"));
    ASSERT_EQ(u.code, 0) << u.err;
    // Of the candidates (multiples of 61), only cell 0 has an objective value.
    EXPECT_EQ(nlohmann::json::parse(read_file(file("u.json")))["choices"][0]["arch_index"], 0);
    const CliResult u2 = cli("search --checkpoint " + path("pixel2.ckpt") +
                             " --latency-max 1000 "
                             "--candidates '" +
                             d.write("c3.txt", "0\n1\n2\n") + "' --objective '" + obj +
                             "' --json " + path("u2.json"));
    ASSERT_EQ(u2.code, 0) << u2.err;
    EXPECT_EQ(nlohmann::json::parse(read_file(file("u2.json")))["choices"][0]["arch_index"], 1);
    const CliResult bad = cli("search --checkpoint " + path("pixel2.ckpt") +
                              " --latency-max 10 "
                              "--objective '" +
                              d.write("b.json",
                                      "{\"space\": \"nb201\", "
                                      "\"arch_index\": [0, 1], \"values\": [1]}") +
                              "'");
    EXPECT_EQ(bad.code, 2);
    expect_one_error_line(bad, {"b.json", "values", "1 values for 2 architectures"});
    const CliResult v =
        cli("search --checkpoint " + path("pixel2.ckpt") +
            " --latency-max 30 --mode evolution --generations 3 --objective params");
    ASSERT_EQ(v.code, 0) << v.err;
    EXPECT_TRUE(has(v.out, "search (evolution)")) << v.out;
}

TEST_F(Nb201Loop, BadCheckpointsAreRefused) {
    TempDir d;
    std::string bytes = read_file(file("pixel2.ckpt"));
    std::string corrupt = bytes;
    corrupt[bytes.size() / 2] ^= 0x40;
    const std::string c = d.write("corrupt.ckpt", corrupt);
    const std::string t = d.write("cut.ckpt", bytes.substr(0, bytes.size() / 3));
    const std::string n = d.write("not.ckpt", "hello");
    for (const auto& [f, why] : std::vector<std::pair<std::string, std::string>>{
             {c, "corrupt"}, {t, "corrupt"}, {n, "not a nasflat checkpoint"}}) {
        const CliResult r = cli("predict --all --checkpoint '" + f + "'");
        EXPECT_EQ(r.code, 2) << f;
        expect_one_error_line(r, {f, why});
    }
    // A pre-trained checkpoint has no target until transfer (but its sources can be asked).
    const CliResult pre = cli("predict --all --checkpoint " + path("pre.ckpt"));
    EXPECT_EQ(pre.code, 2);
    expect_one_error_line(pre, {"not fitted to a device", "nasflat transfer"});
    const CliResult src =
        cli("predict --checkpoint " + path("pre.ckpt") + " --target-device pixel3", "echo 5 |");
    EXPECT_EQ(src.code, 0) << src.err;
    EXPECT_TRUE(has(src.out, "\n5,|")) << src.out;
    EXPECT_TRUE(has(src.err, "no ms")) << src.err;
    const CliResult search = cli("search --checkpoint " + path("pre.ckpt") + " --latency-max 10");
    EXPECT_EQ(search.code, 2);
    expect_one_error_line(search, {"no calibrated target device"});
}

TEST_F(Nb201Loop, BadInputsGiveOneLineErrors) {
    TempDir d;
    const std::string fb = testing::fixture("meas_fbnet_good.json");
    const std::string same = d.write("same.json",
                                     "{\"space\": \"nb201\", \"arch_index\": [1, 2, 3], "
                                     "\"unit\": \"ms\", \"latency\": [5, 5, 5]}");
    const std::string bad_line = d.write("bad.txt", "0\nnot_an_arch\n");
    const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
        {"pretrain --space nb201 --task 0 --devices pixel3 --out x.ckpt",
         {"--task", "not both"}},
        {"pretrain --space nb201 --devices pixel3,nosuch --out " + path("x.ckpt"), {"nosuch"}},
        {"pretrain --space nb201 --task 0 --out x.txt", {"x.txt", ".ckpt"}},
        {"pretrain --space nb201 --task F1 --out x.ckpt", {"fbnet task"}},
        {"sample --space nb201 --count 3 --sampler latency", {"TRUE latency"}},
        {"sample --space nb201 --count 9 --pool '" + d.write("p.txt", "1\n2\n") + "'",
         {"only 2 candidate"}},
        {"sample --space nb201 --count 3 --sampler magic", {"magic"}},
        {"transfer --checkpoint " + path("pre.ckpt") + " --measurements '" + fb + "' --out " +
             path("y.ckpt"),
         {"meas_fbnet_good.json"}},
        {"transfer --checkpoint " + path("pre.ckpt") + " --measurements '" + same + "' --out " +
             path("y.ckpt"),
         {"same.json", "every latency is the same"}},
        {"transfer --checkpoint " + path("pre.ckpt") + " --measurements " + path("m.json") +
             " --calibration spline --out " + path("y.ckpt"),
         {"--calibration", "isotonic,linear"}},
        {"predict --checkpoint " + path("pixel2.ckpt") + " --archs '" + bad_line + "'",
         {"bad.txt:2"}},
        {"predict --checkpoint " + path("pixel2.ckpt") + " --all --out x.xml", {"x.xml", ".csv"}},
        {"predict --checkpoint " + path("pixel2.ckpt") + " --all --archs '" + bad_line + "'",
         {"not both"}},
        {"predict --checkpoint " + path("pixel2.ckpt") + " --all --plot x.svg", {"--truth"}},
        {"predict --checkpoint " + path("pixel2.ckpt") + " --all --threads -2", {"--threads"}},
        {"search --checkpoint " + path("pixel2.ckpt") + " --latency-max 10 --mode magic",
         {"enumerate or evolution"}},
        {"search --checkpoint " + path("pixel2.ckpt") + " --latency-max -3", {"-3"}},
        {"search --checkpoint " + path("pixel2.ckpt") +
             " --latency-max 10 --objective accuracy:nope",
         {"nope"}},
        {"search --checkpoint /no/such.ckpt --latency-max 10", {"/no/such.ckpt"}},
    };
    for (const auto& [args, parts] : cases) {
        const CliResult r = cli(args);
        EXPECT_EQ(r.code, 2) << args << "\n" << r.out << r.err;
        expect_one_error_line(r, parts);
    }
    // A bad line on stdin stops the stream with its line number.
    const CliResult s = cli("predict --checkpoint " + path("pixel2.ckpt") + " --batch 1",
                            "printf '0\\nbogus\\n' |");
    EXPECT_EQ(s.code, 2);
    EXPECT_TRUE(has(s.out, "\n0,|")) << s.out;  // the first row was already written
    expect_one_error_line(s, {"stdin:2"});
}

TEST(PractitionerCliFbnet, LoopWithEvolutionOverTheFullSpace) {
    const std::string data = testing::real_data();
    if (data.empty()) GTEST_SKIP() << "data folder not found";
    TempDir d;
    const std::string q = " --data '" + data + "'";
    const std::string pre = d.path() + "/f.ckpt", m = d.path() + "/m.json",
                      t = d.path() + "/t.ckpt";
    ASSERT_EQ(run_cli("pretrain --space fbnet --devices gold_6240,pixel3 --config fixed "
                      "--source-samples 20 --epochs 1 --out '" +
                      pre + "'" + q)
                  .code,
              0);
    ASSERT_EQ(run_cli("sample --space fbnet --count 6 --sampler random --fill-from raspi4 --out '" +
                      m + "'" + q)
                  .code,
              0);
    const CliResult tr = run_cli("transfer --checkpoint '" + pre + "' --measurements '" + m +
                                 "' --folds 0 --epochs 2 --name my_board --out '" + t + "'" + q);
    ASSERT_EQ(tr.code, 0) << tr.err;
    EXPECT_TRUE(has(tr.out, "no cross-validation")) << tr.out;
    // FBNet op lists hold commas: quoted in CSV.
    const CliResult p = run_cli("predict --checkpoint '" + t + "'" + q, "echo 17 |");
    ASSERT_EQ(p.code, 0) << p.err;
    EXPECT_TRUE(has(p.out, "\n17,\"")) << p.out;
    // A new device name got a new row; search by evolution over the 9^22 space with params.
    const Predictor loaded = load_predictor(t, Device::CPU);
    EXPECT_EQ(loaded.info.row_of("my_board"), 27);
    const CliResult s = run_cli("search --checkpoint '" + t +
                                "' --mode evolution --objective "
                                "params --generations 4 --latency-max 1000" +
                                q);
    ASSERT_EQ(s.code, 0) << s.err;
    EXPECT_TRUE(has(s.out, "search (evolution) on my_board, objective params")) << s.out;
    const CliResult acc = run_cli("search --checkpoint '" + t + "' --latency-max 10" + q);
    EXPECT_EQ(acc.code, 2);
    expect_one_error_line(acc, {"accuracies for NB201 only"});
}

// The library under the verbs: determinism, save/load, a transfer to a new device.
TEST(Predictor, DeterministicSaveLoadAndNewDeviceRow) {
    const std::string data = testing::real_data();
    if (data.empty()) GTEST_SKIP() << "data folder not found";
    auto ctx = SpaceContext::load(data, Space::NB201, GraphMode::Reference);
    PretrainRecipe o;
    o.source_samples = 12;
    o.epochs = 1;
    std::ostringstream log;
    const Predictor a = pretrain_predictor(o, *ctx, {"1080ti_1", "pixel3"}, log);
    const Predictor b = pretrain_predictor(o, *ctx, {"1080ti_1", "pixel3"}, log);
    EXPECT_EQ(a.model->params().values_to_host(), b.model->params().values_to_host());
    TempDir d;
    save_predictor(d.path() + "/a.ckpt", a);
    Predictor c = load_predictor(d.path() + "/a.ckpt", Device::CPU);
    EXPECT_EQ(c.model->params().values_to_host(), a.model->params().values_to_host());
    EXPECT_EQ(c.info.devices, ctx->device_names());
    Measurements m;
    m.space = Space::NB201;
    m.unit = "us";
    m.file = "mem";
    m.arch_index = {1, 50, 300, 4000, 9000, 12000};
    m.values = {4000, 9000, 5000, 12000, 7000, 15000};  // us
    TransferOptions t;
    t.epochs = 2;
    t.folds = 3;
    const TransferReport r = transfer_predictor(c, *ctx, m, "my_board", t, log);
    EXPECT_EQ(r.row, static_cast<int>(ctx->device_names().size()));
    EXPECT_EQ(c.info.devices.back(), "my_board");
    EXPECT_EQ(r.folds, 3);
    EXPECT_TRUE(std::isfinite(r.cv_spearman));
    // Calibrated in ms (the file was in us), within the measured range at the samples' scores.
    // predictor_scores rounds to float what the calibration saw in double: at the ends of the
    // range that can step a hair outside and extrapolate by slope * 1e-7 or so, hence 1e-5.
    const std::vector<float> s = predictor_scores(c, *ctx, m.arch_index, r.row, 64);
    for (float v : s) {
        EXPECT_GE(c.info.calibration(v), 4.0 * (1 - 1e-5));
        EXPECT_LE(c.info.calibration(v), 15.0 * (1 + 1e-5));
    }
}

TEST(Predictor, StoresAndChecksTheSupplementaryEncodingsNormalisation) {
    const std::string data = testing::real_data();
    if (data.empty()) GTEST_SKIP() << "data folder not found";
    auto ctx = SpaceContext::load(data, Space::NB201, GraphMode::Reference);
    PretrainRecipe o;
    o.source_samples = 0;  // weights do not matter here
    o.supp = "params";
    std::ostringstream log;
    Predictor p = pretrain_predictor(o, *ctx, {"pixel3"}, log);
    ASSERT_EQ(p.info.supp_normalisation.size(), 1u);
    EXPECT_EQ(p.info.supp_normalisation[0]["kind"], "log1p_minmax");
    EXPECT_GT(p.info.supp_normalisation[0]["scale"].get<double>(), 0.0);
    TempDir d;
    save_predictor(d.path() + "/ok.ckpt", p);
    const Predictor ok = load_predictor(d.path() + "/ok.ckpt", Device::CPU);
    EXPECT_NO_THROW(load_predictor_context(data, ok));
    // Constants that no longer match the data folder are refused.
    p.info.supp_normalisation[0]["scale"] = 2 * p.info.supp_normalisation[0]["scale"].get<double>();
    save_predictor(d.path() + "/bad.ckpt", p);
    const Predictor bad = load_predictor(d.path() + "/bad.ckpt", Device::CPU);
    testing::expect_error([&] { load_predictor_context(data, bad); },
                          {"'params' encoding", "other constants"});
}

}  // namespace
}  // namespace nasflat::nas
