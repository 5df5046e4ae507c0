// Exact BPE encoding in linear time: greedy longest match with backtracking.
//
// BPE's output is the one tiling of the text by reachable tokens whose neighbours are all valid splits
// (split_checker.h). The encoder builds that tiling left to right: at each position it takes the longest
// reachable token that matches (a walk down a trie over A C G T N) and keeps it if it is a valid split
// with the previous token and does not end at a position already known to be a dead end; otherwise it
// tries the next shorter matching token, and when none is left it pops the previous token, marks the
// position dead and resumes there with that token's shorter prefixes. Since the tiling of a prefix is
// unique when it exists, a position that failed once fails from every path, so every position is
// entered at most once and the work is linear (a few trie steps and split checks per token). This is the
// backtracking encoder of GitHub's rust-gems `bpe` crate, generalised to HuggingFace merge lists.
//
// Runs of N and runs of A/C/G/T need no separate pass: no token and no merge mixes them, so the trie
// never matches across a run's edge and every split there is valid.
//
// Split checks come from a table (filled in bulk for trained merge lists) or a memo, since the same token
// pairs recur all along a genome; backtrack_encoder.cc says how. A table hit is one memory access where a
// check replays two merge processes.
//
// Thread-safety: immutable after construction; encode() may be called from any number of threads.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "tokenizer/alphabet.h"
#include "tokenizer/bpe_model.h"
#include "tokenizer/pair_table.h"
#include "tokenizer/split_checker.h"

namespace genobird::tokenizer {

// A base's code for the trie: A=0, C=1, G=2, T=3, anything else (N) = 4; base id = kFirstBaseId + code.
constexpr std::uint8_t base_code(char byte) { return static_cast<std::uint8_t>(base_id(byte) - kFirstBaseId); }

class BacktrackEncoder {
 public:
  BacktrackEncoder() = default;
  // `pairs` is the table of `model`'s merges (copied; need not outlive the encoder).
  BacktrackEncoder(const BpeModel& model, const PairTable& pairs);

  // Appends to `ids` the BPE tokens of the text whose base codes are codes[0..n).
  void encode(const std::uint8_t* codes, std::size_t n, std::vector<std::int32_t>& ids) const;

  // Bases in a token (0 for special tokens).
  std::uint32_t length(std::int32_t token) const { return length_[static_cast<std::size_t>(token)]; }

 private:
  struct Node {
    std::int32_t child[5];
    std::int32_t token;  // reachable token spelled by the path to this node, or -1
  };
  static constexpr std::int32_t kNoNode = -1;
  // The first kJumpBases steps of a trie walk come from one table lookup (5^6 entries, 125 KiB): the walk
  // is a chain of dependent loads, the longest part of the encoder's time after the split checks.
  static constexpr std::size_t kJumpBases = 6;
  static constexpr std::size_t kJumpStrings = 5 * 5 * 5 * 5 * 5 * 5;
  struct Jump {
    std::int32_t node;  // node after the kJumpBases steps, or kNoNode if the walk stopped before
    std::int32_t best;  // deepest token met on the way, or -1
  };

  // The longest reachable token that is a prefix of codes[0..n) (n >= 1); a base always matches.
  std::int32_t longest_match(const std::uint8_t* codes, std::size_t n) const;
  bool valid_split(std::int32_t left, std::int32_t right) const;
  // valid_split for a pair outside the shared table, through the per-thread memo; kept out of line so
  // that the table lookup inlines into the encoding loop.
  bool memoised_split(std::int32_t left, std::int32_t right) const;
  // Answers every split between tokens of the shared range at once (monotone merge lists only).
  void fill_split_bits();

  SplitChecker splits_;
  std::vector<Node> trie_;                  // node 0 is the root
  std::vector<Jump> jumps_;                 // by the first kJumpBases codes, read as a base-5 number
  std::vector<std::int32_t> shorter_;       // by token: longest reachable proper prefix, or -1
  std::vector<std::uint32_t> length_;       // by token: bases
  // Merge lists that are not monotone: answers of valid_split for pairs of ids below shared_tokens_, filled
  // as pairs are met, 2 bits a pair (known, valid); shared by the copies of an encoder, which all give the
  // same answers.
  std::shared_ptr<std::atomic<std::uint8_t>[]> shared_memo_;
  // For monotone merge lists instead: bit r of row l says whether l | r is a valid split; rows of
  // row_words_ words.
  std::vector<std::uint64_t> split_bits_;
  std::size_t row_words_ = 0;
  std::size_t shared_tokens_ = 0;
  std::uint64_t identity_ = 0;              // tells the per-thread split memo which encoder filled it
};

}  // namespace genobird::tokenizer
