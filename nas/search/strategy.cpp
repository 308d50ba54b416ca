// strategy.cpp — see strategy.h.
#include "nas/search/strategy.h"

#include <cmath>
#include <deque>
#include <set>

#include "kernels/base/check.h"
#include "kernels/base/rng.h"

namespace nasflat::nas {

int best_under(const std::vector<double>& latency_ms, const std::vector<double>& objective,
               double limit) {
    NASFLAT_CHECK(latency_ms.size() == objective.size(), "best_under: ", latency_ms.size(),
                  " latencies for ", objective.size(), " objective values");
    int best = -1;
    for (size_t i = 0; i < latency_ms.size(); ++i) {
        if (!(latency_ms[i] <= limit) || std::isnan(objective[i])) continue;
        if (best < 0 || objective[i] > objective[best] ||
            (objective[i] == objective[best] && latency_ms[i] < latency_ms[best])) {
            best = static_cast<int>(i);
        }
    }
    return best;
}

namespace {

struct Member {
    std::vector<int> ops;
    double objective = 0, latency = 0;
};

}  // namespace

EvolutionResult evolve(int positions, int vocab, double limit, const BatchLatency& latency,
                       const Objective& objective, const EvolutionOptions& o) {
    NASFLAT_CHECK(positions >= 1 && vocab >= 2, "evolve: need >= 1 position and >= 2 ops");
    NASFLAT_CHECK(o.population >= 2 && o.tournament >= 1 && o.tournament <= o.population &&
                      o.children >= 1 && o.generations >= 0,
                  "evolution: population >= 2, 1 <= tournament <= population, children >= 1 "
                  "and generations >= 0 required");
    Rng rng(o.seed);
    EvolutionResult r;
    std::set<std::vector<int>> seen;
    std::deque<Member> pop;
    auto consider = [&](const std::vector<std::vector<int>>& batch) {
        if (batch.empty()) return;
        const std::vector<double> lat = latency(batch);
        NASFLAT_CHECK(lat.size() == batch.size(), "evolve: latency returned ", lat.size(),
                      " values for ", batch.size(), " op lists");
        r.evaluated += static_cast<int64_t>(batch.size());
        for (size_t i = 0; i < batch.size(); ++i) {
            if (!(lat[i] <= limit)) continue;
            const double obj = objective(batch[i]);
            if (std::isnan(obj)) continue;
            pop.push_back({batch[i], obj, lat[i]});
            if (static_cast<int>(pop.size()) > o.population) pop.pop_front();
            if (r.best_ops.empty() || obj > r.best_objective ||
                (obj == r.best_objective && lat[i] < r.best_latency_ms)) {
                r.best_ops = batch[i];
                r.best_objective = obj;
                r.best_latency_ms = lat[i];
            }
        }
    };
    auto random_ops = [&] {
        std::vector<int> ops(positions);
        for (int& v : ops) v = static_cast<int>(rng.below(static_cast<uint64_t>(vocab)));
        return ops;
    };
    // Initial population: random op lists until it is full (at most 50 batches).
    for (int tries = 0; static_cast<int>(pop.size()) < o.population && tries < 50; ++tries) {
        std::vector<std::vector<int>> batch;
        for (int i = 0; i < o.children; ++i) {
            std::vector<int> ops = random_ops();
            if (seen.insert(ops).second) batch.push_back(std::move(ops));
        }
        consider(batch);
    }
    for (int g = 0; g < o.generations && !pop.empty(); ++g) {
        std::vector<std::vector<int>> batch;
        for (int c = 0; c < o.children; ++c) {
            for (int attempt = 0; attempt < 20; ++attempt) {
                // Tournament: the best of `tournament` uniformly drawn members.
                const Member* parent = nullptr;
                for (int t = 0; t < o.tournament; ++t) {
                    const Member& m = pop[rng.below(pop.size())];
                    if (parent == nullptr || m.objective > parent->objective) parent = &m;
                }
                std::vector<int> child = parent->ops;
                const int pos = static_cast<int>(rng.below(static_cast<uint64_t>(positions)));
                const int shift = 1 + static_cast<int>(rng.below(static_cast<uint64_t>(vocab - 1)));
                child[pos] = (child[pos] + shift) % vocab;
                if (seen.insert(child).second) {
                    batch.push_back(std::move(child));
                    break;
                }
            }
        }
        consider(batch);
        r.best_by_generation.push_back(r.best_ops.empty() ? std::nan("") : r.best_objective);
    }
    return r;
}

}  // namespace nasflat::nas
