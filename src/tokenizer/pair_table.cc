#include "tokenizer/pair_table.h"

#include <utility>

namespace genobird::tokenizer {

PairTable::PairTable(std::size_t expected_pairs) {
  // At most half full, so probe sequences stay short.
  std::size_t capacity = 16;
  shift_ = 60;
  while (capacity < 2 * expected_pairs) {
    capacity *= 2;
    --shift_;
  }
  slots_.assign(capacity, Slot{kEmpty, MergeRule{}});
  mask_ = capacity - 1;
}

bool PairTable::insert(std::int32_t left, std::int32_t right, MergeRule rule) {
  if (2 * (size_ + 1) > slots_.size()) {
    PairTable bigger(2 * (size_ + 1));
    for (const Slot& slot : slots_) {
      if (slot.key != kEmpty) {
        bigger.insert(static_cast<std::int32_t>(slot.key >> 32), static_cast<std::int32_t>(slot.key & 0xffffffffu),
                      slot.rule);
      }
    }
    *this = std::move(bigger);
  }
  std::uint64_t key = pack(left, right);
  for (std::size_t i = hash(key);; i = (i + 1) & mask_) {
    Slot& slot = slots_[i];
    if (slot.key == key) return false;
    if (slot.key == kEmpty) {
      slot = Slot{key, rule};
      ++size_;
      return true;
    }
  }
}

}  // namespace genobird::tokenizer
