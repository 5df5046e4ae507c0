#include "infer/peak_caller.h"

#include <algorithm>
#include <cmath>

namespace genobird::infer {

void PeakCaller::add(const std::string& chrom, std::uint64_t start, std::uint64_t end, double value) {
  const bool above = value >= threshold_;
  if (open_ && (!above || chrom != chrom_ || start != end_)) close();
  if (!above) return;
  if (!open_) {
    open_ = true;
    chrom_ = chrom;
    start_ = start;
    best_ = value;
  }
  end_ = end;
  best_ = std::max(best_, value);
}

void PeakCaller::close() {
  ++peaks_;
  out_ << chrom_ << '\t' << std::to_string(start_) << '\t' << std::to_string(end_) << "\tpeak_"
       << std::to_string(peaks_) << '\t' << std::to_string(static_cast<int>(std::lround(1000.0 * best_))) << '\n';
  open_ = false;
}

void PeakCaller::finish() {
  if (open_) close();
}

}  // namespace genobird::infer
