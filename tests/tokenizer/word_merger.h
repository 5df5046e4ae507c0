// BPE merging of one word (a maximal run of A/C/G/T, or of N) in rank order, the encoder's former inner
// loop, kept as the oracle for runs too long for the quadratic reference (reference_bpe.h).
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

#include <algorithm>
#include <cstdint>
#include <functional>
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

inline void WordMerger::reset(const std::int32_t* ids, std::uint32_t n) {
  w_.symbol.assign(ids, ids + n);
  w_.next.resize(n);
  w_.prev.resize(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    w_.next[i] = i + 1;
    w_.prev[i] = i - 1;
  }
  w_.next[n - 1] = kNone;
  w_.prev[0] = kNone;
  if (w_.buckets.size() < merges_.size()) {
    w_.buckets.resize(merges_.size());
    w_.cursor.resize(merges_.size(), 0);
    w_.queued.resize(merges_.size(), 0);
  }
  w_.ranks.clear();
}

inline std::int32_t WordMerger::queue_pair(std::uint32_t pos) {
  const MergeRule* rule = pairs_.find(w_.symbol[pos], w_.symbol[w_.next[pos]]);
  if (rule == nullptr) return -1;
  auto rank = static_cast<std::size_t>(rule->rank);
  w_.buckets[rank].push_back(pos);
  if (!w_.queued[rank]) {
    w_.queued[rank] = 1;
    w_.ranks.push_back(rule->rank);
    std::push_heap(w_.ranks.begin(), w_.ranks.end(), std::greater<>());
  }
  return rule->rank;
}

inline void WordMerger::run() {
  for (std::uint32_t pos = 0; w_.next[pos] != kNone; pos = w_.next[pos]) queue_pair(pos);

  while (!w_.ranks.empty()) {
    std::pop_heap(w_.ranks.begin(), w_.ranks.end(), std::greater<>());
    std::int32_t rank = w_.ranks.back();
    w_.ranks.pop_back();
    auto r = static_cast<std::size_t>(rank);
    std::vector<std::uint32_t>& bucket = w_.buckets[r];
    std::sort(bucket.begin() + w_.cursor[r], bucket.end());
    auto [left_id, right_id] = merges_[r];
    std::int32_t result = pairs_.find(left_id, right_id)->result;
    bool suspended = false;
    std::size_t i = w_.cursor[r];
    while (i < bucket.size() && !suspended) {
      std::uint32_t pos = bucket[i++];
      std::uint32_t right = w_.next[pos];
      // Stale: the symbol at pos, or its neighbour, changed since the pair was queued.
      if (w_.symbol[pos] != left_id || right == kNone || w_.symbol[right] != right_id) continue;
      w_.symbol[pos] = result;
      w_.symbol[right] = -1;
      std::uint32_t after = w_.next[right];
      w_.next[pos] = after;
      if (after != kNone) w_.prev[after] = pos;
      std::uint32_t before = w_.prev[pos];
      std::int32_t left_rank = before != kNone ? queue_pair(before) : -1;
      std::int32_t right_rank = after != kNone ? queue_pair(pos) : -1;
      if ((left_rank >= 0 && left_rank < rank) || (right_rank >= 0 && right_rank < rank)) suspended = true;
    }
    if (i < bucket.size()) {
      // Resume this rank after the lower-ranked pairs just created.
      w_.cursor[r] = static_cast<std::uint32_t>(i);
      w_.ranks.push_back(rank);
      std::push_heap(w_.ranks.begin(), w_.ranks.end(), std::greater<>());
    } else {
      bucket.clear();
      w_.cursor[r] = 0;
      w_.queued[r] = 0;
    }
  }
}

}  // namespace genobird::tokenizer
