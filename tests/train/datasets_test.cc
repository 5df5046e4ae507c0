// Labelled dataset format, promoter windows and DeePromoter negatives, chromatin bins, on the real lambda
// genome fixture (tests/data/lambda_virus.fa) with BED files written here.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "io/bed.h"
#include "io/indexed_fasta.h"
#include "io/sequence.h"
#include "scratch_dir.h"
#include "train/chromatin_dataset.h"
#include "train/labelled_data.h"
#include "train/promoter_dataset.h"
#include "util/error.h"

namespace genobird::train {
namespace {

namespace fs = std::filesystem;

const std::string kLambda = std::string(GENOBIRD_TEST_DATA) + "/lambda_virus.fa";

class TempDir {
 public:
  TempDir() : path_(test::scratch_dir() / ("datasets_" + std::to_string(counter_++))) {
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string file(const std::string& name, const std::string& content) const {
    std::string p = (path_ / name).string();
    std::ofstream(p) << content;
    return p;
  }
  std::string path(const std::string& name) const { return (path_ / name).string(); }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

TEST(LabelledData, RoundTripAndErrors) {
  TempDir dir;
  LabelledDataset d;
  d.task = "chromatin";
  d.label_names = {"TF:a", "DNase:b"};
  d.add({"x1", "chr1", 10, 20, '+', "ACGTACGTAC"}, {1, 0});
  d.add({"x2", ".", -1, -1, '.', "GGGG"}, {0, 1});
  write_labelled_dataset(dir.path("d.tsv"), d);
  LabelledDataset back = read_labelled_dataset(dir.path("d.tsv"));
  EXPECT_EQ(back.task, "chromatin");
  EXPECT_EQ(back.label_names, d.label_names);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back.examples[0].start, 10);
  EXPECT_EQ(back.examples[1].start, -1);
  EXPECT_EQ(back.examples[1].sequence, "GGGG");
  EXPECT_EQ(back.labels, d.labels);

  const std::string head = "#genobird-dataset\tversion=1\ttask=promoter\nname\tchrom\tstart\tend\tstrand\tsequence\tpromoter\n";
  auto expect_error = [&](const std::string& content, const std::string& needle) {
    std::string p = dir.file("bad.tsv", content);
    try {
      read_labelled_dataset(p);
      ADD_FAILURE() << "no error for " << needle;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  expect_error("name\tchrom\n", "#genobird-dataset");
  expect_error(head + "a\tchr1\t1\t2\t+\tACGT\t2\n", ":3: label 'promoter': expected 0 or 1, found '2'");
  expect_error(head + "a\tchr1\t1\t2\t+\tACGT\n", ":3: expected 7 tab-separated columns, found 6");
  expect_error(head + "a\tchr1\t-5\t2\t+\tACGT\t1\n", "column start");
  expect_error(head + "a\tchr1\t1\t2\tx\tACGT\t1\n", "column strand");
}

TEST(PromoterDataset, WindowParsing) {
  TssWindow w = parse_tss_window("-249..+50", "--window");
  EXPECT_EQ(w.first, -249);
  EXPECT_EQ(w.last, 50);
  EXPECT_EQ(w.length(), 300);
  EXPECT_EQ(parse_tss_window("-300..-1", "--window").length(), 300);
  EXPECT_THROW(parse_tss_window("50..-249", "--window"), UsageError);
  EXPECT_THROW(parse_tss_window("-249:50", "--window"), UsageError);
}

TEST(PromoterDataset, DeePromoterKeepsExactlyEightOfTwentyPiecesAndIsSeeded) {
  io::IndexedFasta genome(kLambda);
  const std::string positive = genome.fetch("gi|9626243|ref|NC_001416.1|", 1000, 1300);
  std::mt19937_64 rng(5);
  std::vector<bool> kept;
  const std::string negative = deepromoter_negative(positive, rng, &kept);
  ASSERT_EQ(negative.size(), positive.size());
  ASSERT_EQ(kept.size(), 20u);
  EXPECT_EQ(std::count(kept.begin(), kept.end(), true), 8);
  const auto bounds = piece_boundaries(positive.size(), 20);
  EXPECT_EQ(bounds.front(), 0u);
  EXPECT_EQ(bounds.back(), 300u);
  int differing_replaced = 0;
  for (int p = 0; p < 20; ++p) {
    std::string a = positive.substr(bounds[p], bounds[p + 1] - bounds[p]);
    std::string b = negative.substr(bounds[p], bounds[p + 1] - bounds[p]);
    if (kept[p]) EXPECT_EQ(a, b) << "kept piece " << p << " changed";
    else differing_replaced += a != b;
    for (char c : b) EXPECT_TRUE(c == 'A' || c == 'C' || c == 'G' || c == 'T');
  }
  // A replaced piece of 15 random bases equals the original with probability 4^-15: all 12 must differ.
  EXPECT_EQ(differing_replaced, 12);
  std::mt19937_64 same(5), other(6);
  EXPECT_EQ(deepromoter_negative(positive, same), negative);
  EXPECT_NE(deepromoter_negative(positive, other), negative);
}

TEST(PromoterDataset, BedWindowsFollowTheStrand) {
  TempDir dir;
  io::IndexedFasta genome(kLambda);
  const std::string chrom = genome.names()[0];
  std::string bed = dir.file("tss.bed", chrom + "\t5000\t5001\tplus\t0\t+\n" + chrom + "\t7000\t9000\tminus\t0\t-\n" +
                                            chrom + "\t100\t101\tedge\t0\t+\n");
  std::size_t skipped = 0;
  auto windows = promoter_windows_from_bed(io::read_bed(bed), bed, genome, {-249, 50}, skipped);
  ASSERT_EQ(windows.size(), 2u);
  EXPECT_EQ(skipped, 1u);  // the window of "edge" starts before the chromosome
  EXPECT_EQ(windows[0].start, 5000 - 249);
  EXPECT_EQ(windows[0].end, 5000 + 51);
  EXPECT_EQ(windows[0].sequence, genome.fetch(chrom, 4751, 5051));
  // '-' strand: TSS at end - 1 = 8999; transcript offsets -249..+50 are genome 8949..9248, reverse-complemented.
  EXPECT_EQ(windows[1].start, 8999 - 50);
  EXPECT_EQ(windows[1].end, 8999 + 250);
  EXPECT_EQ(windows[1].sequence, io::reverse_complement(genome.fetch(chrom, 8949, 9249)));
  std::string wrong = dir.file("wrong.bed", "chrZ\t10\t11\n");
  EXPECT_THROW(promoter_windows_from_bed(io::read_bed(wrong), wrong, genome, {-249, 50}, skipped), InputError);
}

TEST(PromoterDataset, FastaWindowsTakeTheChromosomeFromTheHeader) {
  TempDir dir;
  std::string seq(400, 'A');
  for (std::size_t i = 0; i < seq.size(); ++i) seq[i] = "ACGT"[(i * 7) % 4];
  std::string fa = dir.file("up.fa", ">NM_1_up_2000_chr2L_100_f chr2L:100-499\n" + seq + "\n>short no_location\nACGT\n");
  std::size_t skipped = 0;
  auto windows = promoter_windows_from_fasta(fa, {-300, -1}, TssAnchor::kEnd, skipped);
  ASSERT_EQ(windows.size(), 1u);
  EXPECT_EQ(skipped, 1u);
  EXPECT_EQ(windows[0].chrom, "chr2L");
  EXPECT_EQ(windows[0].sequence, seq.substr(100));
}

TEST(PromoterDataset, SplitsByChromosomeThenFraction) {
  SplitOptions s;
  s.test_chroms = {"chr2L"};
  s.valid_fraction = 0.25;
  EXPECT_EQ(assign_split(s, "chr2L", 0.9), Split::kTest);
  EXPECT_EQ(assign_split(s, "chr3R", 0.1), Split::kValid);
  EXPECT_EQ(assign_split(s, "chr3R", 0.3), Split::kTrain);
  s.test_chroms.clear();
  s.test_fraction = 0.1;
  EXPECT_EQ(assign_split(s, "chr2L", 0.05), Split::kTest);
}

TEST(ChromatinDataset, BinRuleAtTheEdges) {
  // Bins of 200: exactly half (100 bp) is negative, 101 bp positive; a peak spanning bins counts in each.
  std::vector<io::Interval> peaks = merge_intervals({{0, 100},        // bin 0: exactly half -> negative
                                                     {200, 301},      // bin 1: 101 bp -> positive
                                                     {650, 1150},     // bins 3 (150), 4 (200), 5 (150)
                                                     {1250, 1330}, {1300, 1340}});  // overlapping, in bin 6
  EXPECT_EQ(positive_bins(peaks, 2000, 200), (std::vector<std::uint64_t>{1, 3, 4, 5}));
  // Bin 6 holds the merged peak [1250, 1340): 90 bp, negative; counting the two peaks apart would give
  // 80 + 40 = 120 and call it positive.
  EXPECT_EQ(merge_intervals({{1250, 1330}, {1300, 1340}}), (std::vector<io::Interval>{{1250, 1340}}));
  // Chromosome end: bin 9 [1800, 2000) has 150 bp; the partial [2000, 2150) is never a bin, even covered.
  EXPECT_EQ(positive_bins({{1850, 2150}}, 2150, 200), (std::vector<std::uint64_t>{9}));
  EXPECT_EQ(positive_bins({{1900, 2150}}, 2150, 200), (std::vector<std::uint64_t>{}));  // bin 9: exactly half
}

TEST(ChromatinDataset, PositiveBinsMatchPerBaseCounting) {
  std::mt19937 rng(3);
  for (int trial = 0; trial < 50; ++trial) {
    const std::uint64_t length = 3000 + rng() % 500, bin = 200;
    std::vector<io::Interval> raw;
    for (int i = 0; i < 12; ++i) {
      std::uint64_t start = rng() % length, len = 1 + rng() % 400;
      raw.push_back({start, std::min(length, start + len)});
    }
    std::vector<io::Interval> merged = merge_intervals(raw);
    std::vector<std::uint8_t> covered(length, 0);
    for (const auto& iv : raw)
      for (std::uint64_t p = iv.start; p < iv.end; ++p) covered[p] = 1;
    std::vector<std::uint64_t> expected;
    for (std::uint64_t b = 0; (b + 1) * bin <= length; ++b) {
      std::uint64_t bases = 0;
      for (std::uint64_t p = b * bin; p < (b + 1) * bin; ++p) bases += covered[p];
      if (2 * bases > bin) expected.push_back(b);
    }
    EXPECT_EQ(positive_bins(merged, length, bin), expected) << "trial " << trial;
  }
}

TEST(ChromatinDataset, BuildsCentredWindowsOnTheRealGenome) {
  TempDir dir;
  io::IndexedFasta genome(kLambda);
  const std::string chrom = genome.names()[0];
  const std::uint64_t length = genome.length(chrom);  // 48502
  std::string table = dir.file("peaks.bed", chrom + "\t10000\t10101\tp1\n" + chrom + "\t20050\t20400\tp2\n" + chrom +
                                               "\t0\t600\tp2\n" + chrom + "\t48200\t48502\tp1\n");
  auto profiles = read_peak_table(table, 4);
  ASSERT_EQ(profiles.size(), 2u);
  EXPECT_EQ(profiles[0].name, "p1");
  ChromatinDatasetOptions options;
  options.background_fraction = 0;
  options.test_chroms = {};
  options.valid_chroms = {};
  std::mt19937_64 rng(1);
  ChromatinDatasets sets = build_chromatin_datasets(genome, profiles, options, rng);
  EXPECT_EQ(sets.train.label_names, (std::vector<std::string>{"p1", "p2"}));
  // p1: bin 50 [10000,10200) has 101 bp -> positive; bin 241 [48200,48400) is positive but its window
  // [47800, 48800) runs past the end (48502) -> dropped. p2: bins 100 (150 bp) and 101 (200 bp), and bins
  // 0-2 of [0, 600), of which only bin 2 has a window that starts inside the chromosome ([0, 1000)).
  std::vector<std::string> names;
  for (const auto& e : sets.train.examples) names.push_back(e.name);
  EXPECT_EQ(names, (std::vector<std::string>{chrom + "_bin2", chrom + "_bin50", chrom + "_bin100", chrom + "_bin101"}));
  const LabelledExample& e = sets.train.examples[1];
  EXPECT_EQ(e.start, 10100 - 500);
  EXPECT_EQ(e.end, 10100 + 500);
  std::string expected = genome.fetch(chrom, 9600, 10600);
  io::to_upper_inplace(expected);
  EXPECT_EQ(e.sequence, expected);
  EXPECT_EQ(sets.train.label(1, 0), 1);
  EXPECT_EQ(sets.train.label(1, 1), 0);
  EXPECT_EQ(sets.train.label(0, 1), 1);
  EXPECT_EQ(sets.train.label(2, 1), 1);
  EXPECT_EQ(sets.bins_total, (length / 200) - 2 - 2);  // windows fit for bins 2..239 of 0..241
  // A split by chromosome sends everything to test; all background bins kept with fraction 1.
  options.test_chroms = {chrom};
  options.background_fraction = 1;
  ChromatinDatasets all = build_chromatin_datasets(genome, profiles, options, rng);
  EXPECT_EQ(all.train.size(), 0u);
  EXPECT_EQ(all.test.size(), sets.bins_total);
}

TEST(ChromatinDataset, SplitsByPositionAndGuardsHeldOutBases) {
  TempDir dir;
  io::IndexedFasta genome(kLambda);
  const std::string chrom = genome.names()[0];
  // p1 on bins 2, 97 and 98; p2 on bins 100 and 101 (bins of 200 bp, windows of 1000 bp).
  std::string table = dir.file("peaks.bed", chrom + "\t400\t600\tp1\n" + chrom + "\t19400\t19800\tp1\n" + chrom +
                                               "\t20000\t20400\tp2\n");
  auto profiles = read_peak_table(table, 4);
  ChromatinDatasetOptions options;
  options.background_fraction = 0;
  options.test_background_fraction = 1;
  options.test_chroms = {};
  options.valid_chroms = {};
  options.test_regions = io::parse_genome_regions(genome, chrom + ":30,001-", "--test-regions");
  options.valid_regions = io::parse_genome_regions(genome, chrom + ":20001-30000", "--valid-regions");
  ASSERT_EQ(options.test_regions.size(), 1u);
  EXPECT_EQ(options.test_regions[0].start, 30000u);
  EXPECT_EQ(options.test_regions[0].end, genome.length(chrom));
  std::mt19937_64 rng(1);
  ChromatinDatasets sets = build_chromatin_datasets(genome, profiles, options, rng);
  auto names = [](const LabelledDataset& d) {
    std::vector<std::string> out;
    for (const auto& e : d.examples) out.push_back(e.name.substr(e.name.rfind("_bin") + 4));
    return out;
  };
  // Train: bin 98's window [19200, 20200) reaches into the validation region, so it is dropped; bin 97's
  // [19000, 20000) ends where the region starts and stays.
  EXPECT_EQ(names(sets.train), (std::vector<std::string>{"2", "97"}));
  EXPECT_EQ(names(sets.valid), (std::vector<std::string>{"100", "101"}));
  // Test keeps every bin from 150 ([30000, 30200)) to 239, the last whose window fits.
  ASSERT_EQ(sets.test.size(), 90u);
  EXPECT_EQ(sets.test.examples.front().name, chrom + "_bin150");
  // Guarded: training bins 98 and 99 (windows reach 20000) and validation bins 148 and 149 (reach 30000).
  EXPECT_EQ(sets.bins_dropped_guard, 4u);
  EXPECT_THROW(io::parse_genome_regions(genome, chrom + ":30001-99999999", "--test-regions"), UsageError);
  EXPECT_THROW(io::parse_genome_regions(genome, "chrNope:1-10", "--test-regions"), UsageError);
  EXPECT_THROW(io::parse_genome_regions(genome, chrom + ":0-10", "--test-regions"), UsageError);
  EXPECT_THROW(io::parse_genome_regions(genome, chrom + ":10-x", "--test-regions"), UsageError);
}

TEST(ChromatinDataset, PeakFilesNameTheirProfiles) {
  TempDir dir;
  io::IndexedFasta genome(kLambda);
  const std::string chrom = genome.names()[0];
  std::string np = dir.file("CTCF.narrowPeak", chrom + "\t100\t300\tpeak1\t500\t.\t5.1\t10.2\t8.3\t100\n");
  auto profiles = read_peak_files({np});
  ASSERT_EQ(profiles.size(), 1u);
  EXPECT_EQ(profiles[0].name, "CTCF");
  std::string foreign = dir.file("x.bed", "chrQ\t1\t300\n");
  ChromatinDatasetOptions options;
  std::mt19937_64 rng(1);
  EXPECT_THROW(build_chromatin_datasets(genome, read_peak_files({foreign}), options, rng), InputError);
}

}  // namespace
}  // namespace genobird::train
