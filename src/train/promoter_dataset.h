// Promoter datasets (DeePromoter / DNABERT prom-300 style): fixed windows around transcription start
// sites as positives, and negatives that are supplied, built by the DeePromoter construction, or sampled
// from the genome away from every TSS.
//
// Windows are given relative to the TSS as [first, last] inclusive offsets, e.g. -249..+50 (300 bp) or the
// BigBird paper's -5000..+3000; offsets are along the transcript, so a '-' strand window is taken from the
// genome's other side of the TSS and reverse-complemented.
//
// DeePromoter construction (Oubounyt et al. 2019): cut the positive into 20 pieces, keep 8 chosen at random
// and replace the other 12 with random bases, so a negative shares much of its positive's sequence and a
// model cannot separate them by composition alone.
//
// All randomness comes from the caller's std::mt19937_64, so a dataset is a function of its seed.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "io/bed.h"
#include "io/indexed_fasta.h"
#include "train/labelled_data.h"

namespace genobird::train {

// Offsets of a window around a TSS (inclusive, along the transcript).
struct TssWindow {
  std::int64_t first = -249;
  std::int64_t last = 50;
  std::int64_t length() const { return last - first + 1; }
};

// Parses "-249..+50" / "-300..-1"; throws UsageError naming `option` for anything else or first > last.
TssWindow parse_tss_window(const std::string& text, const std::string& option);

// Where the TSS lies in a FASTA record given as positive: `kEnd` just past its last base (UCSC upstream
// files such as dm3_upstream2000.fa), `kStart` at its first base.
enum class TssAnchor { kStart, kEnd };

// Windows around the TSS of each BED record: its start on '+' (and '.') strands, end - 1 on '-'. Records
// whose window leaves the chromosome are skipped (counted in `skipped`). Throws InputError (BED file and
// line) for a chromosome the genome does not have.
std::vector<LabelledExample> promoter_windows_from_bed(const std::vector<io::BedRecord>& records,
                                                       const std::string& bed_path, const io::IndexedFasta& genome,
                                                       const TssWindow& window, std::size_t& skipped);

// Windows from FASTA records whose TSS is at `anchor`. The chromosome is read from a "CHR:START-END" word of
// the header (UCSC style, e.g. "NM_078863_up_2000_chr2L_16764737_f chr2L:16764737-16766736"); records
// without one get chrom "."; start, end and strand stay unknown (the header does not say which strand the
// record was taken from). Records too short for the window are skipped (counted in `skipped`).
std::vector<LabelledExample> promoter_windows_from_fasta(const std::string& fasta_path, const TssWindow& window,
                                                         TssAnchor anchor, std::size_t& skipped);

// Piece boundaries of a sequence of `length` bases cut into `pieces` nearly equal pieces:
// piece i is [i * length / pieces, (i + 1) * length / pieces).
std::vector<std::size_t> piece_boundaries(std::size_t length, int pieces);

// The DeePromoter negative of `positive`: `keep` of `pieces` pieces (chosen at random) kept, the others
// replaced by uniformly random A/C/G/T. `kept` (if given) receives one flag per piece.
std::string deepromoter_negative(const std::string& positive, std::mt19937_64& rng, std::vector<bool>* kept = nullptr,
                                 int pieces = 20, int keep = 8);

// `count` windows of `length` bp from the genome, each on the chromosome of one of `anchors` (cycled, so
// negatives follow the positives' chromosomes and chromosome splits stay balanced), at least
// `min_distance` bp from every position in `avoid` (per chromosome, sorted TSS positions) and with no N.
// Gives up on a chromosome after 1000 failed draws for one window (logged).
std::vector<LabelledExample> sample_genome_negatives(const io::IndexedFasta& genome,
                                                     const std::vector<LabelledExample>& anchors,
                                                     const std::vector<std::pair<std::string, std::int64_t>>& avoid,
                                                     std::int64_t length, std::int64_t min_distance,
                                                     std::mt19937_64& rng);

// Assignment of examples to train / valid / test.
struct SplitOptions {
  std::vector<std::string> test_chroms;   // examples on these go to test
  std::vector<std::string> valid_chroms;  // ... and on these to valid
  double test_fraction = 0.0;             // of the remaining examples, at random (only without test_chroms)
  double valid_fraction = 0.1;            // ditto (only without valid_chroms)
};

enum class Split { kTrain = 0, kValid = 1, kTest = 2 };
const char* split_name(Split split);

// The split of an example on `chrom`; `draw` is a uniform [0, 1) number used for fraction splits.
Split assign_split(const SplitOptions& options, const std::string& chrom, double draw);

}  // namespace genobird::train
