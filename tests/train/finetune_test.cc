// Fine-tuning a tiny model must learn a planted signal: real lambda windows, half of them carrying a motif.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <filesystem>
#include <random>

#include "io/indexed_fasta.h"
#include "io/sequence.h"
#include "model/init.h"
#include "scratch_dir.h"
#include "train/classifier_batches.h"
#include "train/finetune.h"
#include "train/metrics.h"
#include "util/error.h"

namespace genobird::train {
namespace {

namespace fs = std::filesystem;

const std::string kData = GENOBIRD_TEST_DATA;
constexpr const char* kMotif = "GCGCTTAAGCGC";

LabelledDataset planted(const io::IndexedFasta& genome, int n, std::mt19937_64& rng) {
  LabelledDataset d;
  d.task = "promoter";
  d.label_names = {"promoter"};
  const std::string chrom = genome.names()[0];
  for (int i = 0; i < n; ++i) {
    const std::uint64_t start = rng() % (genome.length(chrom) - 200);
    std::string seq = genome.fetch(chrom, start, start + 120);
    io::to_upper_inplace(seq);
    const bool positive = i % 2 == 0;
    if (positive) seq.replace(rng() % 100, 12, kMotif);
    d.add({"w" + std::to_string(i), chrom, -1, -1, '.', seq}, {static_cast<std::uint8_t>(positive)});
  }
  return d;
}

model::BigBirdConfig tiny_config(std::int64_t vocab) {
  model::BigBirdConfig c;
  c.vocab_size = vocab;
  c.hidden_size = 32;
  c.num_hidden_layers = 2;
  c.num_attention_heads = 2;
  c.intermediate_size = 64;
  c.max_position_embeddings = 256;
  c.block_size = 8;
  c.num_random_blocks = 1;
  c.hidden_dropout_prob = 0;
  c.attention_probs_dropout_prob = 0;
  return c;
}

TEST(Finetune, TinyModelLearnsAPlantedMotifAndKeepsTheBestWeights) {
  at::set_num_threads(1);
  io::IndexedFasta genome(kData + "/lambda_virus.fa");
  tokenizer::Tokenizer tokenizer = tokenizer::Tokenizer::load(kData + "/lambda_bpe512.json");
  std::mt19937_64 rng(11);
  LabelledDataset train = planted(genome, 256, rng), valid = planted(genome, 96, rng);
  at::manual_seed(3);
  const std::vector<model::HeadSpec> heads = {{"promoter", model::HeadKind::kClassification, {"promoter"}, true}};
  model::GenobirdModel model(tiny_config(static_cast<std::int64_t>(tokenizer.vocab_size())), heads);
  model::initialize_weights(*model);

  TokenizedExamples valid_tokens = tokenize_examples(valid, tokenizer, 256, true, 1);
  const double before = mean_auroc(predict_probabilities(*model, "promoter", valid_tokens, 32, at::kCPU, RcMode::kOff), valid);

  const fs::path dir = test::scratch_dir() / "finetune";
  FinetuneOptions options;
  options.batch_size = 16;
  options.max_steps = 240;
  options.eval_every = 40;
  options.patience = 10;
  options.warmup_steps = 20;
  options.lr = 3e-3;
  options.checkpoint_dir = (dir / "checkpoints").string();
  options.log_path = (dir / "log.tsv").string();
  FinetuneResult result = finetune_head(*model, tokenizer, train, valid, options, at::kCPU);
  EXPECT_EQ(result.steps, 240);
  EXPECT_GT(result.best_valid_auroc, 0.95) << "validation AUROC before training: " << before;
  EXPECT_LT(before, 0.8);
  // The model ends with the best weights: scoring the validation set again gives the best AUROC.
  const double after = mean_auroc(predict_probabilities(*model, "promoter", valid_tokens, 32, at::kCPU, RcMode::kOff), valid);
  EXPECT_NEAR(after, result.best_valid_auroc, 1e-6);
  // Reverse-complement averaging keeps the signal (the motif is its own reverse complement).
  const double merged = mean_auroc(predict_probabilities(*model, "promoter", valid_tokens, 32, at::kCPU, RcMode::kMean), valid);
  EXPECT_GT(merged, 0.9);
  EXPECT_TRUE(fs::exists(dir / "checkpoints" / "best.safetensors"));
  EXPECT_TRUE(fs::exists(dir / "log.tsv"));

  // Resuming a finished run finds its last checkpoint (step 240) and trains no further.
  options.resume = true;
  FinetuneResult resumed = finetune_head(*model, tokenizer, train, valid, options, at::kCPU);
  EXPECT_EQ(resumed.steps, 240);
  EXPECT_NEAR(resumed.best_valid_auroc, result.best_valid_auroc, 1e-12);
  fs::remove_all(dir);
}

TEST(Finetune, RejectsDataWhoseLabelsDifferFromTheHead) {
  io::IndexedFasta genome(kData + "/lambda_virus.fa");
  tokenizer::Tokenizer tokenizer = tokenizer::Tokenizer::load(kData + "/lambda_bpe512.json");
  std::mt19937_64 rng(1);
  LabelledDataset data = planted(genome, 8, rng);
  data.label_names = {"other"};
  const std::vector<model::HeadSpec> heads = {{"promoter", model::HeadKind::kClassification, {"promoter"}, true}};
  model::GenobirdModel model(tiny_config(static_cast<std::int64_t>(tokenizer.vocab_size())), heads);
  EXPECT_THROW(finetune_head(*model, tokenizer, data, data, FinetuneOptions{}, at::kCPU), InputError);
}

}  // namespace
}  // namespace genobird::train
