#include "train/mlm_masking.h"

namespace genobird::train {

std::int64_t mask_tokens(std::vector<std::int64_t>& ids, std::vector<std::int64_t>& labels,
                         const std::vector<bool>& maskable, std::int64_t mask_id, std::int64_t first_ordinary_id,
                         std::int64_t vocab_size, SplitMix64& rng, const MaskingOptions& options) {
  labels.assign(ids.size(), kIgnoreLabel);
  const std::uint64_t ordinary = static_cast<std::uint64_t>(vocab_size - first_ordinary_id);
  std::int64_t selected = 0;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (!maskable[i] || rng.uniform() >= options.mask_fraction) continue;
    labels[i] = ids[i];
    ++selected;
    const double action = rng.uniform();
    if (action < options.replace_with_mask)
      ids[i] = mask_id;
    else if (action < options.replace_with_mask + options.replace_random)
      ids[i] = first_ordinary_id + static_cast<std::int64_t>(rng.below(ordinary));
  }
  return selected;
}

}  // namespace genobird::train
