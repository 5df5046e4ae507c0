#include "util/output_file.h"

#include <gtest/gtest.h>
#include <htslib/bgzf.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "scratch_dir.h"
#include "util/error.h"

namespace fs = std::filesystem;
using genobird::OutputFile;

namespace {
fs::path fresh_dir(const std::string& name) {
  fs::path dir = genobird::test::scratch_dir() / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}
std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST(OutputFile, CommitRenamesIntoPlaceAndLeavesNoTemporary) {
  fs::path dir = fresh_dir("commit");
  fs::path out = dir / "out.txt";
  {
    OutputFile f(out.string());
    f << "hello\n" << 'x';
    EXPECT_FALSE(fs::exists(out)) << "the final name must not appear before commit";
    f.commit();
  }
  EXPECT_EQ(slurp(out), "hello\nx");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
}

TEST(OutputFile, DestroyedWithoutCommitLeavesExistingFileUntouched) {
  fs::path dir = fresh_dir("abort");
  fs::path out = dir / "out.txt";
  std::ofstream(out) << "old contents";
  {
    OutputFile f(out.string());
    f << "new half-written data";
  }
  EXPECT_EQ(slurp(out), "old contents");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
}

TEST(OutputFile, LargeWritesArriveInOrder) {
  fs::path dir = fresh_dir("large");
  fs::path out = dir / "big.txt";
  std::string expected;
  {
    OutputFile f(out.string());
    for (int i = 0; i < 300000; ++i) {
      std::string line = std::to_string(i) + "\n";
      expected += line;
      f << line;
    }
    std::string block(3 << 20, 'A');
    expected += block;
    f.write(block);
    f.commit();
  }
  EXPECT_EQ(slurp(out), expected);
}

TEST(OutputFile, GzNameWritesBgzfThatHtslibReadsBack) {
  fs::path dir = fresh_dir("bgzf");
  fs::path out = dir / "x.txt.gz";
  {
    OutputFile f(out.string());
    EXPECT_TRUE(f.is_bgzf());
    f << "chr1\t0\t10\n";
    f.commit();
  }
  BGZF* in = bgzf_open(out.c_str(), "r");
  ASSERT_NE(in, nullptr);
  EXPECT_EQ(bgzf_compression(in), 2) << "expected bgzip, not plain gzip";
  char buf[64] = {0};
  ssize_t n = bgzf_read(in, buf, sizeof buf);
  bgzf_close(in);
  EXPECT_EQ(std::string(buf, static_cast<size_t>(n)), "chr1\t0\t10\n");
}

TEST(OutputFile, UnwritableDirectoryIsAnIoError) {
  EXPECT_THROW(OutputFile("/nonexistent_genobird_dir/out.txt"), genobird::IoError);
}

TEST(OutputFile, CommitTwiceIsAnError) {
  fs::path dir = fresh_dir("twice");
  OutputFile f((dir / "a").string());
  f.commit();
  EXPECT_THROW(f.commit(), genobird::IoError);
}
