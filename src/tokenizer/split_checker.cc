#include "tokenizer/split_checker.h"

#include <algorithm>

#include "tokenizer/alphabet.h"

namespace genobird::tokenizer {

SplitChecker::SplitChecker(const BpeModel& model, const PairTable& pairs) : pairs_(pairs) {
  std::size_t n = model.vocab.size();
  first_.reserve(n + 1);
  length_.assign(n, 0);
  reachable_.assign(n, 0);
  struct Symbol {
    std::int32_t id;
    std::uint32_t start;
  };
  std::vector<Symbol> symbols;
  for (std::size_t token = 0; token < n; ++token) {
    first_.push_back(static_cast<std::uint32_t>(states_.size()));
    if (token < static_cast<std::size_t>(kFirstBaseId)) {
      states_.push_back(State{kNever, -1, -1, 0});
      continue;
    }
    // The token's own process, by the definition: a handful of bases, so a quadratic scan is cheap.
    const std::string& text = model.vocab[token];
    length_[token] = static_cast<std::uint32_t>(text.size());
    symbols.clear();
    for (std::size_t i = 0; i < text.size(); ++i) {
      symbols.push_back(Symbol{base_id(text[i]), static_cast<std::uint32_t>(i)});
    }
    for (;;) {
      std::size_t best = symbols.size();
      const MergeRule* best_rule = nullptr;
      for (std::size_t i = 0; i + 1 < symbols.size(); ++i) {
        const MergeRule* rule = pairs.find(symbols[i].id, symbols[i + 1].id);
        if (rule != nullptr && (best_rule == nullptr || rule->rank < best_rule->rank)) {
          best = i;
          best_rule = rule;
        }
      }
      std::uint64_t key = best_rule == nullptr
                              ? kNever
                              : (static_cast<std::uint64_t>(best_rule->rank) << 32) | symbols[best].start;
      states_.push_back(State{key, symbols.front().id, symbols.back().id, symbols.back().start});
      if (best_rule == nullptr) break;
      symbols[best].id = best_rule->result;
      symbols.erase(symbols.begin() + static_cast<std::ptrdiff_t>(best) + 1);
    }
    reachable_[token] = symbols.size() == 1 && symbols[0].id == static_cast<std::int32_t>(token);
  }
  first_.push_back(static_cast<std::uint32_t>(states_.size()));

  std::vector<std::int64_t> last_made(n, -1);
  std::vector<std::int64_t> first_used(n, static_cast<std::int64_t>(model.merges.size()));
  for (std::size_t rank = 0; rank < model.merges.size(); ++rank) {
    auto [left, right] = model.merges[rank];
    auto made = static_cast<std::size_t>(pairs.find(left, right)->result);
    last_made[made] = static_cast<std::int64_t>(rank);
    for (auto part : {left, right}) {
      auto& used = first_used[static_cast<std::size_t>(part)];
      used = std::min(used, static_cast<std::int64_t>(rank));
    }
  }
  monotone_ = true;
  for (std::size_t token = 0; token < n; ++token) monotone_ = monotone_ && last_made[token] < first_used[token];
  if (!monotone_) return;

  merges_by_left_.assign(n, {});
  for (std::size_t rank = 0; rank < model.merges.size(); ++rank) {
    auto [left, right] = model.merges[rank];
    merges_by_left_[static_cast<std::size_t>(left)].emplace_back(right, static_cast<std::uint32_t>(rank));
  }
  by_start_symbol_.assign(n, {});
  for (std::size_t token = kFirstBaseId; token < n; ++token) {
    const State* state = &states_[first_[token]];
    const State* end = &states_[first_[token + 1]];
    for (; state != end; ++state) {
      bool last = state + 1 == end;
      if (!last && (state + 1)->left_edge == state->left_edge) continue;
      std::uint32_t retired = last ? kNoRank : static_cast<std::uint32_t>(state->next_key >> 32);
      by_start_symbol_[static_cast<std::size_t>(state->left_edge)].push_back(
          Follower{retired, static_cast<std::int32_t>(token)});
    }
  }
  for (auto& followers : by_start_symbol_) {
    std::sort(followers.begin(), followers.end(),
              [](const Follower& a, const Follower& b) { return a.retired > b.retired; });
  }
}

void SplitChecker::invalid_followers(std::int32_t left, std::size_t limit, std::vector<std::uint64_t>& invalid) const {
  invalid.assign((limit + 63) / 64, 0);
  const State* state = &states_[first_[static_cast<std::size_t>(left)]];
  const State* end = &states_[first_[static_cast<std::size_t>(left) + 1]];
  for (; state != end; ++state) {
    bool last = state + 1 == end;
    if (!last && (state + 1)->right_edge == state->right_edge) continue;
    std::uint32_t retired = last ? kNoRank : static_cast<std::uint32_t>(state->next_key >> 32);
    for (auto [start, rank] : merges_by_left_[static_cast<std::size_t>(state->right_edge)]) {
      if (rank >= retired) continue;
      for (const Follower& follower : by_start_symbol_[static_cast<std::size_t>(start)]) {
        if (follower.retired < rank) break;
        auto u = static_cast<std::size_t>(follower.token);
        if (u < limit) invalid[u / 64] |= std::uint64_t{1} << (u % 64);
      }
    }
  }
}

bool SplitChecker::valid_split(std::int32_t left, std::int32_t right) const {
  // The pair of whole tokens, if it merges, is the last candidate standing: no need to replay.
  if (pairs_.find(left, right) != nullptr) return false;
  const State* a = &states_[first_[static_cast<std::size_t>(left)]];
  const State* b = &states_[first_[static_cast<std::size_t>(right)]];
  // Keys of the right token's pairs are positions in the joined text.
  std::uint64_t shift = length_[static_cast<std::size_t>(left)];
  std::int32_t x = -1;
  std::int32_t y = -1;
  std::uint64_t across = kNever;
  for (;;) {
    if (a->right_edge != x || b->left_edge != y) {
      x = a->right_edge;
      y = b->left_edge;
      const MergeRule* rule = pairs_.find(x, y);
      across = rule == nullptr ? kNever : (static_cast<std::uint64_t>(rule->rank) << 32) | a->right_start;
    }
    std::uint64_t left_key = a->next_key;
    std::uint64_t right_key = b->next_key == kNever ? kNever : b->next_key + shift;
    // Positions differ between the three candidates, so keys never tie.
    if (across < left_key && across < right_key) return false;
    if (left_key == kNever && right_key == kNever) return true;
    if (left_key < right_key) ++a;
    else ++b;
  }
}

}  // namespace genobird::tokenizer
