#include "tokenizer/merge_history.h"

#include <algorithm>
#include <limits>

namespace genobird::tokenizer {

MergeHistory::MergeHistory(const BpeModel& model, const PairTable& pairs) {
  std::size_t n = model.vocab.size();
  origins_.assign(n, Origin{});
  std::vector<std::int64_t> last_made(n, -1);
  std::vector<std::int64_t> first_used(n, std::numeric_limits<std::int64_t>::max());
  for (std::size_t rank = 0; rank < model.merges.size(); ++rank) {
    auto [left, right] = model.merges[rank];
    const MergeRule* rule = pairs.find(left, right);
    auto result = static_cast<std::size_t>(rule->result);
    Origin& origin = origins_[result];
    if (origin.rank >= 0) origin.ambiguous = true;
    if (origin.rank < 0) origin = Origin{left, right, static_cast<std::int32_t>(rank), false};
    last_made[result] = static_cast<std::int64_t>(rank);
    for (auto part : {left, right}) {
      auto& used = first_used[static_cast<std::size_t>(part)];
      if (used > static_cast<std::int64_t>(rank)) used = static_cast<std::int64_t>(rank);
    }
  }
  monotone_ = true;
  for (std::size_t id = 0; id < n; ++id) {
    if (last_made[id] >= first_used[id]) monotone_ = false;
  }
  // Tokens are made from shorter tokens, so ids in order of length see their parts settled first.
  known_chains_.assign(n, 1);
  std::vector<std::size_t> by_length(n);
  for (std::size_t id = 0; id < n; ++id) by_length[id] = id;
  std::stable_sort(by_length.begin(), by_length.end(),
                   [&](std::size_t a, std::size_t b) { return model.vocab[a].size() < model.vocab[b].size(); });
  for (std::size_t id : by_length) {
    const Origin& origin = origins_[id];
    if (origin.rank < 0) continue;
    known_chains_[id] = !origin.ambiguous && known_chains_[static_cast<std::size_t>(origin.left)] &&
                        known_chains_[static_cast<std::size_t>(origin.right)];
  }
}

bool MergeHistory::edge_chain(std::int32_t token, bool right_edge, std::vector<Epoch>& chain) const {
  chain.clear();
  std::int64_t retired = std::numeric_limits<std::int64_t>::max();
  for (;;) {
    const Origin& origin = origins_[static_cast<std::size_t>(token)];
    if (origin.ambiguous) return false;
    chain.push_back(Epoch{token, retired});
    if (origin.rank < 0) return true;
    retired = origin.rank;
    token = right_edge ? origin.right : origin.left;
  }
}

bool MergeHistory::may_merge_across(std::int32_t left_token, std::int32_t right_token, const PairTable& pairs) const {
  thread_local std::vector<Epoch> left_chain;
  thread_local std::vector<Epoch> right_chain;
  if (!monotone_ || !edge_chain(left_token, true, left_chain) || !edge_chain(right_token, false, right_chain)) {
    return true;
  }
  for (const Epoch& x : left_chain) {
    for (const Epoch& y : right_chain) {
      const MergeRule* rule = pairs.find(x.token, y.token);
      if (rule != nullptr && rule->rank < x.retired && rule->rank <= y.retired) return true;
    }
  }
  return false;
}

}  // namespace genobird::tokenizer
