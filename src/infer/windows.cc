#include "infer/windows.h"

#include <algorithm>

#include "io/sequence.h"

namespace genobird::infer {

GenomeWindow centred_window(std::uint64_t start, std::uint64_t end, std::int64_t width) {
  const auto centre = static_cast<std::int64_t>((start + end) / 2);
  GenomeWindow window;
  window.start = centre - width / 2;
  window.end = window.start + width;
  return window;
}

GenomeWindow shifted_inside(const GenomeWindow& window, std::uint64_t chrom_length) {
  const auto length = static_cast<std::int64_t>(chrom_length);
  const std::int64_t width = window.end - window.start;
  if (width > length) return window;
  GenomeWindow inside = window;
  if (inside.start < 0) inside.start = 0;
  if (inside.start + width > length) inside.start = length - width;
  inside.end = inside.start + width;
  return inside;
}

GenomeWindow bin_window(std::uint64_t start, std::uint64_t end, std::int64_t width, std::uint64_t chrom_length) {
  if (static_cast<std::int64_t>(chrom_length) < width) return {0, static_cast<std::int64_t>(chrom_length)};
  return shifted_inside(centred_window(start, end, width), chrom_length);
}

bool no_called_base(const std::string& bases) {
  return bases.find_first_of("ACGTacgt") == std::string::npos;
}

std::uint64_t fetch_window(const io::IndexedFasta& genome, const std::string& chrom, std::uint64_t chrom_length,
                           const GenomeWindow& window, bool reverse, std::string& out) {
  const auto length = static_cast<std::int64_t>(chrom_length);
  const std::int64_t inside_start = std::clamp<std::int64_t>(window.start, 0, length);
  const std::int64_t inside_end = std::clamp<std::int64_t>(window.end, inside_start, length);
  const auto left = static_cast<std::uint64_t>(std::max<std::int64_t>(0, std::min<std::int64_t>(window.end, 0) - window.start));
  const auto right =
      static_cast<std::uint64_t>(std::max<std::int64_t>(0, window.end - std::max(window.start, length)));
  out.clear();
  out.append(left, 'N');
  if (inside_end > inside_start) {
    std::string inside;
    genome.fetch_into(chrom, static_cast<std::uint64_t>(inside_start), static_cast<std::uint64_t>(inside_end), inside);
    out += inside;
  }
  out.append(right, 'N');
  io::to_upper_inplace(out);
  if (reverse) io::reverse_complement_inplace(out);
  return left + right;
}

std::uint64_t allele_window(const io::IndexedFasta& genome, const std::string& chrom, std::uint64_t chrom_length,
                            std::uint64_t start, std::uint64_t end, const std::string& allele, std::int64_t width,
                            std::string& out) {
  // Edited coordinates: below `start` they are the genome's; [start, start + a) is the allele; from
  // start + a on they are the genome's shifted by (end - start) - a.
  const auto s = static_cast<std::int64_t>(start);
  const auto a = static_cast<std::int64_t>(allele.size());
  const std::int64_t shift = static_cast<std::int64_t>(end) - s - a;
  const std::int64_t window_start = s + a / 2 - width / 2;
  const std::int64_t window_end = window_start + width;
  std::string piece;
  std::uint64_t padded = 0;
  out.clear();
  if (window_start < s) {
    padded += fetch_window(genome, chrom, chrom_length, {window_start, std::min(s, window_end)}, false, piece);
    out += piece;
  }
  const std::int64_t allele_from = std::max(window_start, s) - s;
  const std::int64_t allele_to = std::min(window_end, s + a) - s;
  if (allele_to > allele_from) {
    piece = allele.substr(static_cast<std::size_t>(allele_from), static_cast<std::size_t>(allele_to - allele_from));
    io::to_upper_inplace(piece);
    out += piece;
  }
  if (window_end > s + a) {
    const std::int64_t from = std::max(window_start, s + a);
    padded += fetch_window(genome, chrom, chrom_length, {from + shift, window_end + shift}, false, piece);
    out += piece;
  }
  return padded;
}

std::string central_bases(const std::string& seq, std::int64_t width) {
  if (width <= 0 || seq.size() <= static_cast<std::size_t>(width)) return seq;
  const std::size_t first = (seq.size() - static_cast<std::size_t>(width)) / 2;
  return seq.substr(first, static_cast<std::size_t>(width));
}

std::uint64_t bin_count(std::uint64_t region_start, std::uint64_t region_end, std::uint64_t step) {
  if (region_end <= region_start || step == 0) return 0;
  return (region_end - region_start + step - 1) / step;
}

}  // namespace genobird::infer
