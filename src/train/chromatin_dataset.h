// Chromatin-profile datasets in the style of DeepSEA (Zhou & Troyanskaya 2015) from a genome and peak files.
//
// Rules (also in docs/formats.md, "Chromatin datasets"):
//   - Each chromosome is cut into bins of `bin_bp` (200) from position 0: [k*bin, (k+1)*bin). A final
//     partial bin is dropped.
//   - A bin is positive for a profile when strictly more than half of it (> bin_bp / 2 bases) lies inside
//     that profile's peaks; overlapping peaks of one profile are merged first, so no base counts twice.
//     Exactly half is negative.
//   - The example's input is the `window_bp` window centred on the bin: [centre - window/2, centre + window/2)
//     with centre = k*bin + bin/2. Bins whose window leaves the chromosome are dropped, and so are bins whose
//     window has more than `max_n_fraction` N.
//   - Kept bins: every bin positive for at least one profile, plus a seeded random `background_fraction`
//     of the bins positive for none (DeepSEA kept only bins with a TF peak; a background share lets a model
//     learn what no profile looks like).
//   - Splits by chromosome: `test_chroms` (default chr8, chr9), `valid_chroms` (default chr7), the rest train;
//     or by position: a bin inside a `test_regions` region is a test bin, inside a `valid_regions` region a
//     validation bin (regions take precedence over chromosome lists). So that no training input holds a
//     held-out base, a training bin whose window reaches into a validation or test region is dropped, and so
//     is a validation bin whose window reaches into a test region; test bins are all kept.
//   - The test split keeps `test_background_fraction` of its all-negative bins (1: every bin, the real class
//     balance); by default the same share as the others.
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "io/genome_region.h"
#include "io/indexed_fasta.h"
#include "io/sequence.h"
#include "train/labelled_data.h"

namespace genobird::train {

// The peaks of one profile, per chromosome, merged and sorted.
struct PeakProfile {
  std::string name;
  std::string source;  // the peak file, for messages
  std::map<std::string, std::vector<io::Interval>> peaks;
};

// One profile per BED file (BED3+ or narrowPeak), named by the file name without .gz, .bed, .narrowPeak.
std::vector<PeakProfile> read_peak_files(const std::vector<std::string>& paths);
// One BED file whose column `profile_column` (1-based, >= 4) names each peak's profile; profiles in order of
// first appearance. Throws InputError (file, line) for a line without that column.
std::vector<PeakProfile> read_peak_table(const std::string& path, int profile_column);

// Sorts and merges overlapping or touching intervals.
std::vector<io::Interval> merge_intervals(std::vector<io::Interval> intervals);

// Indexes of the bins of a chromosome of `chrom_length` bp that are positive for merged `peaks`.
std::vector<std::uint64_t> positive_bins(const std::vector<io::Interval>& peaks, std::uint64_t chrom_length,
                                         std::uint64_t bin_bp);

struct ChromatinDatasetOptions {
  std::uint64_t bin_bp = 200;
  std::uint64_t window_bp = 1000;
  double background_fraction = 0.1;
  double max_n_fraction = 0.01;
  std::vector<std::string> test_chroms = {"chr8", "chr9"};
  std::vector<std::string> valid_chroms = {"chr7"};
  std::vector<io::GenomeRegion> test_regions, valid_regions;
  double test_background_fraction = -1;  // < 0: background_fraction
};

struct ChromatinDatasets {
  LabelledDataset train, valid, test;
  std::uint64_t bins_total = 0;       // complete bins whose window fits
  std::uint64_t bins_dropped_n = 0;   // dropped for N
  std::uint64_t bins_dropped_guard = 0;  // dropped because the window reaches into a held-out region
};

// Builds the three splits over every chromosome of the genome. Throws UsageError for a window shorter
// than the bin, InputError when a peak names a chromosome the genome lacks (with the peak file).
ChromatinDatasets build_chromatin_datasets(const io::IndexedFasta& genome, const std::vector<PeakProfile>& profiles,
                                           const ChromatinDatasetOptions& options, std::mt19937_64& rng);

}  // namespace genobird::train
