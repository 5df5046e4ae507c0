#include "io/bed.h"

#include <gtest/gtest.h>

#include "test_files.h"
#include "util/error.h"

using namespace genobird;
using namespace genobird::io;

TEST(Bed, Bed3ToBed12AndExtraColumnsWithHeaderLinesSkipped) {
  std::string path = test::write_file(
      "a.bed",
      "track name=x\nbrowser position chr1\n# comment\n\nchr1\t0\t10\n"
      "chr1\t5\t15\tname2\t7\t-\n"
      "chr2\t100\t200\tgene\t0\t+\t110\t190\t255,0,0\t2\t10,20\t0,80\textra1\textra2\n");
  auto records = read_bed(path);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].chrom, "chr1");
  EXPECT_EQ(records[0].start, 0u);
  EXPECT_EQ(records[0].end, 10u);
  EXPECT_EQ(records[0].line, 5u);
  EXPECT_FALSE(records[0].has_name());
  EXPECT_EQ(records[0].strand(), '.');
  EXPECT_EQ(records[1].name(), "name2");
  EXPECT_EQ(records[1].strand(), '-');
  EXPECT_EQ(records[1].length(), 10u);
  EXPECT_EQ(records[2].fields.size(), 14u);
  EXPECT_EQ(records[2].fields[13], "extra2");
  EXPECT_EQ(records[2].strand(), '+');
}

TEST(Bed, CrlfAndGzipInput) {
  std::string path = test::write_file("b.bed.gz", "chr1\t1\t2\r\nchr1\t3\t4\r\n");
  auto records = read_bed(path);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].end, 4u);
}

TEST(Bed, ValidationErrorsNameFileAndLine) {
  struct Case {
    const char* content;
    const char* message;
  } cases[] = {
      {"chr1\t0\t10\nchr1\t5\n", "bad.bed:2: expected at least 3 tab-separated columns"},
      {"chr1\tx\t10\n", "bad.bed:1: start 'x' is not a non-negative integer"},
      {"chr1\t0\t1.5\n", "bad.bed:1: end '1.5' is not a non-negative integer"},
      {"chr1\t-1\t10\n", "bad.bed:1: start is negative"},
      {"chr1\t20\t10\n", "bad.bed:1: start 20 is greater than end 10"},
      {"chr1\t0\t10\tn\t0\t*\n", "bad.bed:1: strand (column 6) must be '+', '-' or '.'"},
      {"\t0\t10\n", "bad.bed:1: empty chromosome name"},
  };
  for (const auto& c : cases) {
    std::string path = test::write_file("bad.bed", c.content);
    try {
      read_bed(path);
      ADD_FAILURE() << "no error for: " << c.content;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
    }
  }
}

TEST(Bed, ZeroLengthIntervalsAreValid) {
  auto records = read_bed(test::write_file("z.bed", "chr1\t5\t5\n"));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].length(), 0u);
}
