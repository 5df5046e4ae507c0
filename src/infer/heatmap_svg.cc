#include "infer/heatmap_svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "util/xml.h"

namespace genobird::infer {
namespace {

constexpr double kLeft = 60, kRight = 90, kTop = 40, kLogo = 70, kCell = 14, kPlotWidth = 1200;
constexpr const char* kBases = "ACGT";

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}

// Diverging colour for t in [-1, 1]: blue, white, red.
std::string colour(double t) {
  t = std::clamp(t, -1.0, 1.0);
  const int fade = static_cast<int>(std::lround(255 * (1 - std::fabs(t))));
  char text[16];
  if (t >= 0) std::snprintf(text, sizeof text, "#%02x%02x%02x", 255, fade, fade);
  else std::snprintf(text, sizeof text, "#%02x%02x%02x", fade, fade, 255);
  return text;
}

const char* base_colour(char base) {
  switch (base) {
    case 'A': return "#109648";
    case 'C': return "#255c99";
    case 'G': return "#f7b32b";
    case 'T': return "#d62839";
    default: return "#888888";
  }
}

}  // namespace

std::string mutation_heatmap_svg(const MutationMap& map) {
  const std::size_t n = map.sequence.size();
  const double cell_width = n == 0 ? kCell : std::clamp(kPlotWidth / static_cast<double>(n), 1.0, kCell);
  const double plot_width = cell_width * static_cast<double>(n);
  const double width = kLeft + std::max(plot_width, 300.0) + kRight;
  const double logo_mid = kTop + kLogo / 2;
  const double map_top = kTop + kLogo + 10;
  const double height = map_top + 4 * kCell + 50;

  double max_effect = 0, max_mean = 0;
  std::vector<double> means(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    double sum = 0;
    int count = 0;
    for (int b = 0; b < 4; ++b) {
      const float e = map.effects[i * 4 + static_cast<std::size_t>(b)];
      if (std::isnan(e)) continue;
      max_effect = std::max(max_effect, std::fabs(static_cast<double>(e)));
      sum += e;
      ++count;
    }
    means[i] = count ? sum / count : 0;
    max_mean = std::max(max_mean, std::fabs(means[i]));
  }

  std::string svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                    number(width) + "\" height=\"" + number(height) + "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  svg += "<text x=\"" + number(kLeft) + "\" y=\"20\" font-size=\"15\">" + xml_escape(map.title) + "</text>\n";
  // Sequence letters: a monospace glyph is about 0.6 em wide and 0.72 em tall, scaled into its box.
  svg += "<line x1=\"" + number(kLeft) + "\" x2=\"" + number(kLeft + plot_width) + "\" y1=\"" + number(logo_mid) +
         "\" y2=\"" + number(logo_mid) + "\" stroke=\"#bbb\"/>\n";
  svg += "<text x=\"" + number(kLeft - 6) + "\" y=\"" + number(logo_mid + 4) +
         "\" text-anchor=\"end\" font-size=\"10\">-mean</text>\n";
  for (std::size_t i = 0; i < n && max_mean > 0; ++i) {
    const double h = -means[i] / max_mean * (kLogo / 2);  // > 0: above the baseline
    if (std::fabs(h) < 0.05) continue;
    const double x = kLeft + cell_width * static_cast<double>(i);
    char scale[64];
    std::snprintf(scale, sizeof scale, "%.4f,%.4f", cell_width / 60.0, h / 72.0);
    svg += "<text transform=\"translate(" + number(x) + "," + number(logo_mid) + ") scale(" + scale + ")\" font-family=\"monospace\" font-size=\"100\" fill=\"" +
           base_colour(map.sequence[i]) + "\">" + std::string(1, map.sequence[i]) + "</text>\n";
  }
  // Heat map rows A, C, G, T.
  for (int b = 0; b < 4; ++b) {
    const double y = map_top + kCell * b;
    svg += "<text x=\"" + number(kLeft - 6) + "\" y=\"" + number(y + kCell - 3) + "\" text-anchor=\"end\">" +
           std::string(1, kBases[b]) + "</text>\n";
    for (std::size_t i = 0; i < n; ++i) {
      const float e = map.effects[i * 4 + static_cast<std::size_t>(b)];
      const std::string fill = std::isnan(e) ? "#e8e8e8" : colour(max_effect > 0 ? e / max_effect : 0);
      svg += "<rect x=\"" + number(kLeft + cell_width * static_cast<double>(i)) + "\" y=\"" + number(y) +
             "\" width=\"" + number(cell_width) + "\" height=\"" + number(kCell) + "\" fill=\"" + fill + "\"/>\n";
    }
  }
  // Position ticks every ~100 px.
  const std::size_t every = std::max<std::size_t>(1, static_cast<std::size_t>(100 / cell_width));
  for (std::size_t i = 0; i < n; i += every) {
    const double x = kLeft + cell_width * (static_cast<double>(i) + 0.5);
    svg += "<text x=\"" + number(x) + "\" y=\"" + number(map_top + 4 * kCell + 16) + "\" text-anchor=\"middle\">" +
           std::to_string(map.first_position + i) + "</text>\n";
  }
  // Colour scale.
  const double legend_x = kLeft + std::max(plot_width, 300.0) + 20;
  for (int s = 0; s <= 10; ++s) {
    const double t = 1 - s / 5.0;
    svg += "<rect x=\"" + number(legend_x) + "\" y=\"" + number(map_top + s * 5.6) + "\" width=\"12\" height=\"5.6\" fill=\"" +
           colour(t) + "\"/>\n";
  }
  char text[64];
  std::snprintf(text, sizeof text, "%+.3g", max_effect);
  svg += "<text x=\"" + number(legend_x + 16) + "\" y=\"" + number(map_top + 8) + "\" font-size=\"10\">" + text + "</text>\n";
  std::snprintf(text, sizeof text, "%+.3g", -max_effect);
  svg += "<text x=\"" + number(legend_x + 16) + "\" y=\"" + number(map_top + 60) + "\" font-size=\"10\">" + text + "</text>\n";
  svg += "<text x=\"" + number(kLeft) + "\" y=\"" + number(height - 8) + "\">" + xml_escape(map.value_label) +
         " (colour); letters: minus the mean effect of changing that base</text>\n</svg>\n";
  return svg;
}

}  // namespace genobird::infer
