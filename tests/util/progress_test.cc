#include "util/progress.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "util/log.h"

using namespace genobird;

// Under ctest stderr is not a terminal, so progress comes as periodic log lines plus a final line.
TEST(Progress, PeriodicLinesAndFinalSummaryWhenNotATerminal) {
  set_log_level(LogLevel::kInfo);
  testing::internal::CaptureStderr();
  {
    Progress progress("scan", "bp", 1000, 0.02);
    for (int i = 0; i < 10; ++i) {
      progress.add(100);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(progress.count(), 1000u);
  }
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("scan: "), std::string::npos) << err;
  EXPECT_NE(err.find("%"), std::string::npos) << "a known total gives a percentage: " << err;
  EXPECT_NE(err.find("scan: done, 1.00 kbp"), std::string::npos) << err;
  EXPECT_EQ(err.find('\r'), std::string::npos) << "no live-line control characters in logs";
}

TEST(Progress, QuietLevelSilencesIt) {
  set_log_level(LogLevel::kError);
  testing::internal::CaptureStderr();
  {
    Progress progress("scan", "bp", 0, 0.0);
    progress.add(5);
  }
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
  set_log_level(LogLevel::kInfo);
}

TEST(Progress, ConcurrentAddsAreAllCounted) {
  set_log_level(LogLevel::kError);
  Progress progress("scan", "items");
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
