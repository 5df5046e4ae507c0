#include "io/sequence_reader.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include "test_files.h"
#include "util/error.h"

using namespace genobird;
using namespace genobird::io;
using genobird::test::write_file;

namespace {
// The message of the InputError `f` throws ("" if none).
template <typename F>
std::string error_of(F f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(SequenceReader, MultiLineFastaWithCrlfBlankLinesAndNoFinalNewline) {
  auto path = write_file("a.fa", "\n>chr1 first record\r\nACGT\r\nac\r\n\r\n>chr2\nNNNN\nRYK\n>empty\n>last\nGG");
  auto records = read_sequences(path);
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].name, "chr1");
  EXPECT_EQ(records[0].comment, "first record");
  EXPECT_EQ(records[0].seq, "ACGTac") << "soft-masked bases are kept by default";
  EXPECT_EQ(records[0].line, 2u);
  EXPECT_EQ(records[1].seq, "NNNNRYK");
  EXPECT_EQ(records[2].name, "empty");
  EXPECT_EQ(records[2].seq, "");
  EXPECT_EQ(records[3].seq, "GG");
}

TEST(SequenceReader, UppercaseOption) {
  auto path = write_file("lower.fa", ">x\nacgtNn\n");
  EXPECT_EQ(read_sequences(path, {true})[0].seq, "ACGTNN");
}

TEST(SequenceReader, FastqIncludingQualityLinesStartingWithAt) {
  auto path = write_file("a.fq", "@r1 c\nACGT\n+\n@@II\n@r2\nAC\nGT\n+r2\nII\nII\n");
  SequenceReader reader(path);
  SequenceRecord r;
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(reader.format(), SequenceFormat::kFastq);
  EXPECT_EQ(r.name, "r1");
  EXPECT_EQ(r.qual, "@@II");
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.seq, "ACGT");
  EXPECT_EQ(r.qual, "IIII");
  EXPECT_FALSE(reader.next(r));
}

TEST(SequenceReader, GzipAndBgzipReadTheSameAsPlain) {
  std::string text = ">a\nACGT\nTTGA\n>b\nNNNN\n";
  auto plain = read_sequences(write_file("p.fa", text));
  auto bgzip = read_sequences(write_file("b.fa.gz", text));
  std::string gz_path = (test::scratch_dir() / "g.fa.gz").string();
  gzFile gz = gzopen(gz_path.c_str(), "wb");
  gzwrite(gz, text.data(), static_cast<unsigned>(text.size()));
  gzclose(gz);
  auto gzip = read_sequences(gz_path);
  ASSERT_EQ(plain.size(), 2u);
  for (const auto* other : {&bgzip, &gzip}) {
    ASSERT_EQ(other->size(), plain.size());
    for (std::size_t i = 0; i < plain.size(); ++i) EXPECT_EQ((*other)[i].seq, plain[i].seq);
  }
}

TEST(SequenceReader, RealLambdaGenome) {
  auto records = read_sequences(test::data_path("lambda_virus.fa"));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].name, "gi|9626243|ref|NC_001416.1|");
  EXPECT_EQ(records[0].seq.size(), 48502u);
}

TEST(SequenceReader, EmptyFileHasNoRecords) { EXPECT_TRUE(read_sequences(write_file("empty.fa", "")).empty()); }

TEST(SequenceReader, MalformedInputNamesFileAndLine) {
  auto no_header = write_file("nh.fa", "\nACGT\n");
  EXPECT_NE(error_of([&] { read_sequences(no_header); }).find("nh.fa:2: expected a FASTA header"), std::string::npos);
  auto bad_byte = write_file("bb.fa", ">x\nACGT\nAC#T\n");
  EXPECT_NE(error_of([&] { read_sequences(bad_byte); }).find("bb.fa:3: unexpected '#' in sequence at column 3"),
            std::string::npos);
  auto qual = write_file("q.fq", "@r\nACGT\n+\nIII\n@s\nA\n+\nI\n");
  EXPECT_NE(error_of([&] { read_sequences(qual); }).find("q.fq:5: FASTQ record 'r': quality length 5 differs from sequence length 4"),
            std::string::npos)
      << "a short quality line takes the next line as quality, which makes it too long";
  auto truncated = write_file("t.fq", "@r\nACGT\n");
  EXPECT_NE(error_of([&] { read_sequences(truncated); }).find("ends before its '+' line"), std::string::npos);
  auto nul = write_file("n.fa", std::string(">x\nAC\0GT\n", 9));
  EXPECT_NE(error_of([&] { read_sequences(nul); }).find("n.fa:2: NUL byte"), std::string::npos);
}

TEST(SequenceReader, TruncatedGzipIsAnError) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += ">r" + std::to_string(i) + "\nACGTTGCAACGGTTAC\n";
  std::string full = (test::scratch_dir() / "full.fa.gz").string();
  gzFile gz = gzopen(full.c_str(), "wb");
  gzwrite(gz, text.data(), static_cast<unsigned>(text.size()));
  gzclose(gz);
  std::ifstream in(full, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto cut = write_file("cut.fa.plain", bytes.substr(0, bytes.size() / 2));
  EXPECT_NE(error_of([&] { read_sequences(cut); }).find("truncated gzip"), std::string::npos);
}
