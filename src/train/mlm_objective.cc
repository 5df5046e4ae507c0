#include "train/mlm_objective.h"

#include "model/device.h"
#include "tokenizer/alphabet.h"

namespace genobird::train {

MlmLoss mlm_loss(model::GenobirdModelImpl& model, const MlmBatch& batch, const c10::Device& device) {
  const at::Tensor ids = batch.input_ids.to(device);
  const at::Tensor attention = batch.attention_mask.to(device);
  const at::Tensor labels = batch.labels.to(device);
  const at::Tensor selected = labels.ne(kIgnoreLabel);  // [batch, n]

  model::Bf16AutocastGuard autocast(device);
  model::EncoderOutput encoded = model.encode(ids, attention);
  model::EncoderOutput gathered;
  gathered.sequence = encoded.sequence.index({selected}).unsqueeze(0);  // [1, selected, hidden]
  const at::Tensor logits = model.mlm_logits(gathered).squeeze(0).to(at::kFloat);  // [selected, vocab]
  const at::Tensor targets = labels.index({selected});

  const at::Tensor per_position = at::cross_entropy_loss(logits, targets, {}, at::Reduction::None);
  const at::Tensor hits = logits.argmax(-1).eq(targets);
  const at::Tensor shows_mask = ids.index({selected}).eq(tokenizer::kMaskId);
  MlmLoss loss;
  loss.loss_sum = per_position.sum();
  loss.correct = hits.sum().item<std::int64_t>();
  loss.count = targets.numel();
  loss.mask_shown_loss_sum = per_position.detach().index({shows_mask}).sum().item<double>();
  loss.mask_shown_correct = hits.index({shows_mask}).sum().item<std::int64_t>();
  loss.mask_shown_count = shows_mask.sum().item<std::int64_t>();
  return loss;
}

}  // namespace genobird::train
