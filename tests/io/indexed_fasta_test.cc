#include "io/indexed_fasta.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "io/sequence_reader.h"
#include "test_files.h"
#include "util/error.h"

using namespace genobird;
using namespace genobird::io;
namespace fs = std::filesystem;

namespace {
std::string copy_to_scratch(const std::string& name) {
  fs::path to = test::scratch_dir() / name;
  fs::copy_file(test::data_path("lambda_virus.fa"), to, fs::copy_options::overwrite_existing);
  return to.string();
}
}  // namespace

// Every fetch equals the same slice of the sequence read by the streaming reader.
TEST(IndexedFasta, FetchesEqualSlicesOfTheWholeSequenceAndBuildsTheIndex) {
  std::string path = copy_to_scratch("lambda.fa");
  fs::remove(path + ".fai");
  IndexedFasta genome(path);
  EXPECT_TRUE(fs::exists(path + ".fai"));
  std::string whole = read_sequences(path)[0].seq;
  const std::string name = genome.names().at(0);
  ASSERT_EQ(genome.length(name), whole.size());
  std::mt19937_64 rng(1);
  for (int i = 0; i < 500; ++i) {
    std::uint64_t a = rng() % (whole.size() + 1), b = rng() % (whole.size() + 1);
    if (a > b) std::swap(a, b);
    ASSERT_EQ(genome.fetch(name, a, b), whole.substr(a, b - a)) << a << "-" << b;
  }
  EXPECT_EQ(genome.fetch(name, 0, whole.size()), whole);
}

TEST(IndexedFasta, BgzipGenomeGetsGziIndexAndSameBases) {
  std::string plain = copy_to_scratch("lambda2.fa");
  std::string whole = read_sequences(plain)[0].seq;
  std::string text = ">" + read_sequences(plain)[0].name + "\n";
  for (std::size_t i = 0; i < whole.size(); i += 60) text += whole.substr(i, 60) + "\n";
  std::string bgz = test::write_file("lambda.fa.gz", text);
  IndexedFasta genome(bgz);
  EXPECT_TRUE(fs::exists(bgz + ".gzi"));
  const std::string name = genome.names().at(0);
  EXPECT_EQ(genome.fetch(name, 40000, 40100), whole.substr(40000, 100));
  EXPECT_EQ(genome.fetch(name, 0, whole.size()), whole);
}

TEST(IndexedFasta, MultipleRecordsWithDifferentLineWidths) {
  std::string path = test::write_file("multi.fa", ">a\nACGTA\nCG\n>b desc\nTT\nTT\nG\n>c\nnnnnACGT\n");
  IndexedFasta genome(path);
  EXPECT_EQ(genome.names(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(genome.fetch("a", 3, 7), "TACG");
  EXPECT_EQ(genome.fetch("b", 0, 5), "TTTTG");
  EXPECT_EQ(genome.fetch("c", 2, 6), "nnAC") << "case is kept";
  EXPECT_EQ(genome.fetch("c", 8, 8), "");
}

TEST(IndexedFasta, UnknownNamesAndOutOfRangeCoordinatesAreErrors) {
  IndexedFasta genome(copy_to_scratch("lambda3.fa"));
  const std::string name = genome.names().at(0);
  EXPECT_FALSE(genome.contains("chrZ"));
  EXPECT_THROW(genome.fetch("chrZ", 0, 1), InputError);
  EXPECT_THROW(genome.fetch(name, 10, 5), InputError);
  EXPECT_THROW(genome.fetch(name, 0, 48503), InputError);
  EXPECT_NO_THROW(genome.fetch(name, 48501, 48502));
}

TEST(IndexedFasta, MissingFileIsAnInputError) {
  EXPECT_THROW(IndexedFasta((test::scratch_dir() / "absent.fa").string()), InputError);
}

namespace {
std::string write_scratch(const std::string& name, const std::string& text) {
  fs::path path = test::scratch_dir() / name;
  fs::remove(path.string() + ".fai");
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

std::string error_of(const std::string& path) {
  try {
    IndexedFasta genome(path);
    for (const auto& name : genome.names()) genome.fetch(name, 0, genome.length(name));
  } catch (const InputError& e) {
    return e.what();
  }
  return "accepted";
}
}  // namespace

// The index is checked against the file: records of every shape a .fai describes are accepted (CRLF line
// ends, an empty record, blank lines between records, a last line without its newline, leading blank
// lines), and every edit made after indexing is refused.
TEST(IndexedFasta, IndexIsCheckedAgainstTheFile) {
  const std::string good = ">a desc\nACGTACGTAC\nACGTAC\n\n>b\r\nNNNN\r\nAC\r\n>c\n>d\nACG";
  EXPECT_EQ(error_of(write_scratch("shapes.fa", good)), "accepted");
  EXPECT_EQ(error_of(write_scratch("leading.fa", "\n\n>a\nACGT\n")), "accepted");

  const std::string path = write_scratch("edited.fa", good);
  { IndexedFasta indexed(path); }
  for (const auto& edited : {">a desc\nACGTACGTACG\nACGTAC\n\n>b\r\nNNNN\r\nAC\r\n>c\n>d\nACG",  // a base added
                             ">a desc\nACGTACGTAC\nACGTAC\n\n>b\r\nNNNN\r\nAC\r\n>c\n>d\nACG\n>e\nAAAA\n",  // a record added
                             ">x desc\nACGTACGTAC\nACGTAC\n\n>b\r\nNNNN\r\nAC\r\n>c\n>d\nACG",  // renamed
                             ">a desc\nACGTACGTAC\nACGTAC\n"}) {                                 // records removed
    std::ofstream(path, std::ios::binary | std::ios::trunc) << edited;
    const std::string message = error_of(path);
    EXPECT_NE(message.find("edited.fa.fai: the index does not match"), std::string::npos) << edited << "\n" << message;
  }
}

TEST(IndexedFasta, RepeatedNamesAndNulBytesAreRefused) {
  EXPECT_NE(error_of(write_scratch("dup.fa", ">a\nACGT\n>b\nAC\n>a x\nGG\n")).find("dup.fa:5: duplicate sequence name 'a' (first at line 1)"),
            std::string::npos);
  EXPECT_NE(error_of(write_scratch("dup2.fa", ">a\nACGT\n>a\nGG\n")).find("dup2.fa:3: duplicate sequence name 'a'"),
            std::string::npos);
  EXPECT_NE(error_of(write_scratch("nulseq.fa", std::string(">a\nAC\0T\nAC\n", 11))).find("nulseq.fa:2: NUL byte in the sequence of 'a'"),
            std::string::npos);
}
