#include "util/error.h"

#include <gtest/gtest.h>

using namespace genobird;

TEST(Error, InputErrorNamesFileAndLine) {
  InputError e("genome.fa", 12, "expected '>' at the start of a FASTA record, found 'A'");
  EXPECT_STREQ(e.what(), "genome.fa:12: expected '>' at the start of a FASTA record, found 'A'");
  EXPECT_EQ(e.file(), "genome.fa");
  EXPECT_EQ(e.line(), 12u);
}

TEST(Error, LineZeroMeansWholeFileAndDashIsStdin) {
  EXPECT_STREQ(InputError("-", 0, "truncated").what(), "stdin: truncated");
}

TEST(Error, HierarchyLetsTheDispatcherTellUsageFromInput) {
  try {
    throw UsageError("--threads must be positive");
  } catch (const Error& e) {
    EXPECT_NE(dynamic_cast<const UsageError*>(&e), nullptr);
  }
  InputError input("f", 1, "x");
  const Error& as_error = input;
  EXPECT_EQ(dynamic_cast<const UsageError*>(&as_error), nullptr);
}
