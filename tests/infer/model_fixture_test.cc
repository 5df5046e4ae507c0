// tests/data/infer_model, the model directory the command-line tests of predict and annotate use, is the
// helper's model written to disk; this test (re)writes it when asked and checks that it loads as expected.
#include <gtest/gtest.h>

#include <cstdlib>

#include "infer/scoring_engine.h"
#include "test_model.h"

namespace genobird::infer {
namespace {

TEST(TestModel, FixtureLoadsWithTheExpectedHeads) {
  if (const char* out = std::getenv("GENOBIRD_WRITE_FIXTURE")) testing::write_test_model_dir(out);
  const std::string fixture = std::string(GENOBIRD_TEST_DATA) + "/infer_model";
  ScoringEngine engine(model::load_model_dir(fixture), c10::Device(c10::kCPU), {});
  ASSERT_EQ(engine.outputs().size(), 4u);
  EXPECT_EQ(engine.outputs()[0].head, "promoter");
  EXPECT_EQ(engine.info().window_bp, 200);
}

}  // namespace
}  // namespace genobird::infer
