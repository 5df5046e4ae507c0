#include "train/promoter_dataset.h"

#include <algorithm>
#include <charconv>
#include <regex>

#include "io/sequence.h"
#include "io/sequence_reader.h"
#include "util/error.h"
#include "util/limits.h"
#include "util/log.h"

namespace genobird::train {
namespace {

bool parse_offset(const std::string& text, std::int64_t& value) {
  if (text.empty()) return false;
  std::size_t begin = text[0] == '+' ? 1 : 0;
  auto [end, error] = std::from_chars(text.data() + begin, text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

// Fills `example` with window [start, end) of the genome, reverse-complemented on '-'.
bool window_sequence(const io::IndexedFasta& genome, const std::string& chrom, std::int64_t start, std::int64_t end,
                     char strand, std::string& out) {
  if (start < 0 || end > static_cast<std::int64_t>(genome.length(chrom))) return false;
  genome.fetch_into(chrom, static_cast<std::uint64_t>(start), static_cast<std::uint64_t>(end), out);
  io::to_upper_inplace(out);
  if (strand == '-') io::reverse_complement_inplace(out);
  return true;
}

const char kBases[4] = {'A', 'C', 'G', 'T'};

}  // namespace

TssWindow parse_tss_window(const std::string& text, const std::string& option) {
  std::size_t dots = text.find("..");
  TssWindow window;
  if (dots == std::string::npos || !parse_offset(text.substr(0, dots), window.first) ||
      !parse_offset(text.substr(dots + 2), window.last) || window.first > window.last ||
      static_cast<double>(window.last) - static_cast<double>(window.first) >= static_cast<double>(limits::kMaxWindowBp))
    throw UsageError(option + " must be FIRST..LAST offsets from the TSS with FIRST <= LAST (e.g. -249..+50), at most " +
                     std::to_string(limits::kMaxWindowBp) + " bp apart, not '" + text + "'");
  return window;
}

std::vector<LabelledExample> promoter_windows_from_bed(const std::vector<io::BedRecord>& records,
                                                       const std::string& bed_path, const io::IndexedFasta& genome,
                                                       const TssWindow& window, std::size_t& skipped) {
  std::vector<LabelledExample> out;
  skipped = 0;
  for (const auto& r : records) {
    if (!genome.contains(r.chrom))
      throw InputError(bed_path, r.line, "chromosome '" + r.chrom + "' is not in the genome " + genome.path());
    const char strand = r.strand();
    if (r.end == r.start) throw InputError(bed_path, r.line, "empty region: the TSS needs start < end");
    const std::int64_t tss = strand == '-' ? static_cast<std::int64_t>(r.end) - 1 : static_cast<std::int64_t>(r.start);
    LabelledExample e;
    e.chrom = r.chrom;
    e.strand = strand == '-' ? '-' : '+';
    e.start = strand == '-' ? tss - window.last : tss + window.first;
    e.end = e.start + window.length();
    e.name = r.has_name() && !r.name().empty() ? r.name() : r.chrom + ":" + std::to_string(tss);
    if (!window_sequence(genome, r.chrom, e.start, e.end, e.strand, e.sequence)) {
      ++skipped;
      continue;
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<LabelledExample> promoter_windows_from_fasta(const std::string& fasta_path, const TssWindow& window,
                                                         TssAnchor anchor, std::size_t& skipped) {
  static const std::regex kLocation(R"(^([^:\s]+):(\d+)-(\d+)$)");
  io::SequenceReader reader(fasta_path, {true});
  io::SequenceRecord record;
  std::vector<LabelledExample> out;
  skipped = 0;
  while (reader.next(record)) {
    const std::int64_t length = static_cast<std::int64_t>(record.seq.size());
    const std::int64_t tss = anchor == TssAnchor::kEnd ? length : 0;
    const std::int64_t start = tss + window.first, end = tss + window.last + 1;
    if (start < 0 || end > length) {
      ++skipped;
      continue;
    }
    LabelledExample e;
    e.name = record.name;
    e.strand = '.';
    e.sequence = record.seq.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start));
    std::smatch match;
    std::string first_word = record.comment.substr(0, record.comment.find_first_of(" \t"));
    // Only the chromosome is taken: whether the record is the genome's forward strand or its reverse
    // complement is not written in the header, so the window's genome coordinates stay unknown.
    if (std::regex_match(first_word, match, kLocation)) e.chrom = match[1];
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<std::size_t> piece_boundaries(std::size_t length, int pieces) {
  std::vector<std::size_t> bounds;
  for (int i = 0; i <= pieces; ++i) bounds.push_back(length * static_cast<std::size_t>(i) / static_cast<std::size_t>(pieces));
  return bounds;
}

std::string deepromoter_negative(const std::string& positive, std::mt19937_64& rng, std::vector<bool>* kept,
                                 int pieces, int keep) {
  std::vector<int> order(static_cast<std::size_t>(pieces));
  for (int i = 0; i < pieces; ++i) order[static_cast<std::size_t>(i)] = i;
  // Fisher-Yates on our own draws (not std::shuffle), so the result does not depend on the library.
  for (int i = pieces - 1; i > 0; --i) std::swap(order[static_cast<std::size_t>(i)], order[rng() % static_cast<std::uint64_t>(i + 1)]);
  std::vector<bool> keep_piece(static_cast<std::size_t>(pieces), false);
  for (int i = 0; i < keep; ++i) keep_piece[static_cast<std::size_t>(order[static_cast<std::size_t>(i)])] = true;
  const auto bounds = piece_boundaries(positive.size(), pieces);
  std::string negative = positive;
  for (int p = 0; p < pieces; ++p) {
    if (keep_piece[static_cast<std::size_t>(p)]) continue;
    for (std::size_t i = bounds[static_cast<std::size_t>(p)]; i < bounds[static_cast<std::size_t>(p) + 1]; ++i)
      negative[i] = kBases[rng() & 3];
  }
  if (kept) *kept = keep_piece;
  return negative;
}

std::vector<LabelledExample> sample_genome_negatives(const io::IndexedFasta& genome,
                                                     const std::vector<LabelledExample>& anchors,
                                                     const std::vector<std::pair<std::string, std::int64_t>>& avoid,
                                                     std::int64_t length, std::int64_t min_distance,
                                                     std::mt19937_64& rng) {
  std::vector<LabelledExample> out;
  std::vector<std::pair<std::string, std::int64_t>> sorted_avoid = avoid;
  std::sort(sorted_avoid.begin(), sorted_avoid.end());
  constexpr int kMaxDraws = 1000;
  std::string seq;
  for (const auto& anchor : anchors) {
    if (anchor.chrom == "." || !genome.contains(anchor.chrom)) continue;
    const std::int64_t chrom_length = static_cast<std::int64_t>(genome.length(anchor.chrom));
    if (chrom_length <= length) continue;
    bool found = false;
    for (int draw = 0; draw < kMaxDraws && !found; ++draw) {
      const std::int64_t start = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(chrom_length - length));
      // Nearest position to avoid on this chromosome, on either side of the window.
      auto lo = std::lower_bound(sorted_avoid.begin(), sorted_avoid.end(), std::make_pair(anchor.chrom, start - min_distance));
      if (lo != sorted_avoid.end() && lo->first == anchor.chrom && lo->second < start + length + min_distance) continue;
      window_sequence(genome, anchor.chrom, start, start + length, '+', seq);
      if (io::count_n(seq) > 0) continue;
      LabelledExample e;
      e.chrom = anchor.chrom;
      e.start = start;
      e.end = start + length;
      e.strand = (rng() & 1) ? '-' : '+';
      if (e.strand == '-') io::reverse_complement_inplace(seq);
      e.sequence = seq;
      e.name = "background_" + anchor.chrom + ":" + std::to_string(start);
      out.push_back(std::move(e));
      found = true;
    }
    if (!found) LOG_WARN("no background window found on " << anchor.chrom << " after " << kMaxDraws << " draws");
  }
  return out;
}

const char* split_name(Split split) {
  switch (split) {
    case Split::kTrain: return "train";
    case Split::kValid: return "valid";
    case Split::kTest: return "test";
  }
  return "train";
}

Split assign_split(const SplitOptions& options, const std::string& chrom, double draw) {
  auto contains = [&](const std::vector<std::string>& list) { return std::find(list.begin(), list.end(), chrom) != list.end(); };
  if (contains(options.test_chroms)) return Split::kTest;
  if (contains(options.valid_chroms)) return Split::kValid;
  const double test = options.test_chroms.empty() ? options.test_fraction : 0.0;
  const double valid = options.valid_chroms.empty() ? options.valid_fraction : 0.0;
  if (draw < test) return Split::kTest;
  if (draw < test + valid) return Split::kValid;
  return Split::kTrain;
}

}  // namespace genobird::train
