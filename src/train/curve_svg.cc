#include "train/curve_svg.h"

#include <cstdio>
#include <sstream>

#include "util/xml.h"

namespace genobird::train {
namespace {

constexpr double kLeft = 60, kTop = 40, kSize = 400;
const char* const kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
                                "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939"};

std::string coordinate(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  return buffer;
}

}  // namespace

std::string curves_svg(const std::string& title, const std::string& x_label, const std::string& y_label,
                       const std::vector<NamedCurve>& curves, bool diagonal) {
  const bool legend = curves.size() <= 12;
  const double width = kLeft + kSize + (legend ? 260 : 30), height = kTop + kSize + 50;
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  svg << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  svg << "<text x=\"" << kLeft << "\" y=\"24\" font-size=\"14\">" << xml_escape(title) << "</text>\n";
  svg << "<rect x=\"" << kLeft << "\" y=\"" << kTop << "\" width=\"" << kSize << "\" height=\"" << kSize
      << "\" fill=\"none\" stroke=\"black\"/>\n";
  for (int i = 0; i <= 5; ++i) {
    const double f = i / 5.0;
    svg << "<text x=\"" << coordinate(kLeft + f * kSize) << "\" y=\"" << kTop + kSize + 16
        << "\" text-anchor=\"middle\">" << coordinate(f).substr(0, 3) << "</text>\n";
    svg << "<text x=\"" << kLeft - 6 << "\" y=\"" << coordinate(kTop + (1 - f) * kSize + 4)
        << "\" text-anchor=\"end\">" << coordinate(f).substr(0, 3) << "</text>\n";
  }
  svg << "<text x=\"" << kLeft + kSize / 2 << "\" y=\"" << kTop + kSize + 36 << "\" text-anchor=\"middle\">"
      << xml_escape(x_label) << "</text>\n";
  svg << "<text transform=\"translate(16," << kTop + kSize / 2 << ") rotate(-90)\" text-anchor=\"middle\">"
      << xml_escape(y_label) << "</text>\n";
  if (diagonal)
    svg << "<line x1=\"" << kLeft << "\" y1=\"" << kTop + kSize << "\" x2=\"" << kLeft + kSize << "\" y2=\"" << kTop
        << "\" stroke=\"#999\" stroke-dasharray=\"4 4\"/>\n";
  for (std::size_t c = 0; c < curves.size(); ++c) {
    const char* colour = kColours[c % 12];
    svg << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"" << (legend ? "2" : "1")
        << "\"" << (legend ? "" : " stroke-opacity=\"0.3\"") << " points=\"";
    for (const auto& p : curves[c].points)
      svg << coordinate(kLeft + p.x * kSize) << "," << coordinate(kTop + (1 - p.y) * kSize) << " ";
    svg << "\"/>\n";
    if (legend) {
      const double y = kTop + 14 + 18 * static_cast<double>(c);
      svg << "<line x1=\"" << kLeft + kSize + 14 << "\" y1=\"" << y - 4 << "\" x2=\"" << kLeft + kSize + 34 << "\" y2=\""
          << y - 4 << "\" stroke=\"" << colour << "\" stroke-width=\"2\"/>\n";
      svg << "<text x=\"" << kLeft + kSize + 40 << "\" y=\"" << y << "\">" << xml_escape(curves[c].name) << "</text>\n";
    }
  }
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace genobird::train
