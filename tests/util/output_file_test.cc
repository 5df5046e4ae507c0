#include "util/output_file.h"

#include <gtest/gtest.h>
#include <htslib/bgzf.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "scratch_dir.h"
#include "util/error.h"

namespace fs = std::filesystem;
using genobird::OutputFile;

namespace {
fs::path fresh_dir(const std::string& name) { return genobird::test::fresh_scratch_subdir(name); }
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

// Lists the files of `dir`.
static std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(OutputFile, CompanionIndexIsBuiltOnTheTemporaryAndMovesInWithTheFile) {
  fs::path dir = fresh_dir("companion");
  fs::path out = dir / "track.gz";
  std::string built_on;
  {
    OutputFile f(out.string());
    f.set_companion_index({".idx", [&](const std::string& data_path) {
                             built_on = data_path;
                             EXPECT_FALSE(fs::exists(out)) << "the index is built before the data file is in place";
                             std::ofstream(data_path + ".idx") << "index of " << fs::path(data_path).filename().string();
                           }});
    f << "row\n";
    f.commit();
  }
  EXPECT_NE(built_on, out.string());
  EXPECT_EQ(files_in(dir), (std::vector<std::string>{"track.gz", "track.gz.idx"}));
  EXPECT_EQ(slurp(dir / "track.gz.idx"), "index of " + fs::path(built_on).filename().string());
}

TEST(OutputFile, FailingCompanionIndexLeavesNeitherFile) {
  fs::path dir = fresh_dir("companion_fails");
  fs::path out = dir / "track.gz";
  OutputFile f(out.string());
  f.set_companion_index({".tbi", [](const std::string& data_path) {
                           std::ofstream(data_path + ".tbi") << "half an index";
                           throw genobird::IoError("cannot build the index");
                         }});
  f << "row\n";
  EXPECT_THROW(f.commit(), genobird::IoError);
  EXPECT_TRUE(files_in(dir).empty()) << "left: " << (files_in(dir).empty() ? "" : files_in(dir).front());
}

TEST(OutputFile, NameAtTheSystemLimitGetsAShorterTemporary) {
  fs::path dir = fresh_dir("long_name");
  const std::string name(255, 'n');
  {
    OutputFile f((dir / name).string());
    f << "x";
    std::vector<std::string> during = files_in(dir);
    ASSERT_EQ(during.size(), 1u);
    EXPECT_LE(during.front().size(), 255u);
    EXPECT_NE(during.front().find(".tmp."), std::string::npos);
    f.commit();
  }
  EXPECT_EQ(files_in(dir), std::vector<std::string>{name});
}

TEST(OutputFile, NameOverTheSystemLimitIsRefusedWithTheReason) {
  fs::path dir = fresh_dir("too_long_name");
  try {
    OutputFile f((dir / std::string(256, 'n')).string());
    FAIL() << "a 256-byte name must be refused";
  } catch (const genobird::IoError& e) {
    EXPECT_NE(std::string(e.what()).find("256 bytes long"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(files_in(dir).empty());
}

TEST(OutputFile, DevicesAreWrittenNotReplaced) {
  {
    OutputFile f("/dev/null");
    EXPECT_FALSE(f.is_atomic());
    f << "discarded\n";
    f.commit();
  }
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
  OutputFile full("/dev/full");
  full << "x";
  EXPECT_THROW(full.commit(), genobird::IoError) << "a full device must fail the run";
  EXPECT_TRUE(fs::is_character_file("/dev/full"));
}

TEST(OutputFile, SymbolicLinkStaysALinkAndItsTargetIsReplaced) {
  fs::path dir = fresh_dir("symlink");
  std::ofstream(dir / "target.txt") << "old";
  fs::create_symlink("target.txt", dir / "link.txt");
  {
    OutputFile f((dir / "link.txt").string());
    f << "new";
    f.commit();
  }
  EXPECT_TRUE(fs::is_symlink(dir / "link.txt"));
  EXPECT_EQ(slurp(dir / "target.txt"), "new");
  EXPECT_EQ(files_in(dir), (std::vector<std::string>{"link.txt", "target.txt"}));
}

TEST(OutputFile, CheckOutputPathNamesTheOptionAndTheMissingFolder) {
  fs::path dir = fresh_dir("check");
  EXPECT_NO_THROW(genobird::check_output_path((dir / "ok.txt").string(), "-o"));
  EXPECT_NO_THROW(genobird::check_output_path("-", "-o"));
  try {
    genobird::check_output_path((dir / "missing" / "x.bed").string(), "--peaks");
    FAIL() << "a missing folder must be refused";
  } catch (const genobird::IoError& e) {
    EXPECT_NE(std::string(e.what()).find("--peaks"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
  }
  EXPECT_THROW(genobird::check_output_path(dir.string(), "-o"), genobird::IoError) << "a folder is not an output file";
  EXPECT_NO_THROW(genobird::check_output_folder((dir / "new" / "model").string(), "--out"));
  std::ofstream(dir / "file") << "x";
  EXPECT_THROW(genobird::check_output_folder((dir / "file" / "model").string(), "--out"), genobird::IoError);
  EXPECT_TRUE(fs::exists(dir / "file")) << "checking creates nothing";
  EXPECT_FALSE(fs::exists(dir / "new"));
}
