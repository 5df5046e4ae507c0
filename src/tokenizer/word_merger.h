// BPE merging of one word (a maximal run of A/C/G/T, or of N), the inner loop of the encoder.
//
// Semantics are those of HuggingFace tokenizers' BPE model (tokenizers/src/models/bpe/word.rs): start from
// one symbol per base; repeatedly merge the adjacent pair with the lowest merge rank, the leftmost one
// when several pairs share that rank; stop when no adjacent pair has a merge.
//
// Algorithm: the word is a doubly linked list of symbols over its positions. Instead of one heap of
// (rank, position) over the whole word (O(n log n), and a chromosome is one word), pending pairs sit in
// one bucket per rank, and a small heap holds the ranks that have pending pairs. The lowest rank's
// bucket is sorted by position and merged left to right. A merge creates at most two new pairs; their
// ranks differ from the current one (a pair (x, y) producing x + y cannot recur next to x + y), so a
// bucket does not grow while it is being merged. If a new pair has a lower rank than the bucket being
// merged (possible when a token is produced by two merges of different rank), the bucket is suspended
// and resumed after that pair, which keeps the order exactly that of the (rank, position) heap.
// Stale entries (a symbol already merged away) are checked and skipped when reached.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "tokenizer/pair_table.h"

namespace genobird::tokenizer {

inline constexpr std::uint32_t kNone = ~std::uint32_t{0};  // no symbol: before the first, after the last

// Scratch memory of WordMerger, reused from word to word (one per thread). Every bucket is empty between
// words, so one workspace serves any tokenizer.
struct MergeWorkspace {
  std::vector<std::int32_t> symbol;  // token id of the symbol starting at a position; -1 inside a symbol
  std::vector<std::uint32_t> next;   // start of the next symbol, or kNone
  std::vector<std::uint32_t> prev;   // start of the previous symbol, or kNone
  std::vector<std::vector<std::uint32_t>> buckets;  // by rank: start positions of pending pairs
  std::vector<std::uint32_t> cursor;                // by rank: entries of the bucket already handled
  std::vector<char> queued;                         // by rank: rank is in `ranks`
  std::vector<std::int32_t> ranks;                  // min-heap of ranks with pending pairs
};

class WordMerger {
 public:
  // `merges` holds (left, right) by rank; `pairs` maps each pair to its rank and result. All three must
  // outlive the merger.
  WordMerger(const std::vector<std::pair<std::int32_t, std::int32_t>>& merges, const PairTable& pairs,
             MergeWorkspace& workspace)
      : merges_(merges), pairs_(pairs), w_(workspace) {}

  // Merges the word whose base symbol ids are ids[0..n) and calls emit(token_id, start, end) for each
  // resulting token in order; start and end are positions in the word.
  template <typename Emit>
  void merge(const std::int32_t* ids, std::uint32_t n, Emit&& emit);

 private:
  void reset(const std::int32_t* ids, std::uint32_t n);
  // Queues the pair starting at symbol `pos` if it has a merge; returns its rank or -1.
  std::int32_t queue_pair(std::uint32_t pos);
  void run();

  const std::vector<std::pair<std::int32_t, std::int32_t>>& merges_;
  const PairTable& pairs_;
  MergeWorkspace& w_;
};

template <typename Emit>
void WordMerger::merge(const std::int32_t* ids, std::uint32_t n, Emit&& emit) {
  if (n == 0) return;
  reset(ids, n);
  run();
  for (std::uint32_t pos = 0; pos != kNone; pos = w_.next[pos]) {
    std::uint32_t end = w_.next[pos] == kNone ? n : w_.next[pos];
    emit(w_.symbol[pos], pos, end);
  }
}

}  // namespace genobird::tokenizer
