// genobird make-dataset promoter | chromatin: labelled datasets (train / valid / test files) for finetune
// and evaluate, in the format of train/labelled_data.h.
#include <filesystem>
#include <random>
#include <set>
#include <sstream>

#include "command.h"
#include "io/bed.h"
#include "io/genome_region.h"
#include "io/indexed_fasta.h"
#include "io/sequence_reader.h"
#include "io/sequence.h"
#include "options.h"
#include "train/chromatin_dataset.h"
#include "train/labelled_data.h"
#include "train/promoter_dataset.h"
#include "util/error.h"
#include "util/log.h"
#include "util/plural.h"

namespace genobird::cli {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ','))
    if (!item.empty()) items.push_back(item);
  return items;
}

bool is_bed_name(const std::string& path) {
  for (const char* suffix : {".bed", ".bed.gz", ".narrowPeak", ".narrowPeak.gz"}) {
    std::string s = suffix;
    if (path.size() >= s.size() && path.compare(path.size() - s.size(), s.size(), s) == 0) return true;
  }
  return false;
}

void write_splits(const std::string& dir, const train::LabelledDataset* splits[3]) {
  fs::create_directories(dir);
  for (int s = 0; s < 3; ++s) {
    const std::string path = (fs::path(dir) / (std::string(train::split_name(static_cast<train::Split>(s))) + ".tsv")).string();
    train::write_labelled_dataset(path, *splits[s]);
    std::size_t positives = 0;
    for (std::uint8_t v : splits[s]->labels) positives += v;
    LOG_INFO(path << ": " << count_noun(splits[s]->size(), "example") << ", " << count_noun(positives, "positive label"));
  }
}

class MakePromoterDatasetCommand : public Command {
 public:
  void add_options(po::options_description& options, po::positional_options_description&) override {
    const train::TssWindow window;
    const train::SplitOptions split;
    options.add_options()("positives", po::value(&positives_)->required(),
                          "TSS regions as BED (with --genome; TSS = start on '+', end-1 on '-') or FASTA records")(
        "genome", po::value(&genome_), "genome FASTA (for BED positives, BED negatives and --negatives genome)")(
        "window", po::value(&window_)->default_value(std::to_string(window.first) + "..+" + std::to_string(window.last)),
        "window around the TSS, inclusive offsets along the transcript (e.g. -249..+50, -5000..+2999)")(
        "tss-at", po::value(&tss_at_)->default_value("start"),
        "FASTA positives: the TSS is at the record's first base (start) or just past its last (end: UCSC upstream files)")(
        "negatives", po::value(&negatives_)->default_value("deepromoter"),
        "deepromoter (20 pieces, keep 8, randomise 12), genome (random genome windows away from every TSS), or a "
        "FASTA/BED file of negatives")(
        "negative-distance", po::value(&negative_distance_)->default_value(2000),
        "--negatives genome: minimum distance in bp from any positive TSS")(
        "test-chroms", po::value(&test_chroms_)->default_value(""), "comma-separated chromosomes held out for test")(
        "valid-chroms", po::value(&valid_chroms_)->default_value(""), "comma-separated chromosomes for validation")(
        "test-fraction", value_with_default(&test_fraction_, split.test_fraction),
        "without --test-chroms: fraction of positives (with their negatives) drawn for test")(
        "valid-fraction", value_with_default(&valid_fraction_, split.valid_fraction),
        "without --valid-chroms: fraction drawn for validation")(
        "out", po::value(&out_)->required(), "folder for train.tsv, valid.tsv and test.tsv");
    add_seed_option(options, seed_);
  }

  std::vector<OutputPath> outputs() const override { return {{"--out", out_, true}}; }

  std::string description() const override {
    return "Positives are windows around transcription start sites; identical positive windows are kept once and\n"
           "windows with N are dropped. Each positive gets one negative (DeePromoter construction or a genome\n"
           "window) in the same split, unless negatives are supplied. Splits: by chromosome, else by fraction.";
  }

  // Why no positive window is left, and, when the window runs outside the sequences, a --window that fits.
  std::string no_positive_message(const train::TssWindow& window, std::size_t skipped, std::size_t with_n,
                                  std::size_t repeated) const {
    std::string message = "no usable positive window";
    if (skipped == 0) return message + " (" + std::to_string(with_n) + " with N, " + std::to_string(repeated) + " repeated)";
    const bool bed = is_bed_name(positives_);
    message += ": the window " + window_ + " reaches outside " +
               (with_n + repeated == 0 ? "all " + count_noun(skipped, bed ? "region" : "record")
                                       : std::to_string(skipped) + " of " +
                                             count_noun(skipped + with_n + repeated, bed ? "region" : "record") +
                                             " (the others have N or repeat a window)");
    if (bed) return message + " (near a chromosome end of --genome)";
    if (tss_at_ == "end" && window.last >= 0)
      return message + "; with --tss-at end the TSS is just past each record's last base, so the window must end at -1 "
                       "or before: try --window -" + std::to_string(window.length()) + "..-1";
    if (tss_at_ == "start" && window.first < 0)
      return message + "; with --tss-at start the TSS is each record's first base, so the window must start at 0 or "
                       "after: try --window 0..+" + std::to_string(window.length() - 1) +
             " (or --tss-at end for upstream sequences)";
    return message + "; the records are shorter than the " + std::to_string(window.length()) +
           "-bp window: give a shorter --window";
  }

  int run(const po::variables_map&) override {
    require(test_fraction_ >= 0 && valid_fraction_ >= 0 && test_fraction_ + valid_fraction_ < 1,
            "--test-fraction and --valid-fraction must be >= 0 and sum to less than 1");
    require(tss_at_ == "start" || tss_at_ == "end", "--tss-at must be start or end");
    const train::TssWindow window = train::parse_tss_window(window_, "--window");
    std::unique_ptr<io::IndexedFasta> genome;
    if (!genome_.empty()) genome = std::make_unique<io::IndexedFasta>(genome_);
    std::size_t skipped = 0;
    std::vector<train::LabelledExample> positives;
    if (is_bed_name(positives_)) {
      require(genome != nullptr, "BED positives need --genome");
      positives = train::promoter_windows_from_bed(io::read_bed(positives_), positives_, *genome, window, skipped);
    } else {
      positives = train::promoter_windows_from_fasta(positives_, window,
                                                     tss_at_ == "end" ? train::TssAnchor::kEnd : train::TssAnchor::kStart, skipped);
    }
    if (skipped) LOG_INFO(count_noun(skipped, "positive") << " skipped: window outside the sequence");
    // Drop windows with N and repeated windows (alternative transcripts sharing a TSS).
    std::set<std::string> seen;
    std::size_t with_n = 0, repeated = 0;
    std::vector<train::LabelledExample> kept;
    for (auto& e : positives) {
      if (io::count_n(e.sequence) > 0) ++with_n;
      else if (!seen.insert(e.sequence).second) ++repeated;
      else kept.push_back(std::move(e));
    }
    positives = std::move(kept);
    LOG_INFO(count_noun(positives.size(), "positive") << " (" << with_n << " with N and " << count_noun(repeated, "repeated window")
                                                      << " dropped)");
    if (positives.empty()) throw InputError(positives_, 0, no_positive_message(window, skipped, with_n, repeated));

    train::SplitOptions split;
    split.test_chroms = split_commas(test_chroms_);
    split.valid_chroms = split_commas(valid_chroms_);
    split.test_fraction = test_fraction_;
    split.valid_fraction = valid_fraction_;
    std::mt19937_64 rng(seed_);
    auto draw = [&] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };

    train::LabelledDataset sets[3];
    for (auto& set : sets) {
      set.task = "promoter";
      set.label_names = {"promoter"};
    }
    std::vector<train::LabelledExample> genome_negatives;
    if (negatives_ == "genome") {
      require(genome != nullptr, "--negatives genome needs --genome");
      std::vector<std::pair<std::string, std::int64_t>> tss;
      for (const auto& e : positives)
        if (e.chrom != "." && e.start >= 0) tss.emplace_back(e.chrom, e.strand == '-' ? e.end - 1 - window.last : e.start - window.first);
      genome_negatives = train::sample_genome_negatives(*genome, positives, tss, window.length(), negative_distance_, rng);
    }
    for (const auto& positive : positives) {
      const train::Split s = train::assign_split(split, positive.chrom, draw());
      if (negatives_ == "deepromoter") {
        train::LabelledExample negative;
        negative.name = positive.name + "_deepromoter";
        negative.sequence = train::deepromoter_negative(positive.sequence, rng);
        negative.chrom = positive.chrom;  // kept so that chromosome splits hold it with its positive
        sets[static_cast<int>(s)].add(negative, {0});
      }
      sets[static_cast<int>(s)].add(positive, {1});
    }
    if (negatives_ == "genome") {
      for (const auto& negative : genome_negatives)
        sets[static_cast<int>(train::assign_split(split, negative.chrom, draw()))].add(negative, {0});
    } else if (negatives_ != "deepromoter") {
      for (const auto& negative : supplied_negatives(genome.get()))
        sets[static_cast<int>(train::assign_split(split, negative.chrom, draw()))].add(negative, {0});
    }
    const train::LabelledDataset* splits[3] = {&sets[0], &sets[1], &sets[2]};
    write_splits(out_, splits);
    return 0;
  }

 private:
  std::vector<train::LabelledExample> supplied_negatives(const io::IndexedFasta* genome) const {
    std::vector<train::LabelledExample> out;
    if (is_bed_name(negatives_)) {
      require(genome != nullptr, "BED negatives need --genome");
      for (const auto& r : io::read_bed(negatives_)) {
        if (!genome->contains(r.chrom) || r.end > genome->length(r.chrom))
          throw InputError(negatives_, r.line, "region " + r.chrom + ":" + std::to_string(r.start) + "-" +
                                                   std::to_string(r.end) + " is not inside the genome " + genome_);
        train::LabelledExample e;
        e.name = r.has_name() ? r.name() : r.chrom + ":" + std::to_string(r.start);
        e.chrom = r.chrom;
        e.start = static_cast<std::int64_t>(r.start);
        e.end = static_cast<std::int64_t>(r.end);
        e.strand = r.strand() == '-' ? '-' : '+';
        e.sequence = genome->fetch(r.chrom, r.start, r.end);
        io::to_upper_inplace(e.sequence);
        if (e.strand == '-') io::reverse_complement_inplace(e.sequence);
        out.push_back(std::move(e));
      }
    } else {
      for (auto& record : io::read_sequences(negatives_, {true})) {
        train::LabelledExample e;
        e.name = record.name;
        e.sequence = std::move(record.seq);
        if (e.sequence.empty()) throw InputError(negatives_, record.line, "empty negative sequence");
        out.push_back(std::move(e));
      }
    }
    LOG_INFO(count_noun(out.size(), "supplied negative") << " from " << negatives_);
    return out;
  }

  std::string positives_, genome_, window_, tss_at_, negatives_, test_chroms_, valid_chroms_, out_;
  std::int64_t negative_distance_ = 2000;
  double test_fraction_ = 0, valid_fraction_ = 0;
  unsigned long seed_ = 42;
};

class MakeChromatinDatasetCommand : public Command {
 public:
  void add_options(po::options_description& options, po::positional_options_description&) override {
    const train::ChromatinDatasetOptions d;
    auto join = [](const std::vector<std::string>& v) {
      std::string s;
      for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
      return s;
    };
    options.add_options()("genome", po::value(&genome_)->required(), "genome FASTA (indexed on first use)")(
        "peaks", po::value(&peaks_)->multitoken(), "peak files, one per profile (BED or narrowPeak; profile = file name)")(
        "peak-table", po::value(&peak_table_), "one peak file for all profiles, the profile named in --profile-column")(
        "profile-column", po::value(&profile_column_)->default_value(4), "--peak-table: 1-based column of the profile name")(
        "bin", po::value(&options_.bin_bp)->default_value(d.bin_bp), "bin length in bp")(
        "window", po::value(&options_.window_bp)->default_value(d.window_bp), "input window centred on each bin, in bp")(
        "background-fraction", value_with_default(&options_.background_fraction, d.background_fraction),
        "share of bins positive for no profile that are kept (seeded)")(
        "max-n-fraction", value_with_default(&options_.max_n_fraction, d.max_n_fraction),
        "drop bins whose window has a larger share of N")(
        "test-chroms", po::value(&test_chroms_)->default_value(join(d.test_chroms)), "comma-separated test chromosomes")(
        "valid-chroms", po::value(&valid_chroms_)->default_value(join(d.valid_chroms)), "comma-separated validation chromosomes")(
        "test-regions", po::value(&test_regions_),
        "test bins by position: regions CHR:START-END (1-based, inclusive) or CHR:START- (to the end), separated by spaces; "
        "training and validation bins whose window reaches into them are dropped")(
        "valid-regions", po::value(&valid_regions_), "validation bins by position, as --test-regions")(
        "test-background-fraction", po::value(&options_.test_background_fraction)->default_value(-1, "as --background-fraction"),
        "share of the test split's all-negative bins that are kept (1: every bin, the real class balance)")(
        "out", po::value(&out_)->required(), "folder for train.tsv, valid.tsv and test.tsv");
    add_seed_option(options, seed_);
  }

  std::vector<OutputPath> outputs() const override { return {{"--out", out_, true}}; }

  std::string description() const override {
    return "DeepSEA-style examples: the genome is cut into bins; a bin is positive for a profile when more than\n"
           "half of it lies in that profile's (merged) peaks; the input is the window centred on the bin. Bins\n"
           "positive for any profile are kept, plus --background-fraction of the others. See docs/formats.md.";
  }

  int run(const po::variables_map&) override {
    require(peaks_.empty() != peak_table_.empty(), "give exactly one of --peaks FILE... and --peak-table FILE");
    require(profile_column_ >= 4, "--profile-column must be 4 or more (columns 1-3 are the region)");
    require(options_.bin_bp > 0, "--bin must be positive");
    require(options_.background_fraction >= 0 && options_.background_fraction <= 1, "--background-fraction must be in [0, 1]");
    options_.test_chroms = split_commas(test_chroms_);
    options_.valid_chroms = split_commas(valid_chroms_);
    require(options_.test_background_fraction <= 1, "--test-background-fraction must be in [0, 1]");
    std::vector<train::PeakProfile> profiles =
        peak_table_.empty() ? train::read_peak_files(peaks_) : train::read_peak_table(peak_table_, profile_column_);
    if (profiles.empty()) throw InputError(peak_table_, 0, "no peaks");
    io::IndexedFasta genome(genome_);
    options_.test_regions = io::parse_genome_regions(genome, test_regions_, "--test-regions");
    options_.valid_regions = io::parse_genome_regions(genome, valid_regions_, "--valid-regions");
    std::mt19937_64 rng(seed_);
    train::ChromatinDatasets sets = train::build_chromatin_datasets(genome, profiles, options_, rng);
    LOG_INFO(count_noun(profiles.size(), "profile") << "; " << count_noun(sets.bins_total, "bin") << " with a full window, " << sets.bins_dropped_n
                             << " dropped for N"
                             << (sets.bins_dropped_guard > 0 ? ", " + std::to_string(sets.bins_dropped_guard) +
                                                                   " dropped because their window reaches into a held-out region"
                                                             : std::string()));
    const train::LabelledDataset* splits[3] = {&sets.train, &sets.valid, &sets.test};
    write_splits(out_, splits);
    return 0;
  }

 private:
  std::string genome_, peak_table_, test_chroms_, valid_chroms_, test_regions_, valid_regions_, out_;
  std::vector<std::string> peaks_;
  int profile_column_ = 4;
  train::ChromatinDatasetOptions options_;
  unsigned long seed_ = 42;
};

}  // namespace

std::unique_ptr<Command> make_make_dataset_promoter_command() { return std::make_unique<MakePromoterDatasetCommand>(); }
std::unique_ptr<Command> make_make_dataset_chromatin_command() { return std::make_unique<MakeChromatinDatasetCommand>(); }

}  // namespace genobird::cli
