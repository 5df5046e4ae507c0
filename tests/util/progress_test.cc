#include "util/progress.h"

#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "util/log.h"
#include "util/plural.h"

using namespace genobird;

// Under ctest stderr is not a terminal, so progress comes as periodic log lines plus a final line.
TEST(Progress, PeriodicLinesAndFinalSummaryWhenNotATerminal) {
  set_log_level(LogLevel::kInfo);
  set_log_prefix("genobird scan");
  testing::internal::CaptureStderr();
  {
    Progress progress("bp", "bp", 1000, 0.02);
    for (int i = 0; i < 10; ++i) {
      progress.add(100);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(progress.count(), 1000u);
  }
  std::string err = testing::internal::GetCapturedStderr();
  const std::string periodic = "genobird scan: ";
  ASSERT_EQ(err.rfind(periodic, 0), 0u) << err;
  EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(err[periodic.size()]))) << "a count follows the prefix: " << err;
  EXPECT_NE(err.find("%"), std::string::npos) << "a known total gives a percentage: " << err;
  EXPECT_NE(err.find("genobird scan: done, 1.00 kbp"), std::string::npos) << err;
  EXPECT_EQ(err.find("scan: scan"), std::string::npos) << "the prefix names the work once: " << err;
  EXPECT_EQ(err.find('\r'), std::string::npos) << "no live-line control characters in logs";
}

TEST(Progress, OneItemIsSingular) {
  set_log_level(LogLevel::kInfo);
  set_log_prefix("genobird scan");
  testing::internal::CaptureStderr();
  {
    Progress progress("region", "regions", 0, 60.0);
    progress.add(1);
  }
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(err.rfind("genobird scan: done, 1 region, ", 0), 0u) << err;
}

// A failed run ends with its error: the summary would read as success ("done, 0 regions" before the error).
TEST(Progress, NoDoneLineWhileAnExceptionUnwinds) {
  set_log_level(LogLevel::kInfo);
  testing::internal::CaptureStderr();
  try {
    Progress progress("region", "regions", 0, 60.0);
    progress.add(3);
    throw std::runtime_error("bad region");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

// The destructor of a Progress made inside a handler (or a destructor run by unwinding) still reports: it
// compares with the exceptions in flight when it was made.
TEST(Progress, DoneLineWhenMadeAndEndedDuringUnwinding) {
  set_log_level(LogLevel::kInfo);
  set_log_prefix("genobird scan");
  struct ReportsOnDestruction {
    ~ReportsOnDestruction() {
      Progress progress("record", "records", 0, 60.0);
      progress.add(2);
    }
  };
  testing::internal::CaptureStderr();
  try {
    ReportsOnDestruction guard;
    throw std::runtime_error("unwinding");
  } catch (const std::runtime_error&) {
  }
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(err.rfind("genobird scan: done, 2 records, ", 0), 0u) << err;
}

TEST(Progress, QuietLevelSilencesIt) {
  set_log_level(LogLevel::kError);
  testing::internal::CaptureStderr();
  {
    Progress progress("bp", "bp", 0, 0.0);
    progress.add(5);
  }
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
  set_log_level(LogLevel::kInfo);
}

TEST(Progress, ConcurrentAddsAreAllCounted) {
  set_log_level(LogLevel::kError);
  Progress progress("item", "items");
  std::vector<std::thread> workers;
  for (int t = 0; t < 4; ++t)
    workers.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) progress.add(1);
    });
  for (auto& w : workers) w.join();
  EXPECT_EQ(progress.count(), 40000u);
  set_log_level(LogLevel::kInfo);
}

TEST(SiNumber, Prefixes) {
  EXPECT_EQ(si_number(999), "999 ");
  EXPECT_EQ(si_number(1500), "1.50 k");
  EXPECT_EQ(si_number(2.5e6), "2.50 M");
}

TEST(CountNoun, SingularForExactlyOne) {
  EXPECT_EQ(count_noun(0, "region"), "0 regions");
  EXPECT_EQ(count_noun(1, "region"), "1 region");
  EXPECT_EQ(count_noun(2, "region"), "2 regions");
  EXPECT_EQ(count_noun(1, "entry", "entries"), "1 entry");
  EXPECT_EQ(count_noun(3, "entry", "entries"), "3 entries");
}

TEST(Log, LevelsFilterAndPrefixNamesTheCommand) {
  set_log_prefix("genobird test");
  set_log_level(LogLevel::kWarning);
  testing::internal::CaptureStderr();
  LOG_INFO("hidden");
  LOG_WARN("shown " << 42);
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(err, "genobird test: warning: shown 42\n");
  set_log_level(LogLevel::kInfo);
}
