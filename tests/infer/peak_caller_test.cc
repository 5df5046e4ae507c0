// Peak calling: threshold and merge of touching bins.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "infer/peak_caller.h"
#include "scratch_dir.h"

namespace genobird::infer {
namespace {

std::string call(const std::vector<std::tuple<std::string, std::uint64_t, std::uint64_t, double>>& bins, double threshold) {
  const std::string path = (test::scratch_dir() / "peaks.bed").string();
  {
    OutputFile out(path);
    PeakCaller caller(out, threshold);
    for (const auto& [chrom, start, end, value] : bins) caller.add(chrom, start, end, value);
    caller.finish();
    out.commit();
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::filesystem::remove(path);
  return text.str();
}

TEST(PeakCaller, MergesTouchingBinsAboveThreshold) {
  EXPECT_EQ(call({{"c", 0, 10, 0.2}, {"c", 10, 20, 0.6}, {"c", 20, 30, 0.9}, {"c", 30, 40, 0.4}, {"c", 40, 50, 0.5}}, 0.5),
            "c\t10\t30\tpeak_1\t900\nc\t40\t50\tpeak_2\t500\n");
}

TEST(PeakCaller, SplitsAtGapsAndChromosomes) {
  // Bins from overlapping BED regions or different chromosomes must not merge.
  EXPECT_EQ(call({{"a", 0, 10, 0.7}, {"b", 10, 20, 0.8}, {"b", 25, 30, 0.8}}, 0.5),
            "a\t0\t10\tpeak_1\t700\nb\t10\t20\tpeak_2\t800\nb\t25\t30\tpeak_3\t800\n");
}

TEST(PeakCaller, NothingAboveThresholdGivesNoPeaks) {
  EXPECT_EQ(call({{"a", 0, 10, 0.1}, {"a", 10, 20, 0.49}}, 0.5), "");
}

}  // namespace
}  // namespace genobird::infer
