#include "infer/svg_plot.h"

#include <algorithm>
#include <cstdio>

#include "util/xml.h"

namespace genobird::infer {
namespace {

constexpr double kWidth = 800, kPanelHeight = 180, kLeft = 70, kRight = 20, kTop = 40, kGap = 50;

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

// A tick label for a position in bp: 1500 -> "1500", 2500000 -> "2.5 Mb".
std::string bp_label(double bp) {
  char text[32];
  if (bp >= 1e6) std::snprintf(text, sizeof text, "%.3g Mb", bp / 1e6);
  else if (bp >= 1e4) std::snprintf(text, sizeof text, "%.3g kb", bp / 1e3);
  else std::snprintf(text, sizeof text, "%.0f", bp);
  return text;
}

}  // namespace

std::string line_plot_svg(const std::vector<PlotPanel>& panels, const PlotLabels& labels) {
  const double plot_width = kWidth - kLeft - kRight;
  const double height = kTop + static_cast<double>(panels.size()) * (kPanelHeight + kGap) + 20;
  std::string svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                    number(kWidth) + "\" height=\"" + number(height) + "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  svg += "<text x=\"" + number(kWidth / 2) + "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">" +
         xml_escape(labels.title) + "</text>\n";
  for (std::size_t p = 0; p < panels.size(); ++p) {
    const PlotPanel& panel = panels[p];
    const double top = kTop + static_cast<double>(p) * (kPanelHeight + kGap) + 15;
    const double bottom = top + kPanelHeight;
    double x_min = 0, x_max = 1;
    if (!panel.x.empty()) {
      x_min = panel.x.front();
      x_max = std::max(panel.x.back(), x_min + 1);
    }
    auto px = [&](double x) { return kLeft + (x - x_min) / (x_max - x_min) * plot_width; };
    auto py = [&](double y) { return bottom - std::clamp(y, 0.0, 1.0) * kPanelHeight; };
    svg += "<text x=\"" + number(kLeft) + "\" y=\"" + number(top - 5) + "\">" + xml_escape(panel.title) + "</text>\n";
    svg += "<rect x=\"" + number(kLeft) + "\" y=\"" + number(top) + "\" width=\"" + number(plot_width) +
           "\" height=\"" + number(kPanelHeight) + "\" fill=\"none\" stroke=\"#888\"/>\n";
    for (double tick : {0.0, 0.5, 1.0}) {
      svg += "<line x1=\"" + number(kLeft - 4) + "\" x2=\"" + number(kLeft + plot_width) + "\" y1=\"" +
             number(py(tick)) + "\" y2=\"" + number(py(tick)) + "\" stroke=\"#ddd\"/>\n";
      svg += "<text x=\"" + number(kLeft - 8) + "\" y=\"" + number(py(tick) + 4) + "\" text-anchor=\"end\">" +
             number(tick).substr(0, 3) + "</text>\n";
    }
    for (int t = 0; t <= 4; ++t) {
      const double x = x_min + (x_max - x_min) * t / 4;
      svg += "<text x=\"" + number(px(x)) + "\" y=\"" + number(bottom + 16) + "\" text-anchor=\"middle\">" +
             bp_label(x) + "</text>\n";
    }
    if (!panel.x.empty()) {
      svg += "<polyline fill=\"none\" stroke=\"#1f6fb4\" stroke-width=\"1.5\" points=\"";
      for (std::size_t i = 0; i < panel.x.size(); ++i)
        svg += number(px(panel.x[i])) + "," + number(py(panel.y[i])) + (i + 1 < panel.x.size() ? " " : "");
      svg += "\"/>\n";
    }
    svg += "<text transform=\"translate(18," + number((top + bottom) / 2) + ") rotate(-90)\" text-anchor=\"middle\">" +
           xml_escape(labels.y_label) + "</text>\n";
  }
  svg += "<text x=\"" + number(kLeft + plot_width / 2) + "\" y=\"" + number(height - 8) +
         "\" text-anchor=\"middle\">" + xml_escape(labels.x_label) + "</text>\n</svg>\n";
  return svg;
}

}  // namespace genobird::infer
