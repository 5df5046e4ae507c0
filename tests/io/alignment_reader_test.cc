#include "io/alignment_reader.h"

#include <gtest/gtest.h>

#include <map>

#include "io/sequence.h"
#include "test_files.h"
#include "util/error.h"

using namespace genobird;
using namespace genobird::io;

namespace {
std::vector<ReadRecord> read_all(const std::string& path, AlignmentReaderOptions options = {}) {
  AlignmentReader reader(path, options);
  std::vector<ReadRecord> reads;
  ReadRecord r;
  while (reader.next(r)) reads.push_back(r);
  return reads;
}
// Counts fixed by tests/data/README.md: 186 primary records, 4 secondary, 3 supplementary.
constexpr std::size_t kPrimary = 186;
}  // namespace

TEST(AlignmentReader, DefaultFilterDropsSecondaryAndSupplementary) {
  auto reads = read_all(test::data_path("lambda_aligned.bam"));
  EXPECT_EQ(reads.size(), kPrimary);
  for (const auto& r : reads) EXPECT_EQ(r.flag & 0x900, 0) << r.name;
  AlignmentReaderOptions all;
  all.exclude_flags = 0;
  EXPECT_EQ(read_all(test::data_path("lambda_aligned.bam"), all).size(), kPrimary + 7);
}

TEST(AlignmentReader, ReverseReadsAreRestoredToSequencingOrientation) {
  AlignmentReaderOptions as_stored;
  as_stored.original_orientation = false;
  auto stored = read_all(test::data_path("lambda_aligned.bam"), as_stored);
  auto restored = read_all(test::data_path("lambda_aligned.bam"));
  ASSERT_EQ(stored.size(), restored.size());
  int reversed = 0;
  for (std::size_t i = 0; i < stored.size(); ++i) {
    if (stored[i].flag & 0x10) {
      ++reversed;
      EXPECT_EQ(restored[i].seq, reverse_complement(stored[i].seq));
      EXPECT_EQ(restored[i].qual, std::string(stored[i].qual.rbegin(), stored[i].qual.rend()));
    } else {
      EXPECT_EQ(restored[i].seq, stored[i].seq);
    }
  }
  EXPECT_GT(reversed, 10);
}

TEST(AlignmentReader, CramWithReferenceEqualsBam) {
  AlignmentReaderOptions cram;
  cram.reference = test::data_path("lambda_virus.fa");
  auto from_cram = read_all(test::data_path("lambda_aligned.cram"), cram);
  auto from_bam = read_all(test::data_path("lambda_aligned.bam"));
  ASSERT_EQ(from_cram.size(), from_bam.size());
  for (std::size_t i = 0; i < from_bam.size(); ++i) {
    EXPECT_EQ(from_cram[i].name, from_bam[i].name);
    EXPECT_EQ(from_cram[i].seq, from_bam[i].seq);
  }
}

TEST(AlignmentReader, RegionAndMapqFilters) {
  auto all = read_all(test::data_path("lambda_aligned.bam"));
  AlignmentReaderOptions options;
  options.region = "gi|9626243|ref|NC_001416.1|:10000-20000";
  options.min_mapq = 30;
  auto some = read_all(test::data_path("lambda_aligned.bam"), options);
  ASSERT_FALSE(some.empty());
  EXPECT_LT(some.size(), all.size());
  for (const auto& r : some) {
    EXPECT_GE(r.mapq, 30);
    EXPECT_LT(r.pos, 20000);
    EXPECT_EQ(r.chrom, "gi|9626243|ref|NC_001416.1|");
  }
}

TEST(AlignmentReader, UnalignedBamHasAllReads) {
  auto reads = read_all(test::data_path("lambda_reads.bam"));
  EXPECT_EQ(reads.size(), 249u);
  EXPECT_EQ(reads[0].chrom, "");
  EXPECT_EQ(reads[0].pos, -1);
  EXPECT_EQ(reads[0].seq.size(), reads[0].qual.size());
}

TEST(AlignmentReader, BadInputs) {
  EXPECT_THROW(read_all(test::data_path("lambda_virus.fa")), InputError) << "a FASTA is not an alignment file";
  AlignmentReaderOptions region;
  region.region = "nope:1-2";
  EXPECT_THROW(read_all(test::data_path("lambda_aligned.bam"), region), InputError);
  EXPECT_TRUE(is_alignment_file(test::data_path("lambda_reads.bam")));
  EXPECT_FALSE(is_alignment_file(test::data_path("lambda_virus.fa")));
}
