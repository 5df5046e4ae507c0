#include "tokenizer/backtrack_encoder.h"

#include <algorithm>
#include <atomic>

#include "tokenizer/alphabet.h"
#include "util/error.h"

namespace genobird::tokenizer {

namespace {

// Split checks of the tokens with ids below kSharedTokens (a trained vocabulary lists its most frequent
// tokens first) are answered from one table shared by all threads. For a monotone merge list (every
// trained one) the table is complete, one bit per pair (2 MiB for 4096 tokens), computed at construction
// in milliseconds (SplitChecker::invalid_followers); this halved the encoder's time on a 4096-token
// vocabulary against replaying each pair when first met. Otherwise it holds 2 bits per pair (known,
// valid), filled as pairs are met: 16 MiB at most. The rarer pairs go to a per-thread direct-mapped memo,
// slot = (left << 32) | (right << 1) | valid, of 2^16 slots (512 KiB, kept in L2).
constexpr std::size_t kSharedTokens = 8192;
constexpr std::uint8_t kKnown = 2;
constexpr std::uint8_t kValid = 1;
constexpr int kMemoBits = 16;
constexpr std::uint64_t kEmptySlot = ~std::uint64_t{0};

struct SplitMemo {
  std::uint64_t owner = 0;
  std::vector<std::uint64_t> slots;
};

thread_local SplitMemo memo;

std::atomic<std::uint64_t> next_identity{1};

}  // namespace

BacktrackEncoder::BacktrackEncoder(const BpeModel& model, const PairTable& pairs)
    : splits_(model, pairs), identity_(next_identity++) {
  std::size_t n = model.vocab.size();
  shared_tokens_ = std::min(n, kSharedTokens);
  if (!splits_.monotone()) {
    shared_memo_.reset(new std::atomic<std::uint8_t>[(shared_tokens_ * shared_tokens_ + 3) / 4]());
  }
  length_.assign(n, 0);
  shorter_.assign(n, -1);
  trie_.push_back(Node{{kNoNode, kNoNode, kNoNode, kNoNode, kNoNode}, -1});
  for (std::size_t token = kFirstBaseId; token < n; ++token) {
    const std::string& text = model.vocab[token];
    length_[token] = static_cast<std::uint32_t>(text.size());
    if (!splits_.reachable(static_cast<std::int32_t>(token))) continue;
    std::size_t node = 0;
    for (char base : text) {
      std::uint8_t code = base_code(base);
      if (trie_[node].child[code] == kNoNode) {
        trie_[node].child[code] = static_cast<std::int32_t>(trie_.size());
        trie_.push_back(Node{{kNoNode, kNoNode, kNoNode, kNoNode, kNoNode}, -1});
      }
      node = static_cast<std::size_t>(trie_[node].child[code]);
    }
    trie_[node].token = static_cast<std::int32_t>(token);
  }
  if (splits_.monotone()) fill_split_bits();
  // The walk through the first kJumpBases levels, for every string of that many codes.
  jumps_.resize(kJumpStrings);
  for (std::size_t index = 0; index < kJumpStrings; ++index) {
    Jump jump{0, -1};
    for (std::size_t k = 0, rest = index, scale = kJumpStrings / 5; k < kJumpBases && jump.node != kNoNode; ++k) {
      std::size_t code = rest / scale;
      rest %= scale;
      scale /= 5;
      jump.node = trie_[static_cast<std::size_t>(jump.node)].child[code];
      if (jump.node != kNoNode && trie_[static_cast<std::size_t>(jump.node)].token >= 0) {
        jump.best = trie_[static_cast<std::size_t>(jump.node)].token;
      }
    }
    jumps_[index] = jump;
  }
  // A token's shorter prefixes lie on its trie path; the deepest one before the token is the next to try.
  for (std::size_t token = kFirstBaseId; token < n; ++token) {
    if (!splits_.reachable(static_cast<std::int32_t>(token))) continue;
    std::size_t node = 0;
    const std::string& text = model.vocab[token];
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
      node = static_cast<std::size_t>(trie_[node].child[base_code(text[i])]);
      if (trie_[node].token >= 0) shorter_[token] = trie_[node].token;
    }
  }
}

void BacktrackEncoder::fill_split_bits() {
  row_words_ = (shared_tokens_ + 63) / 64;
  split_bits_.assign(shared_tokens_ * row_words_, 0);
  std::vector<std::uint64_t> invalid;
  for (std::size_t left = kFirstBaseId; left < shared_tokens_; ++left) {
    if (!splits_.reachable(static_cast<std::int32_t>(left))) continue;
    splits_.invalid_followers(static_cast<std::int32_t>(left), shared_tokens_, invalid);
    for (std::size_t word = 0; word < row_words_; ++word) split_bits_[left * row_words_ + word] = ~invalid[word];
  }
}

std::int32_t BacktrackEncoder::longest_match(const std::uint8_t* codes, std::size_t n) const {
  std::int32_t best = -1;
  std::int32_t node = 0;
  std::size_t i = 0;
  if (n >= kJumpBases) {
    std::size_t index = 0;
    for (std::size_t k = 0; k < kJumpBases; ++k) index = index * 5 + codes[k];
    const Jump& jump = jumps_[index];
    if (jump.node == kNoNode) return jump.best;
    best = jump.best;
    node = jump.node;
    i = kJumpBases;
  }
  for (; i < n; ++i) {
    node = trie_[static_cast<std::size_t>(node)].child[codes[i]];
    if (node == kNoNode) break;
    std::int32_t token = trie_[static_cast<std::size_t>(node)].token;
    if (token >= 0) best = token;
  }
  return best;
}

bool BacktrackEncoder::valid_split(std::int32_t left, std::int32_t right) const {
  auto l = static_cast<std::size_t>(left);
  auto r = static_cast<std::size_t>(right);
  if (l >= shared_tokens_ || r >= shared_tokens_) return memoised_split(left, right);
  if (!split_bits_.empty()) return ((split_bits_[l * row_words_ + r / 64] >> (r % 64)) & 1) != 0;
  std::size_t pair = l * shared_tokens_ + r;
  std::atomic<std::uint8_t>& cell = shared_memo_[pair / 4];
  unsigned shift = static_cast<unsigned>(pair % 4) * 2;
  // Relaxed is enough: every thread computes the same answer, so any value seen is a correct one.
  unsigned bits = (cell.load(std::memory_order_relaxed) >> shift) & 3u;
  if (bits & kKnown) return (bits & kValid) != 0;
  bool valid = splits_.valid_split(left, right);
  cell.fetch_or(static_cast<std::uint8_t>((kKnown | (valid ? kValid : 0)) << shift), std::memory_order_relaxed);
  return valid;
}

bool BacktrackEncoder::memoised_split(std::int32_t left, std::int32_t right) const {
  if (memo.owner != identity_) {
    memo.slots.assign(std::size_t{1} << kMemoBits, kEmptySlot);
    memo.owner = identity_;
  }
  std::uint64_t key = (static_cast<std::uint64_t>(left) << 32) | (static_cast<std::uint64_t>(right) << 1);
  std::size_t slot = static_cast<std::size_t>(((key | 1) * 0x9E3779B97F4A7C15ull) >> (64 - kMemoBits));
  std::uint64_t entry = memo.slots[slot];
  if ((entry | 1) == (key | 1)) return (entry & 1) != 0;
  bool valid = splits_.valid_split(left, right);
  memo.slots[slot] = key | (valid ? 1 : 0);
  return valid;
}

void BacktrackEncoder::encode(const std::uint8_t* codes, std::size_t n, std::vector<std::int32_t>& ids) const {
  // dead[p]: no encoding of the text has a token boundary at p (see the header).
  thread_local std::vector<char> dead;
  dead.assign(n + 1, 0);
  std::size_t first = ids.size();
  std::size_t pos = 0;
  std::int32_t next = n > 0 ? longest_match(codes, n) : -1;
  while (pos < n) {
    std::int32_t token = next;
    std::int32_t last = ids.size() > first ? ids.back() : -1;
    for (;;) {
      std::size_t end = pos + length_[static_cast<std::size_t>(token)];
      if (!dead[end] && (last < 0 || valid_split(last, token))) {
        ids.push_back(token);
        pos = end;
        if (pos < n) next = longest_match(codes + pos, n - pos);
        break;
      }
      token = shorter_[static_cast<std::size_t>(token)];
      if (token < 0) {
        // A single base at the text's start is always a valid beginning, so there is a token to pop.
        if (last < 0) throw Error("BPE backtracking found no encoding; the tokenizer's tables are inconsistent");
        dead[pos] = 1;
        ids.pop_back();
        pos -= length_[static_cast<std::size_t>(last)];
        next = last;
        break;
      }
    }
  }
}

}  // namespace genobird::tokenizer
