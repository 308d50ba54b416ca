// plot.cpp — see plot.h. Layout of one panel (px): 520 x 400, plot area from (70, 40) to
// (500, 340); ticks and labels outside it, legend inside its top-right corner.
#include "nas/base/plot.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "kernels/base/check.h"
#include "nas/base/json_io.h"

namespace nasflat::nas {

namespace {

constexpr size_t kMaxPoints = 800;
constexpr double kW = 520, kH = 400, kLeft = 70, kRight = 500, kTop = 40, kBottom = 340;
const char* const kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

std::string esc(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '&') out += "&amp;";
        else if (c == '"') out += "&quot;";
        else out += c;
    }
    return out;
}

std::string num(double v) {
    std::ostringstream os;
    os << std::setprecision(4) << v;
    return os.str();
}

// One axis: data range -> pixel range, linear or log10.
struct Axis {
    bool log = false;
    double lo = 0, hi = 1, p0 = 0, p1 = 1;
    double t(double v) const { return log ? std::log10(v) : v; }
    double px(double v) const { return p0 + (t(v) - lo) / (hi - lo) * (p1 - p0); }
};

bool usable(double v, bool log) { return std::isfinite(v) && (!log || v > 0); }

Axis make_axis(const Panel& p, bool is_x, double p0, double p1) {
    Axis a;
    a.log = is_x ? p.log_x : p.log_y;
    a.p0 = p0;
    a.p1 = p1;
    double lo = INFINITY, hi = -INFINITY;
    for (const Series& s : p.series) {
        for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
            if (!usable(s.x[i], p.log_x) || !usable(s.y[i], p.log_y)) continue;
            const double v = a.t(is_x ? s.x[i] : s.y[i]);
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    }
    if (!std::isfinite(lo)) lo = 0, hi = 1;
    if (hi - lo < 1e-12) lo -= 0.5, hi += 0.5;
    const double pad = 0.05 * (hi - lo);
    a.lo = lo - pad;
    a.hi = hi + pad;
    return a;
}

std::vector<double> axis_ticks(const Axis& a) {
    if (!a.log) return nice_ticks(a.lo, a.hi);
    // 1-2-5 per decade; within less than a decade, every integer mantissa.
    for (const std::vector<double>& mantissas :
         {std::vector<double>{1, 2, 5}, std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 9}}) {
        std::vector<double> t;
        for (int k = static_cast<int>(std::floor(a.lo)); k <= static_cast<int>(std::ceil(a.hi)); ++k) {
            for (double m : mantissas) {
                const double v = m * std::pow(10.0, k);
                if (std::log10(v) >= a.lo && std::log10(v) <= a.hi) t.push_back(v);
            }
        }
        if (t.size() >= 3 || mantissas.size() > 3) return t;
    }
    return {};
}

void render_panel(std::ostringstream& os, const Panel& p, double dx) {
    const Axis ax = make_axis(p, true, dx + kLeft, dx + kRight);
    const Axis ay = make_axis(p, false, kBottom, kTop);
    os << "<g font-family=\"sans-serif\" font-size=\"12\">\n";
    os << "<rect x=\"" << dx + kLeft << "\" y=\"" << kTop << "\" width=\"" << kRight - kLeft
       << "\" height=\"" << kBottom - kTop << "\" fill=\"none\" stroke=\"#333\"/>\n";
    os << "<text x=\"" << dx + kW / 2 << "\" y=\"24\" text-anchor=\"middle\" font-size=\"14\">"
       << esc(p.title) << "</text>\n";
    os << "<text x=\"" << dx + (kLeft + kRight) / 2 << "\" y=\"" << kH - 20
       << "\" text-anchor=\"middle\">" << esc(p.x_label) << "</text>\n";
    os << "<text transform=\"translate(" << dx + 18 << "," << (kTop + kBottom) / 2
       << ") rotate(-90)\" text-anchor=\"middle\">" << esc(p.y_label) << "</text>\n";
    for (double v : axis_ticks(ax)) {
        const double x = ax.px(v);
        os << "<line x1=\"" << x << "\" y1=\"" << kBottom << "\" x2=\"" << x << "\" y2=\""
           << kBottom + 5 << "\" stroke=\"#333\"/><line x1=\"" << x << "\" y1=\"" << kTop
           << "\" x2=\"" << x << "\" y2=\"" << kBottom << "\" stroke=\"#eee\"/>"
           << "<text x=\"" << x << "\" y=\"" << kBottom + 18 << "\" text-anchor=\"middle\">"
           << num(v) << "</text>\n";
    }
    for (double v : axis_ticks(ay)) {
        const double y = ay.px(v);
        os << "<line x1=\"" << dx + kLeft - 5 << "\" y1=\"" << y << "\" x2=\"" << dx + kLeft
           << "\" y2=\"" << y << "\" stroke=\"#333\"/><line x1=\"" << dx + kLeft << "\" y1=\"" << y
           << "\" x2=\"" << dx + kRight << "\" y2=\"" << y << "\" stroke=\"#eee\"/>"
           << "<text x=\"" << dx + kLeft - 8 << "\" y=\"" << y + 4 << "\" text-anchor=\"end\">"
           << num(v) << "</text>\n";
    }
    if (p.diagonal) {
        // y = x across the common range of both axes.
        const double lo = std::max(ax.lo, ay.lo), hi = std::min(ax.hi, ay.hi);
        if (lo < hi) {
            auto inv = [](const Axis& a, double t) { return a.log ? std::pow(10.0, t) : t; };
            os << "<line x1=\"" << ax.px(inv(ax, lo)) << "\" y1=\"" << ay.px(inv(ay, lo))
               << "\" x2=\"" << ax.px(inv(ax, hi)) << "\" y2=\"" << ay.px(inv(ay, hi))
               << "\" stroke=\"#999\" stroke-dasharray=\"4 4\"/>\n";
        }
    }
    for (size_t si = 0; si < p.series.size(); ++si) {
        const Series& s = p.series[si];
        const char* colour = kColours[si % 10];
        std::ostringstream pts;
        int n = 0;
        // Scatter series are thinned to at most kMaxPoints evenly spaced points (file size).
        const size_t count = std::min(s.x.size(), s.y.size());
        const size_t stride = s.line ? 1 : std::max<size_t>(1, (count + kMaxPoints - 1) / kMaxPoints);
        for (size_t i = 0; i < count; i += stride) {
            if (!usable(s.x[i], p.log_x) || !usable(s.y[i], p.log_y)) continue;
            const double x = ax.px(s.x[i]), y = ay.px(s.y[i]);
            pts << (n++ ? " " : "") << num(x) << "," << num(y);
            if (s.markers) {
                os << "<circle cx=\"" << num(x) << "\" cy=\"" << num(y) << "\" r=\"2.5\" fill=\""
                   << colour << "\" fill-opacity=\"0.6\"/>\n";
            }
        }
        if (s.line && n > 1) {
            os << "<polyline points=\"" << pts.str() << "\" fill=\"none\" stroke=\"" << colour
               << "\" stroke-width=\"1.5\"/>\n";
        }
    }
    // The legend last, so no data covers it.
    int named = 0;
    for (const Series& s : p.series) named += !s.name.empty();
    if (named > 0) {
        os << "<rect x=\"" << dx + kRight - 156 << "\" y=\"" << kTop + 4 << "\" width=\"152\" "
           << "height=\"" << 16 * named + 6 << "\" fill=\"white\" fill-opacity=\"0.9\" "
           << "stroke=\"#ccc\"/>\n";
    }
    int legend = 0;
    for (size_t si = 0; si < p.series.size(); ++si) {
        if (p.series[si].name.empty()) continue;
        const double y = kTop + 16 + 16 * legend++;
        os << "<rect x=\"" << dx + kRight - 150 << "\" y=\"" << y - 9 << "\" width=\"10\" "
           << "height=\"10\" fill=\"" << kColours[si % 10] << "\"/><text x=\"" << dx + kRight - 135
           << "\" y=\"" << y << "\">" << esc(p.series[si].name) << "</text>\n";
    }
    for (size_t i = 0; i < p.notes.size(); ++i) {
        os << "<text x=\"" << dx + kLeft + 8 << "\" y=\"" << kTop + 16 + 16 * i << "\">"
           << esc(p.notes[i]) << "</text>\n";
    }
    os << "</g>\n";
}

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, int target) {
    std::vector<double> t;
    if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) return t;
    const double raw = (hi - lo) / std::max(target, 1);
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    double step = mag;
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * mag >= raw) {
            step = m * mag;
            break;
        }
    }
    for (double v = std::ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) {
        t.push_back(std::fabs(v) < 1e-12 * step ? 0.0 : v);
    }
    return t;
}

std::string render_svg(const std::vector<Panel>& panels) {
    NASFLAT_CHECK(!panels.empty(), "render_svg: nothing to draw");
    std::ostringstream os;
    const double width = kW * panels.size();
    os << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << kH
       << "\" viewBox=\"0 0 " << width << " " << kH << "\">\n"
       << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    for (size_t i = 0; i < panels.size(); ++i) render_panel(os, panels[i], kW * i);
    os << "</svg>\n";
    return os.str();
}

void write_svg(const std::string& path, const std::vector<Panel>& panels) {
    write_text_file(path, render_svg(panels));
}

}  // namespace nasflat::nas
