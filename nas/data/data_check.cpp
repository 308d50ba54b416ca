// data_check.cpp — see data_check.h.
#include "nas/data/data_check.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <set>
#include <sstream>

#include "kernels/base/check.h"
#include "nas/base/json_io.h"
#include "nas/data/accuracy.h"
#include "nas/data/device_data.h"
#include "nas/data/manifest.h"
#include "nas/data/zcp.h"
#include "nas/space/search_space.h"

namespace nasflat::nas {

int DataReport::num_bad() const {
    return static_cast<int>(
        std::count_if(files.begin(), files.end(), [](const FileReport& f) { return !f.ok; }));
}

double median_of(std::vector<double> v) {
    NASFLAT_CHECK(!v.empty(), "median of an empty vector");
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

namespace {

FileReport make_report(const std::string& space, const std::string& kind, const std::string& name,
                       const std::string& file) {
    FileReport r;
    r.space = space;
    r.kind = kind;
    r.name = name;
    r.file = file;
    return r;
}

// Runs `check` and records either success or its one-line error.
void run_check(FileReport& r, const std::function<void()>& check) {
    try {
        check();
        r.ok = true;
    } catch (const std::exception& e) {
        r.ok = false;
        r.error = e.what();
    }
}

// The manifest rounds its statistics to 6 significant digits.
void expect_stat(const std::string& file, const char* what, double got, double listed) {
    if (std::fabs(got - listed) > 1e-5 * std::fabs(listed) + 1e-12) {
        std::ostringstream os;
        os << what << " is " << got << " but manifest.json says " << listed;
        file_error(file, "", os.str(),
                   "rebuild the data folder (make_data.py) or fix the manifest");
    }
}

FileReport check_device(const Manifest& m, Space s, const ManifestDevice& entry) {
    FileReport r = make_report(space_name(s), entry.metric, entry.device, entry.file);
    r.unit = entry.unit;
    run_check(r, [&] {
        const std::string path = m.path(entry.file);
        DeviceData d = load_device_file(path, s, m.space(s).num_archs, entry.metric);
        if (d.name != entry.device) {
            file_error(path, "device",
                       "is '" + d.name + "', manifest.json says '" + entry.device + "'",
                       "make them agree");
        }
        if (d.count() != entry.count) {
            file_error(path, "count",
                       "has " + std::to_string(d.count()) + " values but manifest.json says " +
                           std::to_string(entry.count),
                       "rebuild the data folder or fix the manifest");
        }
        r.count = d.count();
        r.unit = d.unit;
        r.min = *std::min_element(d.values.begin(), d.values.end());
        r.max = *std::max_element(d.values.begin(), d.values.end());
        r.median = median_of(d.values);
        expect_stat(path, "min", r.min, entry.min);
        expect_stat(path, "median", r.median, entry.median);
        expect_stat(path, "max", r.max, entry.max);
    });
    return r;
}

// Device files on disk that the manifest does not list (they would be silently ignored).
void check_unlisted(const Manifest& m, Space s, const std::string& metric,
                    const std::vector<ManifestDevice>& listed, std::vector<FileReport>& out) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::path(m.data_dir) / space_name(s) / metric;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return;
    std::set<std::string> known;
    for (const auto& d : listed) known.insert(fs::path(d.file).filename().string());
    std::vector<std::string> stray;
    for (const auto& f : fs::directory_iterator(dir, ec)) {
        std::string name = f.path().filename().string();
        if (f.path().extension() == ".json" && !known.count(name)) stray.push_back(name);
    }
    std::sort(stray.begin(), stray.end());
    for (const std::string& name : stray) {
        FileReport r = make_report(space_name(s), metric, fs::path(name).stem().string(),
                                   std::string(space_name(s)) + "/" + metric + "/" + name);
        r.error = m.path(r.file) + ": not listed in manifest.json; fix: add an entry to spaces." +
                  space_name(s) + (metric == "energy" ? ".energy_devices" : ".devices") +
                  " or move the file out of the data folder";
        out.push_back(r);
    }
}

// zcp.json flops/params must equal the analytic counts (the README's verified identity).
void check_zcp_costs(const ZcpTable& z, const SearchSpace& ss) {
    if (ss.space() == Space::NB201) {
        for (int i = 0; i < ss.size(); ++i) {
            if (z.all_flops[i] != ss.flops(i) / 1e6 || z.all_params[i] != ss.params(i) / 1e6) {
                file_error(z.file, entry_at("all_cells.flops", i),
                           "differs from the analytic count of cell " + std::to_string(i), "");
            }
        }
        return;
    }
    const std::vector<double>& params = z.proxy("params");
    for (size_t k = 0; k < z.arch_index.size(); ++k) {
        if (params[k] != ss.params(z.arch_index[k])) {
            file_error(z.file, entry_at("values.params", k),
                       "differs from the analytic parameter count", "");
        }
    }
}

void check_space(const Manifest& m, Space s, std::vector<FileReport>& out) {
    const ManifestSpace& ms = m.space(s);
    const std::string sp = space_name(s);
    SearchSpace ss;
    bool have_space = false;
    FileReport archs = make_report(sp, "archs", "archs", ms.archs_file);
    run_check(archs, [&] {
        ss = SearchSpace::load(m.data_dir, s);
        have_space = true;
        if (ss.size() != ms.num_archs) {
            file_error(ss.file(), "count",
                       "is " + std::to_string(ss.size()) + " but manifest.json says " +
                           std::to_string(ms.num_archs),
                       "");
        }
        archs.count = ss.size();
        archs.detail = std::to_string(ss.size()) + " architectures";
    });
    out.push_back(archs);
    for (const auto& d : ms.devices) out.push_back(check_device(m, s, d));
    check_unlisted(m, s, "latency", ms.devices, out);
    for (const auto& d : ms.energy_devices) out.push_back(check_device(m, s, d));
    check_unlisted(m, s, "energy", ms.energy_devices, out);
    if (!ms.accuracy_file.empty()) {
        FileReport r = make_report(sp, "accuracy", "accuracy", ms.accuracy_file);
        run_check(r, [&] {
            AccuracyTable t = load_accuracy(m.data_dir);
            r.count = static_cast<int>(t.values.front().size());
            r.unit = "%";
            r.detail = std::to_string(r.count) + " cells, " + std::to_string(t.columns.size()) +
                       " columns, recommended " + t.recommended;
        });
        out.push_back(r);
    }
    FileReport z = make_report(sp, "zcp", "zcp", ms.zcp_file);
    run_check(z, [&] {
        ZcpTable t = load_zcp(m.data_dir, s, ms.num_archs);
        int nulls = 0;
        for (const auto& col : t.values) {
            nulls += static_cast<int>(
                std::count_if(col.begin(), col.end(), [](double x) { return std::isnan(x); }));
        }
        if (have_space) check_zcp_costs(t, ss);
        z.count = static_cast<int>(t.arch_index.size());
        z.detail = std::to_string(z.count) + " of " + std::to_string(ms.num_archs) +
                   " architectures, " + std::to_string(t.proxies.size()) + " proxies, " +
                   std::to_string(nulls) + " nulls" +
                   (s == Space::NB201 ? ", flops/params for all cells" : "");
    });
    out.push_back(z);
}

}  // namespace

DataReport check_data_folder(const std::string& data_dir, const std::vector<Space>& spaces) {
    DataReport report;
    report.data_dir = data_dir;
    Manifest m;
    FileReport man = make_report("", "manifest", "manifest", "manifest.json");
    run_check(man, [&] {
        m = load_manifest(data_dir);
        man.detail = "format_version 2";
    });
    report.files.push_back(man);
    if (!man.ok) return report;
    for (Space s : spaces.empty() ? all_spaces() : spaces) check_space(m, s, report.files);
    return report;
}

}  // namespace nasflat::nas
