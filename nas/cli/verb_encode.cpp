// verb_encode.cpp — `nasflat encode --space nb201|fbnet --method arch2vec|cate [--out FILE]
// [--seed S] [--epochs N (arch2vec)] [--steps N (cate)] [--lr X (arch2vec)] [--data DIR]`: trains the learned encoding of a
// space (nas/predictor/arch2vec.h, nas/predictor/cate.h), writes it to the encoding cache
// (nas/data/encoding_cache.h) and, with --out, a copy in the same format. Progress on stderr;
// on stdout where the files went, the wall time and the held-out accuracies. Any verb that takes an
// encoding (--supp, --encoding) reads the cached file; with default settings it is the file
// they would otherwise build themselves.
#include <iostream>
#include <memory>

#include "kernels/base/file_io.h"
#include "nas/cli/common.h"
#include "nas/cli/verbs.h"
#include "nas/data/encoding_cache.h"
#include "nas/predictor/arch2vec.h"
#include "nas/predictor/learned_encodings.h"
#include "nas/space/search_space.h"

namespace nasflat::cli {

namespace {

struct Flags {
    std::string data, space, method = "arch2vec", out;
    nas::Arch2VecOptions o;
    nas::CateOptions cate;
};

// CATE: masked op prediction on FLOPs-similar pairs (nas/predictor/cate.h).
void run_cate(const Flags& f, const nas::SearchSpace& ss) {
    const nas::CateOptions& o = f.cate;
    const nas::EncodingKey key =
        nas::encoding_key(ss, "cate", nas::cate_settings(o, f.o.seed));
    const std::string path = nas::encoding_cache_path(key);
    std::fprintf(stderr, "encode: cate on %d %s architectures (%s)\n", ss.size(),
                 f.space.c_str(), nas::cate_settings(o, f.o.seed).c_str());
    nas::CateStats st;
    const nas::Encoding e = nas::train_cate(ss, o, f.o.seed, std::cerr, &st);
    nas::write_encoding_file(path, e, key);
    if (!f.out.empty()) nas::write_encoding_file(f.out, e, key);
    print("wrote %s (%d x %d)\n", path.c_str(), e.size(), e.dim);
    if (!f.out.empty()) print("wrote %s (a copy)\n", f.out.c_str());
    print("training: %.1f s, %d steps, final loss %.5f\n", st.train_seconds, o.steps,
          st.final_loss);
    print("held out %d architectures: masked-op accuracy %.4f (chance %.4f); column variance "
          "%.4f (largest) to %.4f (smallest)\n",
          st.heldout, st.heldout_accuracy, st.chance,
          st.column_variance.empty() ? 0.0 : st.column_variance.front(),
          st.column_variance.empty() ? 0.0 : st.column_variance.back());
}

void run_encode(const Flags& f) {
    const nas::SearchSpace ss =
        nas::SearchSpace::load(nas::resolve_data_dir(f.data), nas::parse_space(f.space));
    if (f.method == "cate") return run_cate(f, ss);
    const nas::EncodingKey key = nas::encoding_key(ss, f.method, f.o.settings());
    const std::string path = nas::encoding_cache_path(key);
    int num_ops = 0;
    const std::vector<models::ArchGraph> graphs = nas::arch2vec_graphs(ss, &num_ops);
    std::fprintf(stderr, "encode: arch2vec on %d %s architectures (%s)\n", ss.size(),
                 f.space.c_str(), f.o.settings().c_str());
    nas::Arch2VecReport r;
    const nas::Encoding e = nas::train_arch2vec(graphs, num_ops, f.o, &r, [&](int epoch, double loss) {
        std::fprintf(stderr, "encode: epoch %d/%d loss %.5f\n", epoch, f.o.epochs, loss);
    });
    nas::write_encoding_file(path, e, key);
    if (!f.out.empty()) nas::write_encoding_file(f.out, e, key);
    print("wrote %s (%d x %d)\n", path.c_str(), e.size(), e.dim);
    if (!f.out.empty()) print("wrote %s (a copy)\n", f.out.c_str());
    print("training: %.1f s, %d epochs, final loss %.5f\n", r.seconds, f.o.epochs,
          r.epoch_loss.empty() ? 0.0 : r.epoch_loss.back());
    print("held out %d architectures: ops accuracy %.4f (chance %.4f), adjacency accuracy %.4f "
          "(chance %.4f)\n",
          r.num_heldout, r.ops_accuracy, r.ops_chance, r.adj_accuracy, r.adj_chance);
}

}  // namespace

void register_encode(CLI::App& app) {
    auto flags = std::make_shared<Flags>();
    Flags& f = *flags;
    CLI::App* v = app.add_subcommand("encode", "train a learned architecture encoding (arch2vec "
                                               "or cate) and write it to the encoding cache");
    add_data_option(*v, f.data);
    add_space_option(*v, f.space, false);
    v->add_option("--method", f.method, "the learned encoding: arch2vec or cate (caz joins "
                                        "both with the proxies when a verb reads it)")
        ->check(CLI::IsMember({"arch2vec", "cate"}))
        ->capture_default_str();
    v->add_option("--out", f.out, "also write a copy of the encoding file here");
    v->add_option("--steps", f.cate.steps, "cate: training steps (batches of pairs)")
        ->check(CLI::Range(1, 10000000))
        ->capture_default_str();
    v->add_option("--epochs", f.o.epochs, "arch2vec: training epochs")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    v->add_option("--lr", f.o.lr, "arch2vec: AdamW learning rate")
        ->check(finite_in(0.0, 1.0, true))
        ->capture_default_str();
    add_seed_option(*v, f.o.seed);
    v->callback([flags] { run_encode(*flags); });
}

}  // namespace nasflat::cli
