#include "model/sparse_layout.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace genobird::model {

std::uint64_t PortableRandom::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t PortableRandom::below(std::uint64_t bound) {
  // Reject the top partial range of 2^64 so that every residue is equally likely.
  const std::uint64_t limit = -bound % bound;  // (2^64 - bound) mod bound = 2^64 mod bound
  for (;;) {
    std::uint64_t x = next();
    if (x >= limit) return x % bound;
  }
}

SparseLayout::SparseLayout(std::int64_t n_blocks, std::int64_t num_random_blocks, std::int64_t num_heads,
                           std::vector<std::int64_t> key_blocks)
    : n_blocks_(n_blocks), num_random_blocks_(num_random_blocks), num_heads_(num_heads),
      key_blocks_(std::move(key_blocks)) {
  if (static_cast<std::int64_t>(key_blocks_.size()) != num_heads_ * middle_blocks() * slots())
    throw std::invalid_argument("SparseLayout: key_blocks has the wrong size");
}

std::int64_t SparseLayout::key_block(std::int64_t head, std::int64_t query_block, std::int64_t slot) const {
  return key_blocks_[static_cast<std::size_t>((head * middle_blocks() + query_block - 1) * slots() + slot)];
}

bool SparseLayout::slot_is_unique(std::int64_t query_block, std::int64_t slot) const {
  if (query_block == 1 && slot == kWindowSlots) return false;                                // global 0
  if (query_block == n_blocks_ - 2 && slot == kWindowSlots + 1) return false;                // global n-1
  return true;
}

bool SparseLayout::sees(std::int64_t head, std::int64_t query_block, std::int64_t key_block_index) const {
  if (query_block == 0 || query_block == n_blocks_ - 1) return true;
  for (std::int64_t s = 0; s < slots(); ++s)
    if (key_block(head, query_block, s) == key_block_index) return true;
  return false;
}

SparseLayout sparse_layout(std::int64_t n_blocks, std::int64_t num_random_blocks, std::int64_t num_heads,
                           std::int64_t layer_index) {
  if (num_random_blocks < 0 || num_heads < 1 || layer_index < 0 || n_blocks < 5 + num_random_blocks)
    throw std::invalid_argument("sparse_layout: need n_blocks >= 5 + num_random_blocks, heads >= 1, layer >= 0; got " +
                                std::to_string(n_blocks) + " blocks, " + std::to_string(num_random_blocks) +
                                " random, " + std::to_string(num_heads) + " heads, layer " +
                                std::to_string(layer_index));
  const std::int64_t slots = SparseLayout::kWindowSlots + SparseLayout::kGlobalSlots + num_random_blocks;
  const std::int64_t last = n_blocks - 1;
  std::vector<std::int64_t> key_blocks;
  key_blocks.reserve(static_cast<std::size_t>(num_heads * (n_blocks - 2) * slots));
  // One stream per layer; the golden-ratio offset keeps layer 0 from starting at state 0.
  PortableRandom random(0x243f6a8885a308d3ULL ^ static_cast<std::uint64_t>(layer_index));
  std::vector<std::int64_t> candidates;
  for (std::int64_t head = 0; head < num_heads; ++head) {
    for (std::int64_t q = 1; q < last; ++q) {
      key_blocks.insert(key_blocks.end(), {q - 1, q, q + 1, 0, last});
      candidates.clear();
      for (std::int64_t k = 1; k < last; ++k)
        if (k < q - 1 || k > q + 1) candidates.push_back(k);
      // Partial Fisher-Yates: the first r entries become a uniform draw without replacement.
      for (std::int64_t i = 0; i < num_random_blocks; ++i) {
        auto remaining = static_cast<std::uint64_t>(candidates.size()) - static_cast<std::uint64_t>(i);
        auto j = static_cast<std::size_t>(i) + static_cast<std::size_t>(random.below(remaining));
        std::swap(candidates[static_cast<std::size_t>(i)], candidates[j]);
      }
      std::sort(candidates.begin(), candidates.begin() + num_random_blocks);
      key_blocks.insert(key_blocks.end(), candidates.begin(), candidates.begin() + num_random_blocks);
    }
  }
  return SparseLayout(n_blocks, num_random_blocks, num_heads, std::move(key_blocks));
}

}  // namespace genobird::model
