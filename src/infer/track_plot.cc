#include "infer/track_plot.h"

#include <algorithm>

#include "util/plural.h"

namespace genobird::infer {

TrackPlot TrackPlot::metaplot(std::uint64_t length, std::uint64_t step) {
  TrackPlot plot;
  plot.metaplot_ = true;
  plot.length_ = length;
  plot.step_ = step;
  const std::size_t bins = static_cast<std::size_t>((length + step - 1) / step);
  plot.sums_.assign(bins, 0.0);
  plot.counts_.assign(bins, 0);
  return plot;
}

TrackPlot TrackPlot::track(std::size_t panels, std::string item) {
  TrackPlot plot;
  plot.max_panels_ = panels;
  plot.item_ = std::move(item);
  return plot;
}

void TrackPlot::begin_sequence(const std::string& name, std::uint64_t start, std::uint64_t end) {
  ++sequences_;
  sequence_start_ = start;
  current_drawn_ = !metaplot_ && panels_.size() < max_panels_;
  if (current_drawn_) panels_.push_back({name, start, end, std::vector<double>(kPointsPerPanel, -1.0)});
}

void TrackPlot::add(std::uint64_t bin_start, std::uint64_t bin_end, double value) {
  if (metaplot_) {
    const std::size_t bin = static_cast<std::size_t>((bin_start - sequence_start_) / step_);
    if (bin < sums_.size()) {
      sums_[bin] += value;
      ++counts_[bin];
    }
    return;
  }
  if (!current_drawn_) return;
  Panel& panel = panels_.back();
  const double span = static_cast<double>(std::max<std::uint64_t>(1, panel.end - panel.start));
  const double centre = 0.5 * static_cast<double>(bin_start + bin_end) - static_cast<double>(panel.start);
  const auto point = std::min<std::size_t>(kPointsPerPanel - 1, static_cast<std::size_t>(centre / span * kPointsPerPanel));
  panel.best[point] = std::max(panel.best[point], value);
}

std::string TrackPlot::svg(const std::string& signal_name) const {
  std::vector<PlotPanel> panels;
  PlotLabels labels;
  labels.y_label = signal_name;
  if (metaplot_) {
    PlotPanel panel;
    panel.title = "mean over " + count_noun(sequences_, item_) + " of " + std::to_string(length_) + " bp";
    for (std::size_t i = 0; i < sums_.size(); ++i) {
      if (counts_[i] == 0) continue;
      const double bin_start = static_cast<double>(i * step_);
      const double bin_end = std::min(static_cast<double>(length_), bin_start + static_cast<double>(step_));
      panel.x.push_back(0.5 * (bin_start + bin_end));
      panel.y.push_back(sums_[i] / static_cast<double>(counts_[i]));
    }
    panels.push_back(std::move(panel));
    labels.title = signal_name + " by position (metaplot)";
    labels.x_label = "position in sequence (bp)";
  } else {
    for (const auto& p : panels_) {
      PlotPanel panel;
      panel.title = p.name + ":" + std::to_string(p.start) + "-" + std::to_string(p.end);
      const double span = static_cast<double>(std::max<std::uint64_t>(1, p.end - p.start));
      for (std::size_t i = 0; i < p.best.size(); ++i) {
        if (p.best[i] < 0) continue;
        panel.x.push_back(static_cast<double>(p.start) + (static_cast<double>(i) + 0.5) * span / kPointsPerPanel);
        panel.y.push_back(p.best[i]);
      }
      panels.push_back(std::move(panel));
    }
    labels.title = signal_name + " along " +
                   (panels.size() < sequences_ ? "the first " + std::to_string(panels.size()) + " of " : std::string()) +
                   count_noun(sequences_, item_);
    labels.x_label = "position (bp)";
  }
  return line_plot_svg(panels, labels);
}

}  // namespace genobird::infer
