// predict_probabilities and accumulate_batch_gradients against the obviously correct computation: each
// example alone in its own forward pass, unpadded. Lengths span full attention and block-sparse attention,
// so a batch that padded an example past what it gets alone (switching it to block-sparse attention, or
// changing its block layout) would show here.
#include <gtest/gtest.h>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <random>

#include "io/indexed_fasta.h"
#include "io/sequence.h"
#include "model/init.h"
#include "model/test_configs.h"
#include "train/classifier_batches.h"

namespace genobird::train {
namespace {

const std::string kData = GENOBIRD_TEST_DATA;

// Lambda windows of 40..739 bp (about 8 to 140 tokens; block-sparse above 56) and a tiny model whose
// weights are far larger than a fresh model's, so attention is sharp and a changed attention pattern shows.
struct Fixture {
  LabelledDataset data;
  TokenizedExamples tokens;
  model::GenobirdModel model{nullptr};
};

Fixture make_fixture(int examples) {
  Fixture f;
  at::set_num_threads(1);
  io::IndexedFasta genome(kData + "/lambda_virus.fa");
  tokenizer::Tokenizer tokenizer = tokenizer::Tokenizer::load(kData + "/lambda_bpe512.json");
  const std::string chrom = genome.names()[0];
  f.data.task = "chromatin";
  f.data.label_names = {"a", "b"};
  std::mt19937_64 rng(5);
  for (int i = 0; i < examples; ++i) {
    const std::uint64_t length = 40 + rng() % 700;
    const std::uint64_t start = rng() % (genome.length(chrom) - length);
    std::string seq = genome.fetch(chrom, start, start + length);
    io::to_upper_inplace(seq);
    f.data.add({"w" + std::to_string(i), chrom, -1, -1, '.', seq}, {static_cast<std::uint8_t>(rng() & 1), 1});
  }
  model::BigBirdConfig config = model::tiny_test_config();
  config.vocab_size = static_cast<std::int64_t>(tokenizer.vocab_size());
  config.initializer_range = 0.5;
  config.hidden_dropout_prob = 0;
  config.attention_probs_dropout_prob = 0;
  at::manual_seed(9);
  const std::vector<model::HeadSpec> heads = {{"head", model::HeadKind::kClassification, {"a", "b"}, true}};
  f.model = model::GenobirdModel(config, heads);
  model::initialize_weights(*f.model);
  f.tokens = tokenize_examples(f.data, tokenizer, 256, true, 1);
  return f;
}

std::size_t count_block_sparse(const Fixture& f) {
  std::size_t n = 0;
  for (const auto& ids : f.tokens.forward)
    n += static_cast<std::int64_t>(ids.size()) > f.model->config().full_attention_max_tokens();
  return n;
}

at::Tensor as_input(const model::TokenIds& ids) {
  return at::tensor(std::vector<std::int64_t>(ids.begin(), ids.end()), at::kLong).unsqueeze(0);  // [1, n]
}

TEST(PredictProbabilities, EveryExampleScoresAsItDoesAlone) {
  Fixture f = make_fixture(40);
  LabelledDataset& data = f.data;
  const TokenizedExamples& tokens = f.tokens;
  auto& model = f.model;
  const std::size_t sparse = count_block_sparse(f);
  ASSERT_GE(sparse, 10u);
  ASSERT_LE(sparse, 35u);

  model->eval();
  auto alone = [&](const model::TokenIds& ids) {
    c10::InferenceMode guard;
    return at::sigmoid(model->classify("head", model->encode(as_input(ids), at::Tensor()))).contiguous();  // [1, 2]
  };
  for (std::int64_t batch : {1, 7, 64}) {
    for (RcMode rc : {RcMode::kOff, RcMode::kMean}) {
      const std::vector<float> got = predict_probabilities(*model, "head", tokens, batch, at::kCPU, rc);
      ASSERT_EQ(got.size(), data.size() * 2);
      for (std::size_t i = 0; i < data.size(); ++i) {
        at::Tensor want = alone(tokens.forward[i]);
        if (rc == RcMode::kMean) want = (want + alone(tokens.reverse[i])) / 2;
        for (std::size_t k = 0; k < 2; ++k)
          EXPECT_NEAR(got[i * 2 + k], want[0][static_cast<std::int64_t>(k)].item<float>(), 1e-5)
              << "batch " << batch << " example " << i << " (" << tokens.forward[i].size() << " tokens) label " << k;
      }
    }
  }
}

TEST(AccumulateBatchGradients, GradientsAreTheMeanOfEachExampleAlone) {
  Fixture f = make_fixture(12);
  ASSERT_GE(count_block_sparse(f), 2u);
  ASSERT_LE(count_block_sparse(f), 10u);
  auto& model = f.model;
  model->eval();  // no dropout; gradients still flow
  const auto n = static_cast<std::int64_t>(f.data.size());
  std::vector<float> labels;
  for (std::size_t i = 0; i < f.data.size(); ++i)
    for (std::size_t k = 0; k < 2; ++k) labels.push_back(static_cast<float>(f.data.label(i, k)));
  const at::Tensor target = at::tensor(labels, at::kFloat).view({n, 2});
  const at::Tensor pos_weight = at::tensor(std::vector<float>{3.0f, 1.0f}, at::kFloat);
  auto gradients = [&] {
    std::vector<at::Tensor> out;
    for (auto& p : model->parameters()) out.push_back(p.grad().defined() ? p.grad().clone() : at::zeros_like(p));
    return out;
  };

  model->zero_grad();
  const double loss = accumulate_batch_gradients(*model, "head", f.tokens.forward, target, pos_weight, at::kCPU);
  const std::vector<at::Tensor> batched = gradients();

  std::vector<at::Tensor> mean;
  double mean_loss = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    model->zero_grad();
    at::Tensor logits = model->classify("head", model->encode(as_input(f.tokens.forward[static_cast<std::size_t>(i)]), at::Tensor()));
    at::Tensor alone = at::binary_cross_entropy_with_logits(logits, target.narrow(0, i, 1), {}, pos_weight);
    alone.backward();
    mean_loss += alone.item<double>() / static_cast<double>(n);
    const std::vector<at::Tensor> g = gradients();
    if (mean.empty()) {
      for (const auto& t : g) mean.push_back(t / static_cast<double>(n));
    } else {
      for (std::size_t k = 0; k < g.size(); ++k) mean[k] += g[k] / static_cast<double>(n);
    }
  }
  EXPECT_NEAR(loss, mean_loss, 1e-5);
  double largest = 0, worst = 0;
  for (std::size_t k = 0; k < mean.size(); ++k) {
    largest = std::max(largest, mean[k].abs().max().item<double>());
    worst = std::max(worst, (batched[k] - mean[k]).abs().max().item<double>());
  }
  EXPECT_GT(largest, 1e-3);  // the gradients are not trivially zero
  EXPECT_LT(worst, 1e-4 * largest) << "largest gradient entry " << largest;
}

}  // namespace
}  // namespace genobird::train
