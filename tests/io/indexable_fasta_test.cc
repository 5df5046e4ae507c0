#include "io/indexable_fasta.h"

#include <gtest/gtest.h>
#include <htslib/bgzf.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "io/indexed_fasta.h"
#include "test_files.h"

using namespace genobird;
using namespace genobird::io;
namespace fs = std::filesystem;

namespace {
std::string lambda_text() {
  std::ifstream in(test::data_path("lambda_virus.fa"));
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}
std::string write_gzip(const std::string& name, const std::string& text) {
  const std::string path = (test::scratch_dir() / name).string();
  gzFile out = gzopen(path.c_str(), "wb");
  EXPECT_EQ(gzwrite(out, text.data(), static_cast<unsigned>(text.size())), static_cast<int>(text.size()));
  EXPECT_EQ(gzclose(out), Z_OK);
  return path;
}
std::string write_bgzip(const std::string& name, const std::string& text) {
  const std::string path = (test::scratch_dir() / name).string();
  BGZF* out = bgzf_open(path.c_str(), "w");
  EXPECT_EQ(bgzf_write(out, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  EXPECT_EQ(bgzf_close(out), 0);
  return path;
}
}  // namespace

TEST(IndexableFasta, TellsPlainGzipFromBgzipAndPlainText) {
  const std::string text = lambda_text();
  EXPECT_FALSE(is_plain_gzip(test::data_path("lambda_virus.fa")));
  EXPECT_TRUE(is_plain_gzip(write_gzip("kind.fa.gz", text)));
  EXPECT_FALSE(is_plain_gzip(write_bgzip("kind.fa.bgz", text)));
}

TEST(IndexableFasta, PlainAndBgzipFilesAreUsedAsTheyAre) {
  const IndexableFasta plain(test::data_path("lambda_virus.fa"));
  EXPECT_FALSE(plain.is_copy());
  EXPECT_EQ(plain.path(), test::data_path("lambda_virus.fa"));
  const std::string bgzip = write_bgzip("as_is.fa.gz", lambda_text());
  const IndexableFasta compressed(bgzip);
  EXPECT_FALSE(compressed.is_copy());
  EXPECT_EQ(compressed.path(), bgzip);
}

// A plain gzip file becomes an indexable copy that reads like the uncompressed file (same names, lengths and
// bases), removed with the object.
TEST(IndexableFasta, PlainGzipIsCopiedWithTheSameSequencesAndTheCopyRemoved) {
  const std::string text = ">first one\nACGTNNacgt\nTTGA\n>second\n\n>third\nGGGGCCCC\n" + lambda_text();
  const std::string plain_path = (test::scratch_dir() / "copied_plain.fa").string();
  std::ofstream(plain_path) << text;
  const IndexedFasta plain(plain_path);
  ASSERT_EQ(plain.names().size(), 3u);  // "second" is empty and left out, as faidx does
  std::string copy_path, folder;
  {
    const IndexableFasta fasta(write_gzip("copied.fa.gz", text));
    ASSERT_TRUE(fasta.is_copy());
    copy_path = fasta.path();
    folder = fs::path(copy_path).parent_path().string();
    const IndexedFasta copy(copy_path);
    ASSERT_EQ(copy.names(), plain.names());
    for (const auto& name : plain.names()) {
      ASSERT_EQ(copy.length(name), plain.length(name)) << name;
      EXPECT_EQ(copy.fetch(name, 0, copy.length(name)), plain.fetch(name, 0, plain.length(name))) << name;
    }
    EXPECT_EQ(copy.fetch("first", 0, 14), "ACGTNNacgtTTGA");
  }
  EXPECT_FALSE(fs::exists(copy_path));
  EXPECT_FALSE(fs::exists(folder));
}
