#include "train/metrics_log.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "scratch_dir.h"
#include "util/error.h"

namespace genobird::train {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string temp_path(const std::string& name) { return (test::scratch_dir() / name).string(); }

TEST(MetricsLog, HeaderThenOneRowPerStep) {
  const std::string path = temp_path("a.tsv");
  {
    MetricsLog log(path, {"loss", "lr"});
    log.append(1, {2.5, 1e-4});
    log.append(2, {MetricsLog::kMissing, 3});
  }
  EXPECT_EQ(slurp(path), "step\tloss\tlr\n1\t2.5\t0.0001\n2\tNA\t3\n");
  MetricsLog log(path, {"loss", "lr"});
  EXPECT_THROW(log.append(3, {1.0}), std::invalid_argument);
}

TEST(MetricsLog, ResumeDropsRowsAfterTheCheckpoint) {
  const std::string path = temp_path("b.tsv");
  {
    MetricsLog log(path, {"loss"});
    for (int step = 1; step <= 5; ++step) log.append(step, {1.0 / step});
  }
  {
    MetricsLog log(path, {"loss"}, 3);
    log.append(4, {9});
  }
  EXPECT_EQ(slurp(path), "step\tloss\n1\t1\n2\t0.5\n3\t0.33333333\n4\t9\n");
  EXPECT_THROW(MetricsLog(path, {"accuracy"}, 3), InputError);
}

}  // namespace
}  // namespace genobird::train
