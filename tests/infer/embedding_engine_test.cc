// The embedding engine against a one-window-at-a-time reference straight from the model's forward pass:
// every pooling, layers, records longer than the model's positions, batch sizes, thread counts, padding
// among records of very different lengths, and strand averaging.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <gtest/gtest.h>

#include <random>

#include "infer/embedding_engine.h"
#include "io/sequence.h"
#include "test_model.h"
#include "util/error.h"

namespace genobird::infer {
namespace {

EmbeddingEngine make_engine(EmbeddingOptions options) {
  return EmbeddingEngine(testing::load_sharpened_test_model(), c10::Device(c10::kCPU), options);
}

const std::string& lambda() {
  static const std::string genome = io::read_sequences(testing::lambda_path()).front().seq;
  return genome;
}

// Records of very different lengths: a few tokens (full attention), hundreds (block-sparse) and more than
// the fixture's 254 positions (windows), one with N.
std::vector<std::string> test_records() {
  std::mt19937 rng(5);
  std::vector<std::string> records;
  for (std::size_t length : {12u, 3000u, 40u, 700u, 25u, 1500u, 90u, 300u, 16u, 5000u}) {
    records.push_back(lambda().substr(rng() % (lambda().size() - length), length));
  }
  records.push_back(std::string(30, 'N') + lambda().substr(100, 150));
  return records;
}

// Hidden states [tokens][dim] of a record computed the obvious way: each window of token_windows() run
// alone through the model (no padding, batch of one), each token's state taken from the window whose
// centre is nearest (found by search); and the [CLS] states of the windows with their token counts.
struct ReferenceStates {
  std::vector<std::vector<double>> tokens;
  std::vector<std::pair<std::vector<double>, std::size_t>> cls;
};

ReferenceStates reference_states(model::LoadedModel& loaded, const std::string& seq, std::int64_t layers) {
  tokenizer::Tokenizer tok = tokenizer::Tokenizer::load(loaded.tokenizer_path);
  const auto ids = tok.encode(seq).ids;
  const std::size_t capacity = static_cast<std::size_t>(loaded.model->config().max_position_embeddings - 2);
  const auto windows = token_windows(ids.size(), capacity);
  c10::InferenceMode guard;
  std::vector<at::Tensor> states;
  for (const auto& w : windows) {
    std::vector<std::int64_t> framed = {tokenizer::kClsId};
    for (std::size_t t = w.first; t < w.first + w.count; ++t) framed.push_back(ids[t]);
    framed.push_back(tokenizer::kSepId);
    at::Tensor input = at::tensor(framed, at::kLong).unsqueeze(0);  // [1, n]
    states.push_back(loaded.model->encode(input, at::Tensor(), {}, layers).sequence[0].to(at::kDouble).contiguous());
  }
  ReferenceStates out;
  std::vector<std::size_t> counts(windows.size(), 0);
  for (std::size_t t = 0; t < ids.size(); ++t) {
    std::size_t best = 0;
    double best_distance = 1e300;
    for (std::size_t i = 0; i < windows.size(); ++i) {
      const double d = std::abs(static_cast<double>(t) - (windows[i].first + (windows[i].count - 1) / 2.0));
      if (d < best_distance) best = i, best_distance = d;
    }
    ++counts[best];
    at::Tensor row = states[best][static_cast<std::int64_t>(1 + t - windows[best].first)];
    out.tokens.emplace_back(row.data_ptr<double>(), row.data_ptr<double>() + row.numel());
  }
  for (std::size_t i = 0; i < windows.size(); ++i) {
    at::Tensor row = states[i][0];
    out.cls.push_back({std::vector<double>(row.data_ptr<double>(), row.data_ptr<double>() + row.numel()), counts[i]});
  }
  return out;
}

std::vector<double> reference_pooled(const ReferenceStates& states, EmbeddingPool pool) {
  const std::size_t dim = states.tokens.front().size();
  std::vector<double> v(dim, pool == EmbeddingPool::kMax ? -1e300 : 0.0);
  if (pool == EmbeddingPool::kCls) {
    double total = 0;
    for (const auto& [cls, count] : states.cls) {
      for (std::size_t k = 0; k < dim; ++k) v[k] += cls[k] * static_cast<double>(count);
      total += static_cast<double>(count);
    }
    for (auto& x : v) x /= total;
    return v;
  }
  for (const auto& row : states.tokens)
    for (std::size_t k = 0; k < dim; ++k) v[k] = pool == EmbeddingPool::kMax ? std::max(v[k], row[k]) : v[k] + row[k];
  if (pool == EmbeddingPool::kMean)
    for (auto& x : v) x /= static_cast<double>(states.tokens.size());
  return v;
}

TEST(EmbeddingEngine, PooledVectorsEqualTheForwardPassOfEachWindowAlone) {
  const auto records = test_records();
  model::LoadedModel reference_model = testing::load_sharpened_test_model();
  for (std::int64_t layer : {-1, 0, 1}) {
    for (EmbeddingPool pool : {EmbeddingPool::kMean, EmbeddingPool::kMax, EmbeddingPool::kCls}) {
      EmbeddingOptions options;
      options.pool = pool;
      options.layer = layer;
      options.batch_size = 8;
      EmbeddingEngine engine = make_engine(options);
      const RecordEmbeddings got = engine.embed(records);
      ASSERT_EQ(got.first_row.size(), records.size() + 1);
      ASSERT_EQ(got.values.size(), records.size() * 16);
      for (std::size_t r = 0; r < records.size(); ++r) {
        const auto want = reference_pooled(reference_states(reference_model, records[r], engine.layer()), pool);
        for (std::size_t k = 0; k < 16; ++k)
          ASSERT_NEAR(got.values[r * 16 + k], want[k], 1e-5)
              << "layer " << layer << " pool " << embedding_pool_name(pool) << " record " << r << " dim " << k;
      }
    }
  }
}

TEST(EmbeddingEngine, LongRecordsAreCutIntoWindowsAndCountedOnce) {
  EmbeddingEngine engine = make_engine({});
  const RecordEmbeddings got = engine.embed({lambda().substr(0, 5000), lambda().substr(0, 100)});
  EXPECT_GT(got.windows[0], 2u);
  EXPECT_EQ(got.windows[1], 1u);
  EXPECT_EQ(engine.windowed_records(), 1u);
}

TEST(EmbeddingEngine, TokenRowsCarryEveryTokenOnceWithItsSpan) {
  const auto records = test_records();
  model::LoadedModel reference_model = testing::load_sharpened_test_model();
  EmbeddingOptions options;
  options.pool = EmbeddingPool::kNone;
  EmbeddingEngine engine = make_engine(options);
  const RecordEmbeddings got = engine.embed(records);
  ASSERT_EQ(got.spans.size(), got.first_row.back());
  for (std::size_t r = 0; r < records.size(); ++r) {
    const auto want = reference_states(reference_model, records[r], engine.layer());
    ASSERT_EQ(got.first_row[r + 1] - got.first_row[r], want.tokens.size()) << "record " << r;
    std::size_t bp = 0;
    for (std::size_t t = 0; t < want.tokens.size(); ++t) {
      const std::size_t row = got.first_row[r] + t;
      EXPECT_EQ(got.spans[row].start, bp) << "spans must tile record " << r;
      bp = got.spans[row].end;
      for (std::size_t k = 0; k < 16; ++k) ASSERT_NEAR(got.values[row * 16 + k], want.tokens[t][k], 1e-5);
    }
    EXPECT_EQ(bp, records[r].size());
  }
}

// The padding test: each record embedded alone against all of them in padded batches, with records of a
// dozen bp beside records of thousands.
TEST(EmbeddingEngine, PaddingAndBatchSizeNeverChangeAVector) {
  const auto records = test_records();
  EmbeddingOptions alone_options;
  alone_options.batch_size = 1;
  EmbeddingEngine alone = make_engine(alone_options);
  for (std::int64_t batch : {2, 5, 64}) {
    EmbeddingOptions options;
    options.batch_size = batch;
    const RecordEmbeddings together = make_engine(options).embed(records);
    for (std::size_t r = 0; r < records.size(); ++r) {
      const RecordEmbeddings single = alone.embed({records[r]});
      for (std::size_t k = 0; k < 16; ++k)
        ASSERT_NEAR(together.values[r * 16 + k], single.values[k], 1e-5) << "batch " << batch << " record " << r;
    }
  }
}

TEST(EmbeddingEngine, ThreadCountDoesNotChangeVectors) {
  const auto records = test_records();
  EmbeddingOptions one;
  one.threads = 1;
  EmbeddingOptions two;
  two.threads = 2;
  at::set_num_threads(1);
  const auto a = make_engine(one).embed(records);
  at::set_num_threads(2);
  const auto b = make_engine(two).embed(records);
  ASSERT_EQ(a.values.size(), b.values.size());
  for (std::size_t i = 0; i < a.values.size(); ++i) EXPECT_NEAR(a.values[i], b.values[i], 1e-5);
}

TEST(EmbeddingEngine, StrandMeanIsTheAverageOfBothStrandsAndStrandFree) {
  const auto records = test_records();
  std::vector<std::string> complements;
  for (const auto& r : records) complements.push_back(io::reverse_complement(r));
  EmbeddingEngine off = make_engine({});
  const auto forward = off.embed(records);
  const auto reverse = off.embed(complements);
  EmbeddingOptions options;
  options.rc_mean = true;
  EmbeddingEngine both = make_engine(options);
  const auto mean = both.embed(records);
  const auto mean_of_complements = both.embed(complements);
  bool strands_differ = false;
  for (std::size_t i = 0; i < forward.values.size(); ++i) {
    EXPECT_NEAR(mean.values[i], 0.5 * (forward.values[i] + reverse.values[i]), 1e-5) << i;
    EXPECT_NEAR(mean.values[i], mean_of_complements.values[i], 1e-5) << i;
    strands_differ = strands_differ || std::abs(forward.values[i] - reverse.values[i]) > 1e-3f;
  }
  EXPECT_TRUE(strands_differ) << "the strands embed alike, so this test could not catch an averaging bug";
}

TEST(EmbeddingEngine, RejectsLayersOutsideTheModelAndStrandMeanOfTokens) {
  EmbeddingOptions options;
  options.layer = 3;  // the fixture has 2 layers: hidden_states 0..2
  EXPECT_THROW(make_engine(options), UsageError);
  options.layer = -4;
  EXPECT_THROW(make_engine(options), UsageError);
  options.layer = -3;
  EXPECT_EQ(make_engine(options).layer(), 0);
  options.layer = 2;
  EXPECT_EQ(make_engine(options).layer(), 2);
  EmbeddingOptions none;
  none.pool = EmbeddingPool::kNone;
  none.rc_mean = true;
  EXPECT_THROW(make_engine(none), UsageError);
  EXPECT_THROW(parse_embedding_pool("sum"), UsageError);
}

}  // namespace
}  // namespace genobird::infer
