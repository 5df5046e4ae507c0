// Which key blocks each query block of a BigBird layer attends to (ITC variant; Zaheer et al. 2020, §2 and
// appendix D). A pure function of (number of blocks, random blocks, heads, layer index): the same in
// training and evaluation, on every run and every machine (the generator is our own SplitMix64, not a
// standard-library distribution, whose output differs between library implementations).
//
// With blocks 0 .. n-1:
//   - query blocks 0 and n-1 are global: they see every key block, and every query block sees them;
//   - every other query block q sees the window q-1, q, q+1, the globals 0 and n-1, and r random blocks
//     drawn, per head, without replacement from the blocks outside its window and the globals.
#pragma once

#include <cstdint>
#include <vector>

namespace genobird::model {

class SparseLayout {
 public:
  // Slot order of a middle query block's key blocks: window (3), globals (2), then random (r).
  static constexpr std::int64_t kWindowSlots = 3;
  static constexpr std::int64_t kGlobalSlots = 2;

  SparseLayout(std::int64_t n_blocks, std::int64_t num_random_blocks, std::int64_t num_heads,
               std::vector<std::int64_t> key_blocks);

  std::int64_t n_blocks() const { return n_blocks_; }
  std::int64_t num_random_blocks() const { return num_random_blocks_; }
  std::int64_t num_heads() const { return num_heads_; }
  std::int64_t slots() const { return kWindowSlots + kGlobalSlots + num_random_blocks_; }
  std::int64_t middle_blocks() const { return n_blocks_ - 2; }

  // Key block in `slot` of middle query block `query_block` (1 .. n_blocks-2) for `head`.
  std::int64_t key_block(std::int64_t head, std::int64_t query_block, std::int64_t slot) const;

  // False for a slot that repeats a block already in an earlier slot of the same row: query block 1's
  // window holds global block 0, and block n-2's window holds global block n-1. Attention must give such
  // a slot zero weight, or its keys would count twice.
  bool slot_is_unique(std::int64_t query_block, std::int64_t slot) const;

  // Block-level pattern: whether query block q sees key block k under `head`.
  bool sees(std::int64_t head, std::int64_t query_block, std::int64_t key_block) const;

  // All key blocks per [head][middle row][slot], row-major, middle row i being query block i + 1.
  const std::vector<std::int64_t>& key_blocks() const { return key_blocks_; }

 private:
  std::int64_t n_blocks_;
  std::int64_t num_random_blocks_;
  std::int64_t num_heads_;
  std::vector<std::int64_t> key_blocks_;
};

// The layout of layer `layer_index` for a sequence of `n_blocks` blocks. Requires
// n_blocks >= 5 + num_random_blocks (so that r distinct random blocks exist); throws std::invalid_argument
// otherwise. Attention uses full attention below (5 + 2r + 1) blocks anyway (see BigBirdConfig).
SparseLayout sparse_layout(std::int64_t n_blocks, std::int64_t num_random_blocks, std::int64_t num_heads,
                           std::int64_t layer_index);

// SplitMix64 (Steele, Lea and Flood 2014): a small generator with identical output everywhere.
class PortableRandom {
 public:
  explicit PortableRandom(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  // Uniform in [0, bound) without modulo bias; bound > 0.
  std::uint64_t below(std::uint64_t bound);

 private:
  std::uint64_t state_;
};

}  // namespace genobird::model
