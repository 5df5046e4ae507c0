// A hash table from a pair of token ids to the merge that joins them (its rank and the id it produces).
//
// Open addressing with linear probing over a power-of-two array: lookups are the inner loop of both the
// encoder and the trainer, and a flat table keeps them to one or two cache lines. Immutable once filled;
// concurrent find() calls are safe.
#pragma once

#include <cstdint>
#include <vector>

namespace genobird::tokenizer {

struct MergeRule {
  std::int32_t rank = -1;    // position in the merge list; lower merges first
  std::int32_t result = -1;  // id of the merged token
};

class PairTable {
 public:
  PairTable() = default;
  explicit PairTable(std::size_t expected_pairs);

  // Returns false (and changes nothing) if the pair is already present.
  bool insert(std::int32_t left, std::int32_t right, MergeRule rule);

  // The merge joining `left` and `right`, or nullptr when there is none.
  const MergeRule* find(std::int32_t left, std::int32_t right) const {
    if (slots_.empty()) return nullptr;
    std::uint64_t key = pack(left, right);
    for (std::size_t i = hash(key); ; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.key == key) return &slot.rule;
      if (slot.key == kEmpty) return nullptr;
    }
  }

  std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint64_t key;
    MergeRule rule;
  };
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};

  static std::uint64_t pack(std::int32_t left, std::int32_t right) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(left)) << 32) | static_cast<std::uint32_t>(right);
  }
  std::size_t hash(std::uint64_t key) const {
    // Fibonacci hashing: multiply and keep the top bits, the only ones that every input bit reaches.
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_);
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  int shift_ = 64;
  std::size_t size_ = 0;
};

}  // namespace genobird::tokenizer
