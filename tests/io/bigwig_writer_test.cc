// bigWig writing through libBigWig, read back with libBigWig's reader; order errors; atomic output.
#include <gtest/gtest.h>

#include <filesystem>

#include "io/bigwig_writer.h"
#include "scratch_dir.h"
#include "util/error.h"

#define NOCURL
extern "C" {
#include <bigWig.h>
}

namespace genobird::io {
namespace {

TEST(BigWigWriter, IntervalsReadBackExactly) {
  const std::string path = (test::scratch_dir() / "round.bw").string();
  {
    BigWigWriter writer(path, {{"chrA", 1000}, {"chrB", 500}});
    for (std::uint64_t s = 0; s < 1000; s += 50) writer.add("chrA", s, s + 50, static_cast<float>(s) / 1000.0f);
    writer.add("chrB", 10, 20, 0.25f);
    writer.add("chrB", 30, 31, 1.0f);
    writer.commit();
  }
  bigWigFile_t* file = bwOpen(path.c_str(), nullptr, "r");
  ASSERT_NE(file, nullptr);
  ASSERT_EQ(file->cl->nKeys, 2);
  EXPECT_STREQ(file->cl->chrom[0], "chrA");
  EXPECT_EQ(file->cl->len[1], 500u);
  bwOverlappingIntervals_t* a = bwGetOverlappingIntervals(file, "chrA", 0, 1000);
  ASSERT_EQ(a->l, 20u);
  for (std::uint32_t i = 0; i < a->l; ++i) {
    EXPECT_EQ(a->start[i], i * 50);
    EXPECT_EQ(a->end[i], i * 50 + 50);
    EXPECT_FLOAT_EQ(a->value[i], static_cast<float>(i * 50) / 1000.0f);
  }
  bwDestroyOverlappingIntervals(a);
  bwOverlappingIntervals_t* b = bwGetOverlappingIntervals(file, "chrB", 0, 500);
  ASSERT_EQ(b->l, 2u);
  EXPECT_EQ(b->start[1], 30u);
  EXPECT_FLOAT_EQ(b->value[0], 0.25f);
  bwDestroyOverlappingIntervals(b);
  bwClose(file);
}

TEST(BigWigWriter, RejectsUnsortedOrOverlappingIntervalsAndLeavesNoFile) {
  const std::string path = (test::scratch_dir() / "bad.bw").string();
  {
    BigWigWriter writer(path, {{"chrA", 1000}, {"chrB", 500}});
    writer.add("chrB", 0, 10, 0.5f);
    EXPECT_THROW(writer.add("chrA", 0, 10, 0.5f), Error);   // earlier chromosome
    EXPECT_THROW(writer.add("chrB", 5, 15, 0.5f), Error);   // overlap
    EXPECT_THROW(writer.add("chrC", 0, 10, 0.5f), Error);   // unknown
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_THROW(BigWigWriter("-", {{"chrA", 10}}), UsageError);
}

TEST(BigWigWriter, RecognisesItsSuffixes) {
  EXPECT_TRUE(is_bigwig_path("a/track.bw"));
  EXPECT_TRUE(is_bigwig_path("track.bigWig"));
  EXPECT_FALSE(is_bigwig_path("track.bedgraph"));
  EXPECT_FALSE(is_bigwig_path("-"));
}

}  // namespace
}  // namespace genobird::io
