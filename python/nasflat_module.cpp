// nasflat_module.cpp — the compiled part of the Python module `nasflat` (nasflat._nasflat),
// nanobind bindings over the public C++ API (api/include/nasflat/nasflat.h). The Pythonic
// surface (argument forms, keyword options, dicts) is python/nasflat/*.py; this file only moves
// arrays and text across:
//   predict_into   scores / ms of a batch written straight into a NumPy array the caller made,
//                  with the GIL released while the predictor computes;
//   predict_gpu    the same for int32 architectures in GPU memory (DLPack in, DLPack out);
//   run_verb       a `nasflat` verb in-process (GIL released), its stdout as text.
// Bad input raises ValueError (std::invalid_argument) with the CLI's message.
// Dims: n architectures, P ops per architecture (NB201 6, FBNet 22).
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include <cstring>
#include <string>
#include <tuple>
#include <vector>

#include "api/command.h"
#include "api/device_arrays.h"
#include "nasflat/nasflat.h"

namespace nb = nanobind;
using nasflat::PredictOptions;
using nasflat::Predictor;

namespace {

using HostArchs = nb::ndarray<const int32_t, nb::c_contig, nb::device::cpu>;  // (n) or (n, P)
using GpuArchs = nb::ndarray<const int32_t, nb::c_contig, nb::device::cuda>;

// What to compute: "score" (float32 out) or "ms" (float64 out), for indices (ndim 1) or op
// lists (ndim 2).
void compute(const Predictor& p, const int32_t* archs, size_t ndim, size_t n, void* out,
             const std::string& what, const PredictOptions& o) {
    const bool ops = ndim == 2;
    if (what == "score") {
        float* scores = static_cast<float*>(out);
        ops ? p.predict_ops(archs, n, scores, o) : p.predict(archs, n, scores, o);
    } else {
        double* ms = static_cast<double*>(out);
        ops ? p.predict_ops_ms(archs, n, ms, o) : p.predict_ms(archs, n, ms, o);
    }
}

void check_shape(const Predictor& p, size_t ndim, size_t columns) {
    if (ndim == 1) return;
    if (ndim != 2 || static_cast<int>(columns) != p.num_positions()) {
        throw std::invalid_argument(
            "archs: an array of indices (n,) or of op ids (n, " +
            std::to_string(p.num_positions()) + ") for " + p.space() + ", got " +
            std::to_string(ndim) + " dimensions" +
            (ndim == 2 ? " with " + std::to_string(columns) + " columns" : std::string()));
    }
}

PredictOptions options(const std::string& device, int threads, int batch) {
    PredictOptions o;
    o.device = device;
    o.threads = threads;
    o.batch = batch;
    return o;
}

void predict_into(const Predictor& p, HostArchs archs, nb::ndarray<nb::c_contig, nb::device::cpu> out,
                  const std::string& what, const std::string& device, int threads, int batch) {
    const size_t n = archs.ndim() == 0 ? 0 : archs.shape(0);
    check_shape(p, archs.ndim(), archs.ndim() == 2 ? archs.shape(1) : 0);
    const bool score = what == "score";
    if (what != "score" && what != "ms") throw std::invalid_argument("what: score or ms");
    if (out.ndim() != 1 || out.shape(0) != n ||
        out.dtype() != (score ? nb::dtype<float>() : nb::dtype<double>()))
        throw std::invalid_argument(std::string("out: a writable ") +
                                    (score ? "float32" : "float64") + " array of shape (" +
                                    std::to_string(n) + ",)");
    const PredictOptions o = options(device, threads, batch);
    nb::gil_scoped_release free_python;
    compute(p, archs.data(), archs.ndim(), n, out.data(), what, o);
}

// Architectures in GPU memory: indices come to the host (the graphs are collated there), the
// result goes back into a new GPU array that the returned DLPack object owns.
nb::ndarray<nb::device::cuda> predict_gpu(const Predictor& p, GpuArchs archs, const std::string& what,
                                          const std::string& device, int threads, int batch) {
    check_shape(p, archs.ndim(), archs.ndim() == 2 ? archs.shape(1) : 0);
    const size_t n = archs.ndim() == 0 ? 0 : archs.shape(0);
    const size_t items = archs.size(), width = what == "score" ? sizeof(float) : sizeof(double);
    std::vector<int32_t> host(items);
    std::vector<double> result(n);  // large enough for either width
    void* gpu = nullptr;
    {
        nb::gil_scoped_release free_python;
        nasflat::api::copy_from_gpu(host.data(), archs.data(), items * sizeof(int32_t));
        compute(p, host.data(), archs.ndim(), n, result.data(), what, options(device, threads, batch));
        gpu = nasflat::api::gpu_alloc(std::max<size_t>(n * width, 1));
        nasflat::api::copy_to_gpu(gpu, result.data(), n * width);
    }
    nb::capsule owner(gpu, [](void* q) noexcept { nasflat::api::gpu_free(q); });
    const size_t shape[1] = {n};
    return nb::ndarray<nb::device::cuda>(gpu, 1, shape, owner, nullptr,
                                         what == "score" ? nb::dtype<float>() : nb::dtype<double>(),
                                         nb::device::cuda::value, archs.device_id());
}

std::vector<int32_t> indices_of(const Predictor& p, const std::vector<std::string>& archs) {
    std::vector<int32_t> out(archs.size());
    for (size_t k = 0; k < archs.size(); ++k)
        out[k] = p.index_of(archs[k], "archs[" + std::to_string(k) + "]");
    return out;
}

std::string run_verb(const std::string& verb,
                     const std::vector<std::tuple<std::string, std::vector<std::string>, bool>>& kw,
                     bool quiet) {
    std::vector<nasflat::api::Keyword> keywords;
    for (const auto& [name, values, is_bool] : kw) keywords.push_back({name, values, is_bool});
    const std::vector<std::string> args = nasflat::api::verb_arguments(verb, keywords);
    nb::gil_scoped_release free_python;
    return nasflat::run_command(args, quiet);
}

}  // namespace

NB_MODULE(_nasflat, m) {
    m.doc() = "nasflat's compiled core; use the package `nasflat`";

    nb::class_<nasflat::Data>(m, "Data")
        .def(nb::init<const std::string&>(), nb::arg("path") = "")
        .def_prop_ro("path", &nasflat::Data::path)
        .def_static("spaces", &nasflat::Data::spaces)
        .def("devices", &nasflat::Data::devices, nb::arg("space"));
    m.def("tasks", [] {
        std::vector<std::tuple<std::string, std::string, std::string, int,
                               std::vector<std::string>, std::vector<std::string>>>
            out;
        for (const nasflat::TaskInfo& t : nasflat::Data::tasks())
            out.emplace_back(t.name, t.paper_label, t.space, t.index, t.sources, t.targets);
        return out;
    });

    nb::class_<Predictor>(m, "Predictor")
        .def_static("load", &Predictor::load, nb::arg("checkpoint"), nb::arg("compute") = "auto",
                    nb::arg("data") = "", nb::call_guard<nb::gil_scoped_release>())
        .def("save", &Predictor::save, nb::arg("path"))
        .def_prop_ro("space", &Predictor::space)
        .def_prop_ro("target", &Predictor::target)
        .def_prop_ro("devices", &Predictor::devices)
        .def_prop_ro("metric", &Predictor::metric)
        .def_prop_ro("calibrated", &Predictor::calibrated)
        .def_prop_ro("compute", &Predictor::compute)
        .def_prop_ro("data", &Predictor::data)
        .def_prop_ro("num_archs", &Predictor::num_archs)
        .def_prop_ro("num_positions", &Predictor::num_positions)
        .def_prop_ro("num_ops", &Predictor::num_ops)
        .def("info_json", &Predictor::info_json)
        .def("index_of", &Predictor::index_of, nb::arg("arch"), nb::arg("where") = "arch")
        .def("arch_string", &Predictor::arch_string, nb::arg("index"))
        .def("indices_of", &indices_of, nb::arg("archs"))
        .def("predict_into", &predict_into, nb::arg("archs"), nb::arg("out"), nb::arg("what"),
             nb::arg("device"), nb::arg("threads"), nb::arg("batch"))
        .def("predict_gpu", &predict_gpu, nb::arg("archs"), nb::arg("what"), nb::arg("device"),
             nb::arg("threads"), nb::arg("batch"));

    m.def("run_verb", &run_verb, nb::arg("verb"), nb::arg("keywords"), nb::arg("quiet"));
    m.def("run_command", &nasflat::run_command, nb::arg("args"), nb::arg("quiet") = false,
          nb::call_guard<nb::gil_scoped_release>());
    m.def("cuda_build", &nasflat::api::cuda_build);
}
