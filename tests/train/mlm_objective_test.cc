#include "train/mlm_objective.h"

#include <gtest/gtest.h>

#include "tokenizer/alphabet.h"
#include "train/test_models.h"

namespace genobird::train {
namespace {

// `rows` sequences of 24 random ordinary tokens of the tiny model's 40, all real, with the given (row,
// position) pairs selected for prediction (labels) and every other position ignored.
MlmBatch random_batch(std::int64_t rows, const std::vector<std::pair<int, int>>& selected) {
  MlmBatch batch;
  batch.input_ids = at::randint(5, 40, {rows, 24}, at::kLong);
  batch.attention_mask = at::ones({rows, 24}, at::kLong);
  batch.labels = at::full({rows, 24}, kIgnoreLabel, at::kLong);
  for (auto [b, p] : selected) batch.labels[b][p] = (b * 7 + p) % 35 + 5;
  return batch;
}

// The gathered-positions loss equals the plain one: the MLM head on every position, then cross-entropy
// with ignore_index, summed.
TEST(MlmObjective, GatheredLossEqualsFullHeadReference) {
  at::manual_seed(3);
  model::GenobirdModel model = tiny_mlm_model();
  model->eval();
  MlmBatch batch = random_batch(3, {{0, 1}, {0, 7}, {1, 3}, {2, 5}, {2, 19}});
  batch.attention_mask[2].narrow(0, 20, 4).fill_(0);

  MlmLoss loss = mlm_loss(*model, batch, c10::Device(c10::kCPU));
  const at::Tensor logits = model->mlm_logits(model->encode(batch.input_ids, batch.attention_mask));  // [3, 24, 40]
  const at::Tensor reference = at::cross_entropy_loss(logits.reshape({-1, 40}), batch.labels.reshape({-1}), {},
                                                      at::Reduction::Sum, kIgnoreLabel);
  EXPECT_NEAR(loss.loss_sum.item<double>(), reference.item<double>(), 1e-4);
  EXPECT_EQ(loss.count, 5);
  const at::Tensor selected = batch.labels.ne(kIgnoreLabel);
  EXPECT_EQ(loss.correct, logits.argmax(-1).index({selected}).eq(batch.labels.index({selected})).sum().item<std::int64_t>());
}

// The [MASK]-only figures cover exactly the selected positions whose input is [MASK], and nothing else.
TEST(MlmObjective, MaskShownFiguresCoverOnlyMaskedInputs) {
  at::manual_seed(4);
  model::GenobirdModel model = tiny_mlm_model();
  model->eval();
  // Selected: (0, 2), (0, 9), (1, 4) show [MASK]; (1, 11) keeps its token; (0, 15) shows a random one.
  // (1, 20) shows [MASK] but is not selected.
  MlmBatch batch = random_batch(2, {{0, 2}, {0, 9}, {1, 4}, {1, 11}, {0, 15}});
  for (auto [b, p] : std::vector<std::pair<int, int>>{{0, 2}, {0, 9}, {1, 4}, {1, 20}})
    batch.input_ids[b][p] = tokenizer::kMaskId;
  batch.input_ids[1][11] = batch.labels[1][11];

  MlmLoss loss = mlm_loss(*model, batch, c10::Device(c10::kCPU));
  const at::Tensor logits = model->mlm_logits(model->encode(batch.input_ids, batch.attention_mask));  // [2, 24, 40]
  double nll = 0;
  std::int64_t correct = 0;
  for (auto [b, p] : std::vector<std::pair<int, int>>{{0, 2}, {0, 9}, {1, 4}}) {
    const at::Tensor row = logits[b][p];
    const std::int64_t target = batch.labels[b][p].item<std::int64_t>();
    nll -= at::log_softmax(row, -1)[target].item<double>();
    correct += row.argmax().item<std::int64_t>() == target;
  }
  EXPECT_EQ(loss.count, 5);
  EXPECT_EQ(loss.mask_shown_count, 3);
  EXPECT_NEAR(loss.mask_shown_loss_sum, nll, 1e-4);
  EXPECT_EQ(loss.mask_shown_correct, correct);
}

}  // namespace
}  // namespace genobird::train
