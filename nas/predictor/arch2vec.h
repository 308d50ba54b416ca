// arch2vec.h — the arch2vec learned architecture encoding (Yan et al., NeurIPS 2020): a
// variational graph autoencoder trained without labels on the architectures of a space.
// Dims: G graphs, n nodes per graph, N = G n nodes of a batch, K op vocabulary, H hidden,
// L latent (32), P node pairs (i < j) of a batch.
//
// Input graphs: the space's Fixed graphs (space/arch_graph.h; NB201 8 nodes, FBNet its 24-node
// chain), whatever graph mode the caller trains the predictor with, so one encoding serves both.
// Model:
//   x (N, K + n): one-hot op, then one-hot position of the node in its graph (without it, nodes
//     of equal op and neighbourhood get equal latents, and z_i . z_j > 0 decodes them as joined);
//   GIN encoder, `layers` layers: h' = relu(W2 relu(W1 ((1 + eps) h + sum of neighbours))),
//     eps = 0 (fixed), neighbours in both directions (the DAG's adjacency made symmetric);
//   mu = W_mu h + b, logvar = W_lv h + b (N, L); z = mu + exp(logvar / 2) * noise (seeded);
//   adjacency decoder sigmoid(z_i . z_j) for every pair i < j of a graph (nodes are in
//     topological order, so the upper triangle is the directed adjacency);
//   op decoder softmax(W_op z + b) (N, K).
// Loss (the weighting of arch2vec's reference code): BCE(adjacency, pairs mean) + CE(ops, nodes
//   mean) + KL / n, KL = -1/2 mean over nodes of sum over latent dims of
//   (1 + logvar - mu^2 - exp(logvar)). BCE with logits s: softplus(s) - y s (stable).
// Encoding of an architecture: the mean over its nodes of mu (L = 32 columns z0..z31).
// Training: AdamW (no weight decay), batches of shuffled archs; a seeded 10 % of the archs is
// held out of training and scores the reconstruction (decoding mu, threshold 0.5); every arch,
// held out or not, gets its encoding. Same seed, same bits on the CPU.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "models/arch_graph.h"
#include "nas/data/encoding.h"
#include "nas/data/encoding_cache.h"
#include "nas/space/search_space.h"

namespace nasflat::nas {

struct Arch2VecOptions {
    uint64_t seed = kEncodingSeed;
    // 100 epochs: NB201 ~1.5 min, FBNet ~3.5 min on one core of a shared 2-core CPU.
    int epochs = 100;
    int layers = 3;   // GIN layers
    int hidden = 64;  // H
    int latent = 32;  // L
    int batch = 128;  // graphs per step
    float lr = 1e-3f;
    float holdout = 0.1f;  // fraction of archs held out of training (reconstruction scores)
    // Settings as one line; the cache file name hashes it.
    std::string settings() const;
};

struct Arch2VecReport {
    std::vector<double> epoch_loss;  // mean training loss per epoch
    double ops_accuracy = 0;         // held-out nodes whose op decodes right
    double adj_accuracy = 0;         // held-out pairs i < j whose edge/no-edge decodes right
    double ops_chance = 0;           // the most frequent op's share among held-out nodes
    double adj_chance = 0;           // the majority class's share among held-out pairs
    int num_heldout = 0;
    double seconds = 0;  // training wall time
};

// Progress: called after each epoch with (epoch 1-based, mean loss).
using Arch2VecProgress = std::function<void(int, double)>;

// Trains on `graphs` (all with the same number of nodes, K = `num_ops`) and returns the encoding
// (G, L) named "arch2vec". Throws on empty input or bad options.
Encoding train_arch2vec(const std::vector<models::ArchGraph>& graphs, int num_ops,
                        const Arch2VecOptions& options, Arch2VecReport* report = nullptr,
                        const Arch2VecProgress& progress = nullptr);

// The Fixed graphs of every architecture of `ss` and their op vocabulary size.
std::vector<models::ArchGraph> arch2vec_graphs(const SearchSpace& ss, int* num_ops);

// The arch2vec encoding of `ss` with `options`: read from the cache (data/encoding_cache.h) when
// a matching file exists, else trained (one line on stderr saying so, and that `nasflat encode`
// prebuilds it) and written there. A corrupt or mismatching cache file is an error.
Encoding load_or_build_arch2vec(const SearchSpace& ss, const Arch2VecOptions& options = {});

// (Any encoding by name, learned or not: predictor/learned_encodings.h.)

}  // namespace nasflat::nas
