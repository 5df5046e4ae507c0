// Promoter calls from a signal track: bins whose value reaches a threshold, merged when they touch.
//
// Bins arrive in order along each sequence (as annotate writes them). A run of consecutive, touching bins
// (bin start == previous bin end, same chromosome) that all reach `threshold` becomes one BED5 line:
// chrom, start, end, name "peak_N" (1-based, in output order), score = round(1000 * highest value).
#pragma once

#include <cstdint>
#include <string>

#include "util/output_file.h"

namespace genobird::infer {

class PeakCaller {
 public:
  PeakCaller(OutputFile& out, double threshold) : out_(out), threshold_(threshold) {}
  void add(const std::string& chrom, std::uint64_t start, std::uint64_t end, double value);
  // Writes the open peak, if any. Call once after the last bin.
  void finish();
  std::uint64_t peaks() const { return peaks_; }

 private:
  void close();

  OutputFile& out_;
  double threshold_;
  bool open_ = false;
  std::string chrom_;
  std::uint64_t start_ = 0, end_ = 0;
  double best_ = 0;
  std::uint64_t peaks_ = 0;
};

}  // namespace genobird::infer
