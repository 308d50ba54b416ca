// plot.h — small SVG charts written by hand (no plotting library): scatter plots of predicted
// vs measured latency and line plots of Spearman vs T. Several panels go side by side in one
// file. Open the file in any browser.
#pragma once

#include <string>
#include <vector>

namespace nasflat::nas {

struct Series {
    std::string name;           // legend entry ("" = none)
    std::vector<double> x, y;   // equal length; non-finite points are skipped
    bool line = false;          // join the points in order (else a scatter, thinned to at
                                // most 800 evenly spaced points to keep files small)
    bool markers = true;
};

struct Panel {
    std::string title, x_label, y_label;
    bool log_x = false, log_y = false;  // log scale (non-positive points are skipped)
    bool diagonal = false;              // draw y = x (predicted vs measured)
    std::vector<Series> series;
    std::vector<std::string> notes;     // lines of text in the top-left corner
};

// The SVG document of `panels` side by side (each 520 x 400 px).
std::string render_svg(const std::vector<Panel>& panels);
// render_svg written atomically to `path` (errors name the file).
void write_svg(const std::string& path, const std::vector<Panel>& panels);

// Tick positions for [lo, hi]: about `target` round values (1, 2, 5 x 10^k), inside the range.
std::vector<double> nice_ticks(double lo, double hi, int target = 5);

}  // namespace nasflat::nas
