// predict_probabilities against the obviously correct scorer: each example alone in its own forward pass,
// unpadded. Lengths span full attention and block-sparse attention, so a batch that padded a block-sparse
// example past its own block multiple (changing its block layout) would show here.
#include <gtest/gtest.h>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <random>

#include "io/indexed_fasta.h"
#include "io/sequence.h"
#include "model/init.h"
#include "model/test_configs.h"
#include "train/classifier_batches.h"

namespace genobird::train {
namespace {

const std::string kData = GENOBIRD_TEST_DATA;

TEST(PredictProbabilities, EveryExampleScoresAsItDoesAlone) {
  at::set_num_threads(1);
  io::IndexedFasta genome(kData + "/lambda_virus.fa");
  tokenizer::Tokenizer tokenizer = tokenizer::Tokenizer::load(kData + "/lambda_bpe512.json");
  const std::string chrom = genome.names()[0];
  LabelledDataset data;
  data.task = "chromatin";
  data.label_names = {"a", "b"};
  std::mt19937_64 rng(5);
  for (int i = 0; i < 40; ++i) {
    const std::uint64_t length = 40 + rng() % 700;  // about 8 to 140 tokens; block-sparse above 56
    const std::uint64_t start = rng() % (genome.length(chrom) - length);
    std::string seq = genome.fetch(chrom, start, start + length);
    io::to_upper_inplace(seq);
    data.add({"w" + std::to_string(i), chrom, -1, -1, '.', seq}, {0, 1});
  }
  model::BigBirdConfig config = model::tiny_test_config();
  config.vocab_size = static_cast<std::int64_t>(tokenizer.vocab_size());
  // Weights far larger than a fresh model's make attention sharp and outputs differ from example to example,
  // so a changed attention pattern shows in the probabilities.
  config.initializer_range = 0.5;
  at::manual_seed(9);
  const std::vector<model::HeadSpec> heads = {{"head", model::HeadKind::kClassification, {"a", "b"}, true}};
  model::GenobirdModel model(config, heads);
  model::initialize_weights(*model);

  const TokenizedExamples tokens = tokenize_examples(data, tokenizer, 256, true, 1);
  std::size_t sparse = 0;
  for (const auto& ids : tokens.forward)
    sparse += static_cast<std::int64_t>(ids.size()) > config.full_attention_max_tokens();
  ASSERT_GE(sparse, 10u);
  ASSERT_LE(sparse, 35u);

  model->eval();
  auto alone = [&](const model::TokenIds& ids) {
    c10::InferenceMode guard;
    at::Tensor input = at::tensor(std::vector<std::int64_t>(ids.begin(), ids.end()), at::kLong).unsqueeze(0);
    return at::sigmoid(model->classify("head", model->encode(input, at::Tensor()))).contiguous();  // [1, 2]
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

}  // namespace
}  // namespace genobird::train
