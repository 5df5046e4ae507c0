// Window geometry: centring, N padding off chromosome ends and strand, against a base-by-base reference.
#include <gtest/gtest.h>

#include "infer/windows.h"
#include "io/sequence.h"
#include "io/sequence_reader.h"
#include "test_model.h"

namespace genobird::infer {
namespace {

// The obviously correct version: position by position, N outside the chromosome.
std::string reference_window(const std::string& chrom_seq, std::int64_t start, std::int64_t end, bool reverse) {
  std::string out;
  for (std::int64_t p = start; p < end; ++p)
    out += (p < 0 || p >= static_cast<std::int64_t>(chrom_seq.size())) ? 'N' : chrom_seq[static_cast<std::size_t>(p)];
  io::to_upper_inplace(out);
  if (reverse) io::reverse_complement_inplace(out);
  return out;
}

TEST(CentredWindow, KeepsTheCentreAndWidth) {
  GenomeWindow w = centred_window(100, 200, 50);
  EXPECT_EQ(w.start, 125);
  EXPECT_EQ(w.end, 175);
  w = centred_window(100, 101, 10);  // a 1-bp region: centre 100
  EXPECT_EQ(w.start, 95);
  EXPECT_EQ(w.end, 105);
  w = centred_window(0, 10, 100);  // runs below 0
  EXPECT_EQ(w.start, -45);
  EXPECT_EQ(w.end, 55);
}

TEST(ShiftedInside, MovesWindowsOffAnEndInsideAChromosomeLongEnough) {
  GenomeWindow w = shifted_inside(centred_window(0, 10, 100), 1000);  // [-45, 55) -> [0, 100)
  EXPECT_EQ(w.start, 0);
  EXPECT_EQ(w.end, 100);
  w = shifted_inside(centred_window(990, 1000, 100), 1000);  // [945, 1045) -> [900, 1000)
  EXPECT_EQ(w.start, 900);
  EXPECT_EQ(w.end, 1000);
  w = shifted_inside(centred_window(400, 500, 100), 1000);  // inside already: unchanged
  EXPECT_EQ(w.start, 400);
  EXPECT_EQ(w.end, 500);
  w = shifted_inside(centred_window(0, 60, 100), 60);  // chromosome shorter than the window: padded as before
  EXPECT_EQ(w.start, -20);
  EXPECT_EQ(w.end, 80);
  w = shifted_inside(centred_window(0, 100, 100), 100);  // exactly one window long
  EXPECT_EQ(w.start, 0);
  EXPECT_EQ(w.end, 100);
}

TEST(FetchWindow, MatchesBaseByBaseReferenceIncludingEndsAndStrand) {
  const std::string path = testing::lambda_path();
  io::IndexedFasta genome(path);
  const std::string chrom = genome.names().front();
  const std::uint64_t length = genome.length(chrom);
  const std::string seq = genome.fetch(chrom, 0, length);
  const std::int64_t L = static_cast<std::int64_t>(length);
  const std::pair<std::int64_t, std::int64_t> windows[] = {
      {0, 200}, {-50, 150}, {L - 100, L + 100}, {-300, -100}, {L + 5, L + 105}, {1000, 1001}, {-10, L + 10}};
  for (const auto& [start, end] : windows) {
    for (bool reverse : {false, true}) {
      std::string got;
      const std::uint64_t padded = fetch_window(genome, chrom, length, {start, end}, reverse, got);
      const std::string want = reference_window(seq, start, end, reverse);
      EXPECT_EQ(got, want) << start << "-" << end << (reverse ? " reverse" : "");
      std::uint64_t want_padded = 0;
      for (std::int64_t p = start; p < end; ++p) want_padded += (p < 0 || p >= L) ? 1 : 0;
      EXPECT_EQ(padded, want_padded) << start << "-" << end;
    }
  }
}

// The obviously correct alternate window: edit the whole chromosome, then cut position by position.
std::string reference_allele_window(const std::string& chrom_seq, std::int64_t start, std::int64_t end,
                                    const std::string& allele, std::int64_t width) {
  const std::string edited = chrom_seq.substr(0, static_cast<std::size_t>(start)) + allele +
                             chrom_seq.substr(static_cast<std::size_t>(end));
  const std::int64_t first = start + static_cast<std::int64_t>(allele.size()) / 2 - width / 2;
  return reference_window(edited, first, first + width, false);
}

TEST(AlleleWindow, EqualsEditingTheWholeChromosomeForSnvsAndIndelsNearEnds) {
  io::IndexedFasta genome(testing::lambda_path());
  const std::string chrom = genome.names().front();
  const std::uint64_t length = genome.length(chrom);
  const std::string seq = genome.fetch(chrom, 0, length);
  const auto L = static_cast<std::int64_t>(length);
  struct Case { std::int64_t start, end; std::string allele; };
  const Case cases[] = {{1000, 1001, "A"}, {1000, 1001, "TTT"}, {1000, 1031, "G"}, {1000, 1004, "ACGTACGTAC"},
                        {0, 1, "C"}, {3, 40, "T"}, {L - 1, L, "GA"}, {L - 20, L, "A"}, {500, 501, std::string(250, 'C')}};
  for (std::int64_t width : {1, 100, 199, 200}) {
    for (const auto& c : cases) {
      std::string got;
      const std::uint64_t padded = allele_window(genome, chrom, length, static_cast<std::uint64_t>(c.start),
                                                 static_cast<std::uint64_t>(c.end), c.allele, width, got);
      const std::string want = reference_allele_window(seq, c.start, c.end, c.allele, width);
      EXPECT_EQ(got, want) << c.start << "-" << c.end << " " << c.allele << " width " << width;
      EXPECT_EQ(got.size(), static_cast<std::size_t>(width));
      (void)padded;
    }
  }
  // With the reference allele it is the reference window of predict.
  std::string ref_window, centred;
  allele_window(genome, chrom, length, 1000, 1004, seq.substr(1000, 4), 200, ref_window);
  fetch_window(genome, chrom, length, centred_window(1000, 1004, 200), false, centred);
  EXPECT_EQ(ref_window, centred);
}

TEST(CentralBases, CropsLongRecordsAroundTheCentre) {
  EXPECT_EQ(central_bases("AACCGGTT", 4), "CCGG");
  EXPECT_EQ(central_bases("ACG", 10), "ACG");
  EXPECT_EQ(central_bases("ACGTA", 0), "ACGTA");
}

TEST(BinCount, TilesTheRegion) {
  EXPECT_EQ(bin_count(0, 100, 25), 4u);
  EXPECT_EQ(bin_count(0, 101, 25), 5u);
  EXPECT_EQ(bin_count(10, 10, 25), 0u);
  EXPECT_EQ(bin_count(5, 6, 25), 1u);
}

}  // namespace
}  // namespace genobird::infer
