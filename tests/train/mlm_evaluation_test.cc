#include "train/mlm_evaluation.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "scratch_dir.h"
#include "tokenizer/alphabet.h"
#include "train/test_models.h"
#include "util/error.h"

namespace genobird::train {
namespace {

namespace fs = std::filesystem;

const std::string kTokenizer = std::string(GENOBIRD_TEST_DATA) + "/lambda_bpe512.json";
const std::string kLambda = std::string(GENOBIRD_TEST_DATA) + "/lambda_virus.fa";

std::string write_fasta(const std::string& name, const std::string& text) {
  const fs::path path = test::scratch_dir() / name;
  std::ofstream(path) << text;
  return path.string();
}

// The tiny test shape with the fixture tokenizer's 512 tokens.
model::GenobirdModel tiny_model_for_lambda() {
  model::BigBirdConfig config = model::tiny_test_config();
  config.vocab_size = 512;
  return model::GenobirdModel(config, mlm_heads());
}

TEST(MlmEvaluation, HeldOutWindowsAreSizedOnTheFirstFileAndSkipShortSequences) {
  const tokenizer::Tokenizer tokenizer = tokenizer::Tokenizer::load(kTokenizer);
  std::ifstream in(kLambda);
  const std::string lambda((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string fasta = write_fasta("held_out_mixed.fa", ">tiny\nACGTACGTAA\n" + lambda);
  const GenomeWindows windows = held_out_windows(tokenizer, {fasta}, 64, kDefaultMaxNFraction);
  EXPECT_EQ(windows.window_bp(), estimate_window_bp(tokenizer, fasta, 64));
  ASSERT_EQ(windows.sequences().size(), 1u);
  EXPECT_EQ(windows.sequences()[0].name, "gi|9626243|ref|NC_001416.1|");

  const std::string short_fasta = write_fasta("held_out_short.fa", ">a\nACGTACGTAA\n>b\nACGT\n");
  try {
    held_out_windows(tokenizer, {short_fasta}, 64, kDefaultMaxNFraction);
    FAIL() << "no sequence is one window long";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), short_fasta);
    EXPECT_NE(std::string(e.what()).find("the longest is 10 bp, a window is"), std::string::npos) << e.what();
  }
}

// Differential test: the batched, gathered-head scoring equals a per-example reference that runs the MLM
// head on every position and sums the log-softmax of the original tokens at the selected positions.
TEST(MlmEvaluation, ScoresEqualPerExampleFullHeadReference) {
  at::manual_seed(11);
  const tokenizer::Tokenizer tokenizer = tokenizer::Tokenizer::load(kTokenizer);
  model::GenobirdModel model = tiny_model_for_lambda();
  model->eval();
  const std::int64_t seq_len = 48;
  const GenomeWindows windows = held_out_windows(tokenizer, {kLambda}, seq_len, kDefaultMaxNFraction);
  const MlmExampleMaker maker(windows, tokenizer, seq_len, 5, kValidStream);
  const std::vector<std::uint64_t> indices = {0, 1, 2, 3, 4, 5, 6};

  MlmTotals reference;
  WindowReader reader(windows);
  for (std::uint64_t i : indices) {
    const MlmExample example = maker.make(i, reader);
    const at::Tensor ids = at::tensor(example.input_ids, at::kLong).unsqueeze(0);
    at::Tensor attention = at::zeros({1, seq_len}, at::kLong);
    attention.narrow(1, 0, example.real_tokens).fill_(1);
    at::NoGradGuard no_grad;
    const at::Tensor log_p = at::log_softmax(model->mlm_logits(model->encode(ids, attention))[0], -1);  // [seq_len, vocab]
    for (std::int64_t p = 0; p < seq_len; ++p) {
      const std::int64_t target = example.labels[static_cast<std::size_t>(p)];
      if (target == kIgnoreLabel) continue;
      const double nll = -log_p[p][target].item<double>();
      const bool hit = log_p[p].argmax().item<std::int64_t>() == target;
      reference.loss_sum += nll;
      reference.correct += hit;
      reference.count += 1;
      if (example.input_ids[static_cast<std::size_t>(p)] == tokenizer::kMaskId) {
        reference.mask_loss_sum += nll;
        reference.mask_correct += hit;
        reference.mask_count += 1;
      }
    }
  }
  ASSERT_GT(reference.count, 20);
  ASSERT_GT(reference.mask_count, 10);
  ASSERT_LT(reference.mask_count, reference.count);

  for (std::int64_t batch_size : {1, 3, 64}) {
    const MlmTotals totals = score_mlm_examples(*model, maker, indices, batch_size, c10::Device(c10::kCPU));
    EXPECT_EQ(totals.count, reference.count) << batch_size;
    EXPECT_EQ(totals.correct, reference.correct) << batch_size;
    EXPECT_NEAR(totals.loss_sum, reference.loss_sum, 1e-3) << batch_size;
    EXPECT_EQ(totals.mask_count, reference.mask_count) << batch_size;
    EXPECT_EQ(totals.mask_correct, reference.mask_correct) << batch_size;
    EXPECT_NEAR(totals.mask_loss_sum, reference.mask_loss_sum, 1e-3) << batch_size;
    EXPECT_NEAR(totals.perplexity(), std::exp(reference.loss_sum / reference.count), 1e-4 * totals.perplexity());
    EXPECT_NEAR(totals.mask_accuracy(), reference.mask_correct / reference.mask_count, 1e-12);
  }
}

}  // namespace
}  // namespace genobird::train
