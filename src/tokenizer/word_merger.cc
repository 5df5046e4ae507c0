#include "tokenizer/word_merger.h"

#include <algorithm>
#include <functional>

namespace genobird::tokenizer {

void WordMerger::reset(const std::int32_t* ids, std::uint32_t n) {
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

std::int32_t WordMerger::queue_pair(std::uint32_t pos) {
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

void WordMerger::run() {
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
