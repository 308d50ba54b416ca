// sampling.cpp — see sampling.h.
#include "nas/predictor/sampling.h"

#include "kernels/base/check.h"
#include "nas/data/arch_list.h"
#include "nas/data/device_data.h"
#include "nas/predictor/learned_encodings.h"
#include "samplers/farthest.h"

namespace nasflat::nas {

std::vector<int32_t> sample_archs(samplers::Method method, int count,
                                  std::vector<int32_t> candidates, const SearchSpace& ss,
                                  const Encoding* encoding, const std::vector<double>* latency,
                                  Rng& rng) {
    samplers::SamplerInput in;
    in.candidates = std::move(candidates);
    in.space_size = ss.size();
    if (samplers::needs_features(method)) {
        NASFLAT_CHECK(encoding != nullptr, "sample_archs: ", samplers::method_name(method),
                      " needs an encoding");
        in.features = encoding->values.data();
        in.dim = encoding->dim;
    }
    std::vector<double> params;
    if (method == samplers::Method::Params) {
        for (int a = 0; a < ss.size(); ++a) params.push_back(ss.params(a));
        in.scalar = &params;
    }
    if (method == samplers::Method::Latency) {
        NASFLAT_CHECK(latency != nullptr, "sample_archs: latency needs the measured latencies");
        in.scalar = latency;
    }
    return samplers::sample(method, count, in, rng);
}

void SampleRequest::check() const {
    const samplers::Method method = samplers::parse_method(sampler);
    NASFLAT_CHECK(method != samplers::Method::Latency || !fill_from.empty(),
                  "--sampler latency stratifies by the TRUE latency of the device, which a new "
                  "device does not have; fix: use kmeancosine, kmeans, cosine, cosine_greedy, "
                  "params or random (latency works only with --fill-from, as an oracle)");
    NASFLAT_CHECK(count >= 1, "--count must be at least 1, got ", count);
    NASFLAT_CHECK((more > 0) == !measured.empty(),
                  "--more N chooses N architectures given "
                  "those already measured: pass it with --measured FILE");
    NASFLAT_CHECK(metric == "latency" || !fill_from.empty(),
                  "--metric names what "
                  "--fill-from copies; without --fill-from it has no effect");
}

SampleChoice choose_to_measure(const SearchSpace& ss, const std::string& data_dir,
                               const SampleRequest& r) {
    r.check();
    const samplers::Method method = samplers::parse_method(r.sampler);
    std::vector<int32_t> candidates = load_arch_list_or_all(r.pool, ss);
    DeviceData device;
    if (!r.fill_from.empty()) {
        device = r.metric == "energy" ? load_energy(data_dir, ss.space(), r.fill_from)
                                      : load_device(data_dir, ss.space(), r.fill_from);
        std::vector<int32_t> covered;
        for (int32_t a : candidates) {
            if (device.covers(a)) covered.push_back(a);
        }
        candidates = covered;
    }
    const int count = r.more > 0 ? r.more : r.count;
    NASFLAT_CHECK(static_cast<int>(candidates.size()) >= count, "sample: only ", candidates.size(),
                  " candidate architectures for ", r.more > 0 ? "--more " : "--count ", count,
                  "; fix: ask for fewer or give a larger --pool");
    Encoding enc;
    if (samplers::needs_features(method) || r.more > 0)
        enc = load_any_encoding(data_dir, ss, r.encoding);
    const std::vector<double> truth =
        method == samplers::Method::Latency ? device.dense(ss.size()) : std::vector<double>();
    Rng rng(r.seed);
    SampleChoice c;
    c.candidates = static_cast<int>(candidates.size());
    if (r.more > 0) {
        // Farthest-first over the encoding, away from what is measured already.
        samplers::SamplerInput in;
        in.candidates = candidates;
        in.features = enc.values.data();
        in.dim = enc.dim;
        in.space_size = ss.size();
        c.chosen = samplers::sample_farthest(count, in, load_arch_list(r.measured, ss));
    } else {
        c.chosen = sample_archs(method, count, candidates, ss, &enc, &truth, rng);
    }
    if (!r.fill_from.empty()) {
        for (int32_t a : c.chosen) c.values.push_back(device.value(a));
    }
    return c;
}

SamplerSpec parse_sampler_spec(const std::string& spec, const std::string& default_encoding) {
    const size_t colon = spec.find(':');
    SamplerSpec out{spec.substr(0, colon),
                    colon == std::string::npos ? "" : spec.substr(colon + 1)};
    const samplers::Method method = samplers::parse_method(out.method);  // validates the name
    if (samplers::needs_features(method)) {
        if (out.encoding.empty()) out.encoding = default_encoding;
    } else {
        NASFLAT_CHECK(colon == std::string::npos, "--sampler ", spec, ": ", out.method,
                      " reads no encoding; fix: drop ':", out.encoding,
                      "' or use kmeans, cosine, cosine_greedy or kmeancosine");
    }
    return out;
}

std::vector<int32_t> sample_measured(const std::string& spec, const std::string& default_encoding,
                                     SpaceContext& ctx, const DeviceData& target, int count,
                                     Rng& rng) {
    const SamplerSpec s = parse_sampler_spec(spec, default_encoding);
    const samplers::Method method = samplers::parse_method(s.method);
    std::vector<double> truth;  // only the latency oracle reads it
    if (method == samplers::Method::Latency) truth = target.dense(ctx.space().size());
    const Encoding* enc = s.encoding.empty() ? nullptr : &ctx.encoding(s.encoding);
    return sample_archs(method, count, target.arch_index, ctx.space(), enc, &truth, rng);
}

}  // namespace nasflat::nas
