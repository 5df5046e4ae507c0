#include "train/genome_windows.h"

#include <algorithm>
#include <filesystem>

#include "io/sequence.h"
#include "util/error.h"

namespace genobird::train {

GenomeWindows::GenomeWindows(GenomeWindowSource source, std::uint64_t window_bp, double max_n_fraction)
    : source_(std::move(source)), window_bp_(window_bp), max_n_fraction_(max_n_fraction) {
  std::set<std::string> seen;
  std::uint64_t longest = 0;
  for (std::uint32_t f = 0; f < source_.fastas.size(); ++f) {
    const std::string& path = source_.fastas[f];
    if (!std::filesystem::exists(path)) throw InputError(path, 0, "no such FASTA file");
    io::IndexedFasta fasta(path);
    for (const auto& name : fasta.names()) {
      seen.insert(name);
      if (!source_.include.empty() && source_.include.count(name) == 0) continue;
      if (source_.exclude.count(name) != 0) continue;
      const std::uint64_t length = fasta.length(name);
      longest = std::max(longest, length);
      if (length < window_bp_) continue;
      sequences_.push_back({f, name, length, total_starts_});
      total_starts_ += length - window_bp_ + 1;
      total_bp_ += length;
    }
  }
  const std::string files = source_.fastas.empty() ? "(no FASTA given)" : source_.fastas.front();
  for (const auto* names : {&source_.include, &source_.exclude})
    for (const auto& name : *names)
      if (seen.count(name) == 0) throw InputError(files, 0, "no sequence named '" + name + "' in the genome FASTA files");
  if (sequences_.empty())
    throw InputError(files, 0,
                     "no sequence is at least one window long: the longest is " + std::to_string(longest) +
                         " bp, a window is " + std::to_string(window_bp_) +
                         " bp; use a shorter --seq-len or a longer genome");
}

Window GenomeWindows::pick(SplitMix64& rng) const {
  const std::uint64_t position = rng.below(total_starts_);
  auto it = std::upper_bound(sequences_.begin(), sequences_.end(), position,
                             [](std::uint64_t p, const Sequence& s) { return p < s.first_start; });
  const std::size_t index = static_cast<std::size_t>(it - sequences_.begin()) - 1;
  Window window;
  window.file = sequences_[index].file;
  window.sequence = static_cast<std::uint32_t>(index);
  window.start = position - sequences_[index].first_start;
  window.reverse = (rng.next() & 1) != 0;
  return window;
}

WindowReader::WindowReader(const GenomeWindows& windows) : windows_(windows) {
  for (const auto& path : windows.source().fastas) fastas_.push_back(std::make_unique<io::IndexedFasta>(path));
}

std::string WindowReader::fetch(const Window& window) {
  const auto& sequence = windows_.sequences()[window.sequence];
  std::string bases = fastas_[window.file]->fetch(sequence.name, window.start, window.start + windows_.window_bp());
  io::to_upper_inplace(bases);
  if (window.reverse) io::reverse_complement_inplace(bases);
  return bases;
}

std::string WindowReader::draw(SplitMix64& rng, Window& window) {
  const double limit = windows_.max_n_fraction() * static_cast<double>(windows_.window_bp());
  std::string bases;
  for (int attempt = 0; attempt < GenomeWindows::kMaxDraws; ++attempt) {
    window = windows_.pick(rng);
    bases = fetch(window);
    const auto ambiguous = std::count_if(bases.begin(), bases.end(), [](char c) {
      return c != 'A' && c != 'C' && c != 'G' && c != 'T';
    });
    if (static_cast<double>(ambiguous) <= limit) break;
  }
  return bases;
}

}  // namespace genobird::train
