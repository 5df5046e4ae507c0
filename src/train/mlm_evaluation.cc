#include "train/mlm_evaluation.h"

#include <algorithm>

#include "train/mlm_objective.h"

namespace genobird::train {

GenomeWindows held_out_windows(const tokenizer::Tokenizer& tokenizer, const std::vector<std::string>& fastas,
                               std::int64_t seq_len, double max_n_fraction) {
  const std::uint64_t window_bp = estimate_window_bp(tokenizer, fastas.front(), seq_len);
  return GenomeWindows(GenomeWindowSource{fastas, {}, {}}, window_bp, max_n_fraction);
}

MlmTotals score_mlm_examples(model::GenobirdModelImpl& model, const MlmExampleMaker& maker,
                             const std::vector<std::uint64_t>& indices, std::int64_t batch_size,
                             const c10::Device& device) {
  at::NoGradGuard no_grad;
  WindowReader reader(maker.windows());
  MlmTotals totals;
  const auto step = static_cast<std::size_t>(std::max<std::int64_t>(1, batch_size));
  for (std::size_t begin = 0; begin < indices.size(); begin += step) {
    const std::size_t end = std::min(indices.size(), begin + step);
    const MlmBatch batch = maker.make_batch({indices.begin() + static_cast<long>(begin), indices.begin() + static_cast<long>(end)}, reader);
    const MlmLoss loss = mlm_loss(model, batch, device);
    totals.loss_sum += loss.loss_sum.item<double>();
    totals.correct += static_cast<double>(loss.correct);
    totals.count += static_cast<double>(loss.count);
    totals.mask_loss_sum += loss.mask_shown_loss_sum;
    totals.mask_correct += static_cast<double>(loss.mask_shown_correct);
    totals.mask_count += static_cast<double>(loss.mask_shown_count);
  }
  return totals;
}

}  // namespace genobird::train
