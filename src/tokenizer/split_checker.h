// Which tokens and token pairs BPE can output, decided from each token's own merge process.
//
// Why: the backtracking encoder (backtrack_encoder.h) rests on two facts about BPE with the HuggingFace
// rule (merge the adjacent pair of lowest rank, leftmost on ties):
//   1. A token t appears in the encoding of some text only if BPE(t) = [t] ("t is reachable"): the merges
//      inside the span of an output token are exactly the process run on that span alone, because every
//      step merges the lowest (rank, position) pair and the pairs crossing the span's edges never win.
//   2. For the same reason, consecutive output tokens t, u satisfy BPE(t + u) = [t, u] ("t | u is a valid
//      split"); and conversely a tiling of a text by reachable tokens whose neighbours are all valid splits
//      is its BPE encoding (the first merge of the real process that crossed one of its boundaries would
//      also be the next merge of the process on the two tokens around it, which never crosses).
// This holds for every merge list, including tokens made by several merges of different rank, so no
// vocabulary needs a fallback; unreachable tokens are simply never candidates.
//
// valid_split(t, u) replays the process on t + u without running it on the text: the process on each
// side alone is recorded once per token (its merge keys in order and its edge symbol after each merge);
// the two sides advance in global (rank, position) order, and the split is invalid as soon as the pair
// of edge symbols across the boundary has a merge that beats the next merge of both sides. At most
// len(t) + len(u) - 1 steps. Reference: "so many tokens, so little time", GitHub's rust-gems `bpe` crate
// (backtracking encoder and its is_valid_token_pair).
//
// Thread-safety: immutable after construction; concurrent calls are safe.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "tokenizer/bpe_model.h"
#include "tokenizer/pair_table.h"

namespace genobird::tokenizer {

class SplitChecker {
 public:
  SplitChecker() = default;
  // `pairs` is the table of `model`'s merges; the checker keeps its own copy.
  SplitChecker(const BpeModel& model, const PairTable& pairs);

  // BPE of the token's own text is the token itself. Special tokens are never reachable.
  bool reachable(std::int32_t token) const { return reachable_[static_cast<std::size_t>(token)] != 0; }

  // BPE(text(left) + text(right)) == [left, right]; both tokens must be reachable.
  bool valid_split(std::int32_t left, std::int32_t right) const;

  // Every merge that uses a token ranks after every merge that makes it (true of trained models).
  bool monotone() const { return monotone_; }

  // For a monotone merge list: sets bit u of `invalid` (resized to `limit` bits) for every token u below
  // `limit` for which left | u is not a valid split. Monotone merges are applied in rank order, so the
  // split is invalid exactly when a symbol x that sat at left's end and a symbol y that sat at u's start
  // have a merge of rank r below the rank that retired x, and not above the one that retired y (at equal
  // rank the left of two pairs goes first). Answers every u at once from lists of tokens by start
  // symbol, which is how a whole table of splits is filled in milliseconds.
  void invalid_followers(std::int32_t left, std::size_t limit, std::vector<std::uint64_t>& invalid) const;

 private:
  // One state of a token's own process: the key of the merge that leaves it (kNever after the last)
  // and the symbols at the token's two edges while in it.
  struct State {
    std::uint64_t next_key;     // (rank << 32) | position of the merged pair's left symbol
    std::int32_t left_edge;     // symbol at the token's start
    std::int32_t right_edge;    // symbol at the token's end
    std::uint32_t right_start;  // position of right_edge's first base in the token
  };
  static constexpr std::uint64_t kNever = ~std::uint64_t{0};

  PairTable pairs_;
  std::vector<State> states_;            // every token's states, token after token
  std::vector<std::uint32_t> first_;     // by token: index of its state 0 in states_ (size vocab + 1)
  std::vector<std::uint32_t> length_;    // by token: bases
  std::vector<char> reachable_;

  // Only for monotone lists. A symbol's "retire rank" is that of the merge that absorbed it in the
  // token's own process; the token itself is never absorbed (kNoRank).
  static constexpr std::uint32_t kNoRank = ~std::uint32_t{0};
  struct Follower {
    std::uint32_t retired;  // when this start symbol of `token` was absorbed
    std::int32_t token;
  };
  bool monotone_ = false;
  std::vector<std::vector<std::pair<std::int32_t, std::uint32_t>>> merges_by_left_;  // by left: (right, rank)
  std::vector<std::vector<Follower>> by_start_symbol_;  // by symbol: tokens it started, latest retired first
};

}  // namespace genobird::tokenizer
