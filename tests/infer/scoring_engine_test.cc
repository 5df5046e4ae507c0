// The scoring engine against a one-sequence-at-a-time reference, across batch sizes, thread counts and
// reverse-complement modes; and the prefetch pipeline's order and error handling.
#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <gtest/gtest.h>

#include <random>

#include "infer/prefetch_pipeline.h"
#include "infer/scoring_engine.h"
#include "io/sequence.h"
#include "test_model.h"
#include "util/error.h"

namespace genobird::infer {
namespace {

ScoringEngine make_engine(EngineOptions options) {
  return ScoringEngine(testing::load_sharpened_test_model(), c10::Device(c10::kCPU), options);
}

// Windows of the lambda genome of varied lengths: short ones (full attention) and long ones (block-sparse),
// one with N.
std::vector<std::string> test_windows() {
  const std::string genome = io::read_sequences(testing::lambda_path()).front().seq;
  std::mt19937 rng(3);
  std::vector<std::string> windows;
  for (int i = 0; i < 13; ++i) {
    const std::size_t length = 20 + rng() % 400;
    windows.push_back(genome.substr(rng() % (genome.size() - length), length));
  }
  windows.push_back(std::string(30, 'N') + genome.substr(100, 150));
  return windows;
}

// The obviously correct scorer: one sequence per forward pass, no padding, straight from the model API.
std::vector<float> reference_scores(const std::string& window) {
  model::LoadedModel loaded = testing::load_sharpened_test_model();
  tokenizer::Tokenizer tok = tokenizer::Tokenizer::load(loaded.tokenizer_path);
  std::vector<std::int64_t> ids = {tokenizer::kClsId};
  for (auto id : tok.encode(window).ids) ids.push_back(id);
  ids.push_back(tokenizer::kSepId);
  c10::InferenceMode guard;
  at::Tensor input = at::tensor(ids, at::kLong).unsqueeze(0);  // [1, n]
  model::EncoderOutput encoded = loaded.model->encode(input, at::Tensor());
  at::Tensor p = at::cat({at::sigmoid(loaded.model->classify("promoter", encoded)),
                          at::sigmoid(loaded.model->classify("chromatin", encoded))},
                         1)
                     .contiguous();
  return std::vector<float>(p.data_ptr<float>(), p.data_ptr<float>() + p.numel());
}

TEST(ScoringEngine, OutputColumnsNameEveryLabel) {
  ScoringEngine engine = make_engine({});
  ASSERT_EQ(engine.outputs().size(), 4u);
  EXPECT_EQ(engine.outputs()[0].column, "promoter.promoter");
  EXPECT_EQ(engine.outputs()[3].column, "chromatin.h3k4me3");
  EXPECT_TRUE(engine.head_is_multi_label("chromatin"));
}

TEST(ScoringEngine, BatchedScoresEqualOneAtATimeReference) {
  const auto windows = test_windows();
  for (std::int64_t batch : {1, 4, 16}) {
    EngineOptions options;
    options.batch_size = batch;
    ScoringEngine engine = make_engine(options);
    const std::vector<float> scores = engine.score_windows(windows);
    ASSERT_EQ(scores.size(), windows.size() * 4);
    for (std::size_t w = 0; w < windows.size(); ++w) {
      const std::vector<float> want = reference_scores(windows[w]);
      for (std::size_t k = 0; k < 4; ++k)
        EXPECT_NEAR(scores[w * 4 + k], want[k], 2e-5) << "batch " << batch << " window " << w << " output " << k;
    }
  }
}

TEST(ScoringEngine, ResultsDoNotDependOnThreadCount) {
  const auto windows = test_windows();
  EngineOptions one;
  one.threads = 1;
  EngineOptions two;
  two.threads = 2;
  at::set_num_threads(1);
  const auto a = make_engine(one).score_windows(windows);
  at::set_num_threads(2);
  const auto b = make_engine(two).score_windows(windows);
  EXPECT_EQ(a, b);
}

TEST(ScoringEngine, ReverseComplementMergingEqualsManualForwardAndReverse) {
  const auto windows = test_windows();
  std::vector<std::string> reversed;
  for (const auto& w : windows) reversed.push_back(io::reverse_complement(w));
  ScoringEngine off = make_engine({});
  const auto forward = off.score_windows(windows);
  const auto reverse = off.score_windows(reversed);
  EngineOptions mean_options;
  mean_options.rc = RcMode::kMean;
  EngineOptions max_options;
  max_options.rc = RcMode::kMax;
  const auto mean = make_engine(mean_options).score_windows(windows);
  const auto max = make_engine(max_options).score_windows(windows);
  bool strands_differ = false;
  for (std::size_t i = 0; i < forward.size(); ++i) {
    EXPECT_NEAR(mean[i], 0.5f * (forward[i] + reverse[i]), 2e-5) << i;
    EXPECT_NEAR(max[i], std::max(forward[i], reverse[i]), 2e-5) << i;
    strands_differ = strands_differ || std::abs(forward[i] - reverse[i]) > 1e-3f;
  }
  EXPECT_TRUE(strands_differ) << "the two strands score alike, so this test could not catch a merging bug";
}

TEST(ScoringEngine, OverlongWindowsKeepTheirCentralTokens) {
  ScoringEngine engine = make_engine({});
  const std::string genome = io::read_sequences(testing::lambda_path()).front().seq;
  engine.score_windows({genome.substr(0, 5000)});  // far more than 254 tokens
  EXPECT_EQ(engine.truncated_windows(), 1u);
}

TEST(ScoringEngine, RejectsModelsWithoutClassificationHead) {
  model::LoadedModel loaded = model::load_model_dir(testing::make_test_model_dir());
  model::BigBirdConfig config = loaded.model->config();
  loaded.model = model::GenobirdModel(config, std::vector<model::HeadSpec>{{"mlm", model::HeadKind::kMaskedLm, {}, true}});
  EXPECT_THROW(ScoringEngine(std::move(loaded), c10::Device(c10::kCPU), {}), ModelError);
}

TEST(PrefetchPipeline, DeliversChunksInOrderWithScores) {
  const auto windows = test_windows();
  ScoringEngine engine = make_engine({});
  const auto direct = engine.score_windows(windows);
  std::size_t next = 0;
  std::vector<std::size_t> order;
  std::vector<float> piped;
  std::function<bool(WindowChunk<std::size_t>&)> produce = [&](WindowChunk<std::size_t>& chunk) {
    while (chunk.items.size() < 3 && next < windows.size()) {
      chunk.items.push_back(next);
      chunk.windows.push_back(windows[next++]);
    }
    return next < windows.size();
  };
  std::function<void(const WindowChunk<std::size_t>&, const std::vector<float>&)> consume =
      [&](const WindowChunk<std::size_t>& chunk, const std::vector<float>& scores) {
        order.insert(order.end(), chunk.items.begin(), chunk.items.end());
        piped.insert(piped.end(), scores.begin(), scores.end());
      };
  run_prefetch_pipeline<std::size_t>(engine, 1, produce, consume);
  std::vector<std::size_t> want(windows.size());
  for (std::size_t i = 0; i < want.size(); ++i) want[i] = i;
  EXPECT_EQ(order, want);
  ASSERT_EQ(piped.size(), direct.size());
  for (std::size_t i = 0; i < piped.size(); ++i) EXPECT_NEAR(piped[i], direct[i], 2e-5);
}

TEST(PrefetchPipeline, ProducerErrorsReachTheCaller) {
  ScoringEngine engine = make_engine({});
  int calls = 0;
  std::function<bool(WindowChunk<int>&)> produce = [&](WindowChunk<int>& chunk) {
    if (++calls == 3) throw InputError("x.bed", 7, "bad");
    chunk.items.push_back(calls);
    chunk.windows.push_back("ACGTACGTAC");
    return true;
  };
  int consumed = 0;
  std::function<void(const WindowChunk<int>&, const std::vector<float>&)> consume =
      [&](const WindowChunk<int>&, const std::vector<float>&) { ++consumed; };
  EXPECT_THROW(run_prefetch_pipeline<int>(engine, 1, produce, consume), InputError);
  EXPECT_EQ(consumed, 2);
}

TEST(PrefetchPipeline, ConsumerErrorsStopTheProducer) {
  ScoringEngine engine = make_engine({});
  std::function<bool(WindowChunk<int>&)> produce = [&](WindowChunk<int>& chunk) {
    chunk.items.push_back(1);
    chunk.windows.push_back("ACGTACGTAC");
    return true;  // endless input
  };
  std::function<void(const WindowChunk<int>&, const std::vector<float>&)> consume =
      [&](const WindowChunk<int>&, const std::vector<float>&) { throw IoError("disk full"); };
  EXPECT_THROW(run_prefetch_pipeline<int>(engine, 2, produce, consume), IoError);
}

}  // namespace
}  // namespace genobird::infer
