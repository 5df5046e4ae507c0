// for_each_read_sequence: the readers' own sequences, for alignment and sequence files, and an early stop.
#include "io/read_sequences.h"

#include <gtest/gtest.h>

#include <vector>

#include "io/alignment_reader.h"
#include "io/sequence_reader.h"
#include "test_files.h"

using namespace genobird;
using namespace genobird::io;

namespace {
std::vector<std::string> collect(const std::string& path, std::size_t stop_after = 0) {
  std::vector<std::string> seqs;
  for_each_read_sequence(path, "", [&](std::string& seq) {
    seqs.push_back(seq);
    return stop_after == 0 || seqs.size() < stop_after;
  });
  return seqs;
}
}  // namespace

TEST(ForEachReadSequence, BamGivesThePrimaryRecordsOfAlignmentReader) {
  const std::string path = test::data_path("lambda_aligned.bam");
  std::vector<std::string> want;
  AlignmentReader reader(path);
  for (ReadRecord read; reader.next(read);) want.push_back(read.seq);
  EXPECT_EQ(want.size(), 186u);  // primary records, tests/data/README.md
  EXPECT_EQ(collect(path), want);
}

TEST(ForEachReadSequence, FastqGivesItsRecordsInOrder) {
  const std::string path = test::write_file("reads.fq.gz", "@a\nACGTn\n+\nIIIII\n@b\nGG\n+\nII\n");
  EXPECT_EQ(collect(path), (std::vector<std::string>{"ACGTn", "GG"}));
}

TEST(ForEachReadSequence, StopsWhenTheCallbackSaysSo) {
  EXPECT_EQ(collect(test::data_path("lambda_aligned.bam"), 3).size(), 3u);
  EXPECT_EQ(collect(test::data_path("lambda_virus.fa"), 1).size(), 1u);
}
