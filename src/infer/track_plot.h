// What `annotate --plot` draws, gathered while the track streams by in bounded memory: either the mean
// signal by bin position over equal-length sequences (a metaplot), or the signal of the first few
// sequences, reduced to at most kPointsPerPanel points each (the highest value per pixel column).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "infer/svg_plot.h"

namespace genobird::infer {

class TrackPlot {
 public:
  static constexpr std::size_t kPointsPerPanel = 800;

  // A metaplot over sequences of `length` bp cut into bins of `step` bp.
  static TrackPlot metaplot(std::uint64_t length, std::uint64_t step);
  // A track of the first `panels` sequences; lengths are given to begin_sequence(). `item` names what they
  // are in the title ("sequence", or "region" for BED regions).
  static TrackPlot track(std::size_t panels, std::string item = "sequence");

  void begin_sequence(const std::string& name, std::uint64_t start, std::uint64_t end);
  // A bin of the current sequence (coordinates as in the output) and its value.
  void add(std::uint64_t bin_start, std::uint64_t bin_end, double value);

  std::string svg(const std::string& signal_name) const;

 private:
  struct Panel {
    std::string name;
    std::uint64_t start = 0, end = 0;
    std::vector<double> best;  // per point: highest value; < 0 when no bin fell there
  };
  bool metaplot_ = false;
  std::uint64_t length_ = 0, step_ = 0;
  std::vector<double> sums_;
  std::vector<std::uint64_t> counts_;
  std::uint64_t sequences_ = 0;
  std::string item_ = "sequence";
  std::uint64_t sequence_start_ = 0;
  std::size_t max_panels_ = 0;
  std::vector<Panel> panels_;
  bool current_drawn_ = false;
};

}  // namespace genobird::infer
