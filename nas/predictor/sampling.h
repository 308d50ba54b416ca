// sampling.h — which architectures to measure on a device: the samplers of samplers/ given what
// they read from the data folder (an encoding's rows, #params, or the measured latency for the
// oracle), and the choice `nasflat sample` makes for a new device: among the whole space or a
// pool the user can measure, a fresh draw, or more architectures farthest (in an encoding) from
// those already measured. A data-folder device can stand in for the measurement (fill_from: a
// simulated measurement, for walk-throughs and benchmarks; the candidates are then the
// architectures it covers).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/base/rng.h"
#include "nas/data/device_data.h"
#include "nas/data/encoding.h"
#include "nas/predictor/space_context.h"
#include "nas/space/search_space.h"
#include "samplers/samplers.h"

namespace nasflat::nas {

// Draws `count` of `candidates` with a sampler (samplers/samplers.h), giving it what it reads:
// the rows of `encoding` for the feature samplers, #params for `params`, and `latency` (by arch
// index, NaN = not measured: the oracle's truth) for `latency`.
std::vector<int32_t> sample_archs(samplers::Method method, int count,
                                  std::vector<int32_t> candidates, const SearchSpace& ss,
                                  const Encoding* encoding, const std::vector<double>* latency,
                                  Rng& rng);

// A sampler as the experiment and lodo verbs name it: a samplers/ method, or "method:encoding"
// for a feature sampler reading that encoding (e.g. kmeancosine:caz). encoding is the named one,
// else default_encoding for a feature sampler, else "". A bad spec -> one-line error.
struct SamplerSpec {
    std::string method, encoding;
};
SamplerSpec parse_sampler_spec(const std::string& spec, const std::string& default_encoding);

// `count` of the archs measured on `target`, chosen by the sampler `spec` (parse_sampler_spec;
// its encoding from ctx, the latency oracle's truth from the target).
std::vector<int32_t> sample_measured(const std::string& spec, const std::string& default_encoding,
                                     SpaceContext& ctx, const DeviceData& target, int count,
                                     Rng& rng);

struct SampleRequest {
    std::string sampler = "kmeancosine";  // a samplers/ method (latency only with fill_from)
    std::string encoding = "zcp";         // what the feature samplers and `more` read
    int count = 20;
    std::string pool;       // choose only among these (a JSON or text arch list; "" = the space)
    int more = 0;           // > 0: this many more, farthest-first from the archs of `measured`
    std::string measured;   // a measurement file or arch list (with `more`)
    std::string fill_from;  // a data-folder device whose values are copied
    std::string metric = "latency";  // what fill_from copies: latency or energy
    uint64_t seed = 0;

    // Combinations that make no sense -> one-line error naming the flags.
    void check() const;
};

struct SampleChoice {
    std::vector<int32_t> chosen;
    int candidates = 0;          // how many architectures it was chosen among
    std::vector<double> values;  // with fill_from: that device's values of `chosen`
};

// The architectures of `ss` (data folder `data_dir`) to measure, as `r` asks.
SampleChoice choose_to_measure(const SearchSpace& ss, const std::string& data_dir,
                               const SampleRequest& r);

}  // namespace nasflat::nas
