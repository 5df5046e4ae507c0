#include "train/mlm_objective.h"

#include "model/device.h"

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

  MlmLoss loss;
  loss.loss_sum = at::cross_entropy_loss(logits, targets, {}, at::Reduction::Sum);
  loss.correct = logits.argmax(-1).eq(targets).sum().item<std::int64_t>();
  loss.count = targets.numel();
  return loss;
}

}  // namespace genobird::train
