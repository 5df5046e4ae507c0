// Line plots as standalone SVG (no plotting library): one panel per series, stacked vertically, y from 0
// to 1 (probabilities), x in bp. Used by `annotate --plot` for a track or a metaplot.
#pragma once

#include <string>
#include <vector>

namespace genobird::infer {

struct PlotPanel {
  std::string title;
  std::vector<double> x;  // positions, increasing
  std::vector<double> y;  // values in [0, 1]
};

struct PlotLabels {
  std::string title;    // above every panel
  std::string x_label;  // under the last panel
  std::string y_label;
};

// The SVG document text. Panels without points are drawn empty with their title.
std::string line_plot_svg(const std::vector<PlotPanel>& panels, const PlotLabels& labels);

}  // namespace genobird::infer
