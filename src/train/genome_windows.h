// Random windows of genome sequence for pretraining: uniform over every start position of every
// sequence long enough, on either strand.
//
// GenomeWindows holds the sequence names and lengths of one or more FASTA files (read from their faidx
// indexes, built on first use) and picks windows; WindowReader fetches their bases. A window is drawn
// uniformly over all valid start positions of all eligible sequences (so long chromosomes are sampled in
// proportion to their length), then a strand with probability 1/2 each.
//
// N-heavy windows: a window with more than `max_n_fraction` N (or other non-ACGT) bases is rejected and
// another drawn (up to kMaxDraws times, then the window is used anyway, so that a genome of mostly gaps
// cannot stall training); assembly gaps and unplaced scaffolds would otherwise teach the model that
// [N-run] tokens are common. The default 5% keeps windows with short ambiguity codes.
//
// Held-out data: `include` restricts sampling to the named sequences (validation by chromosome) and
// `exclude` removes them (the matching training set).
//
// Errors (InputError naming the file): a missing or unreadable FASTA, an unknown name in include/exclude,
// no sequence at least one window long (the message gives the longest length and the window length).
// Thread-safety: GenomeWindows is immutable and shared; a WindowReader belongs to one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "io/indexed_fasta.h"
#include "train/random.h"

namespace genobird::train {

// Windows with more than this fraction of non-ACGT bases are redrawn (see above): pretraining's and
// evaluation's default.
constexpr double kDefaultMaxNFraction = 0.05;

struct GenomeWindowSource {
  std::vector<std::string> fastas;
  std::set<std::string> include;  // when not empty: only these sequences
  std::set<std::string> exclude;  // never these sequences
};

struct Window {
  std::uint32_t file = 0;      // index into the source's fastas
  std::uint32_t sequence = 0;  // index into GenomeWindows::sequences()
  std::uint64_t start = 0;     // 0-based, on the forward strand
  bool reverse = false;        // reverse complement of [start, start + length)
};

class GenomeWindows {
 public:
  static constexpr int kMaxDraws = 64;

  GenomeWindows(GenomeWindowSource source, std::uint64_t window_bp, double max_n_fraction);

  struct Sequence {
    std::uint32_t file = 0;
    std::string name;
    std::uint64_t length = 0;
    std::uint64_t first_start = 0;  // cumulative count of valid starts before this sequence
  };

  // Draws a window position (no bases read; see WindowReader::draw for the N check).
  Window pick(SplitMix64& rng) const;

  const GenomeWindowSource& source() const { return source_; }
  const std::vector<Sequence>& sequences() const { return sequences_; }
  std::uint64_t window_bp() const { return window_bp_; }
  double max_n_fraction() const { return max_n_fraction_; }
  std::uint64_t total_bp() const { return total_bp_; }  // bases of the eligible sequences

 private:
  GenomeWindowSource source_;
  std::uint64_t window_bp_;
  double max_n_fraction_;
  std::vector<Sequence> sequences_;
  std::uint64_t total_starts_ = 0;
  std::uint64_t total_bp_ = 0;
};

class WindowReader {
 public:
  explicit WindowReader(const GenomeWindows& windows);

  // Bases of a window, upper-case, reverse-complemented for the reverse strand.
  std::string fetch(const Window& window);
  // Draws windows until one passes the N threshold (see above); returns its bases, sets `window`.
  std::string draw(SplitMix64& rng, Window& window);

 private:
  const GenomeWindows& windows_;
  std::vector<std::unique_ptr<io::IndexedFasta>> fastas_;
};

}  // namespace genobird::train
