#include "io/sequence.h"

#include <gtest/gtest.h>

#include <random>

using namespace genobird::io;

TEST(Sequence, ReverseComplementIsIupacAwareAndKeepsCase) {
  EXPECT_EQ(reverse_complement("ACGTRYSWKMBDHVNacgtryswkmbdhvnUu"), "aAnbdhvkmwsryacgtNBDHVKMWSRYACGT");
  EXPECT_EQ(reverse_complement(""), "");
  EXPECT_EQ(reverse_complement("-*."), ".*-") << "non-bases are kept as they are";
}

TEST(Sequence, ReverseComplementTwiceIsIdentityOnRandomSequences) {
  std::mt19937 rng(3);
  const std::string alphabet = "ACGTNRYSWKMBDHVacgtnryswkmbdhv";
  for (int trial = 0; trial < 200; ++trial) {
    std::string s(rng() % 300, 'A');
    for (char& c : s) c = alphabet[rng() % alphabet.size()];
    std::string copy = s;
    reverse_complement_inplace(copy);
    EXPECT_EQ(copy, reverse_complement(s));
    reverse_complement_inplace(copy);
    EXPECT_EQ(copy, s);
  }
}

TEST(Sequence, ComplementPairs) {
  const std::string a = "ACGTRYKMBDHVSWN", b = "TGCAYRMKVHDBSWN";
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(complement_base(a[i]), b[i]) << a[i];
    EXPECT_EQ(complement_base(static_cast<char>(a[i] + 32)), static_cast<char>(b[i] + 32)) << a[i];
  }
}

TEST(Sequence, UpperCasing) {
  std::string s = "acgtNNnnACgt-";
  to_upper_inplace(s);
  EXPECT_EQ(s, "ACGTNNNNACGT-");
}

TEST(Sequence, IupacMembership) {
  for (char c : std::string("ACGTURYSWKMBDHVNacgturyswkmbdhvn")) EXPECT_TRUE(is_iupac_base(c)) << c;
  for (char c : std::string("EFIJLOPQXZefz-*.0 !")) EXPECT_FALSE(is_iupac_base(c)) << c;
}

TEST(Sequence, NRunsAgainstABruteForceScan) {
  EXPECT_EQ(find_n_runs("NNACGTnnnNACN"), (std::vector<Interval>{{0, 2}, {6, 10}, {12, 13}}));
  EXPECT_EQ(find_n_runs("NNACGTnnnNACN", 3), (std::vector<Interval>{{6, 10}}));
  EXPECT_TRUE(find_n_runs("ACGT").empty());
  std::mt19937 rng(5);
  for (int trial = 0; trial < 100; ++trial) {
    std::string s(rng() % 200, 'A');
    for (char& c : s) c = "ACNn"[rng() % 4];
    // Reference: mark N positions, then read off maximal runs.
    std::vector<Interval> want;
    for (std::size_t i = 0; i < s.size(); ++i) {
      bool n = s[i] == 'N' || s[i] == 'n';
      bool prev = i > 0 && (s[i - 1] == 'N' || s[i - 1] == 'n');
      if (n && !prev) want.push_back({i, i + 1});
      if (n && prev) want.back().end = i + 1;
    }
    EXPECT_EQ(find_n_runs(s), want) << s;
    std::uint64_t total = 0;
    for (const auto& run : want) total += run.end - run.start;
    EXPECT_EQ(count_n(s), total);
  }
}
