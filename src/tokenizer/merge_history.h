// What the merge list says about how each token can come about, used to cut long words safely.
//
// Why: a chromosome is one word, and merging it in rank order touches the whole word once per rank,
// which defeats the CPU caches. Encoding it in pieces of a few kbp is exact when no merge of the
// whole-word process would cross a cut. For a cut between a left piece ending in token X and a right
// piece starting with token Y, the symbols that sat on each side of the cut over time are X's chain of
// right parts (X = u + v, v = u' + v', ..., down to a base) and Y's chain of left parts. With a
// rank-monotone merge list (every merge using a token has a higher rank than every merge making it) the
// whole-word process merges in rank order, left to right within a rank, so a merge across the cut would
// happen exactly when some pair (x, y) of those chains has a merge of rank r with r < (rank that
// retired x) and r <= (rank that retired y); the left symbol is retired first at equal rank because it
// sits further left. may_merge_across() checks that condition; it answers true (unsafe) when a chain is
// not known because a token is produced by more than one merge.
#pragma once

#include <cstdint>
#include <vector>

#include "tokenizer/bpe_model.h"
#include "tokenizer/pair_table.h"

namespace genobird::tokenizer {

class MergeHistory {
 public:
  MergeHistory() = default;
  // `pairs` is the table of `model`'s merges.
  MergeHistory(const BpeModel& model, const PairTable& pairs);

  // True when every merge that uses a token ranks after every merge that produces it.
  bool monotone() const { return monotone_; }

  // False only when it is certain that the whole-word process never merges across a cut between a piece
  // ending in `left_token` and a piece starting with `right_token` (both pieces encoded on their own).
  bool may_merge_across(std::int32_t left_token, std::int32_t right_token, const PairTable& pairs) const;

  // True when the chains of the token are known (every token in them has a single producing merge).
  bool has_known_chains(std::int32_t token) const { return known_chains_[static_cast<std::size_t>(token)] != 0; }

 private:
  struct Origin {
    std::int32_t left = -1;   // -1: a base symbol or special token, made by no merge
    std::int32_t right = -1;
    std::int32_t rank = -1;
    bool ambiguous = false;   // made by several merges
  };
  struct Epoch {
    std::int32_t token;
    std::int64_t retired;  // rank of the merge that absorbed it; "never" is a value above every rank
  };
  // Fills `chain` with the symbols that sat at the token's right (or left) edge; false if unknown.
  bool edge_chain(std::int32_t token, bool right_edge, std::vector<Epoch>& chain) const;

  std::vector<Origin> origins_;
  std::vector<char> known_chains_;
  bool monotone_ = false;
};

}  // namespace genobird::tokenizer
