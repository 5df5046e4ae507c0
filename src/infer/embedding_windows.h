// How a record with more tokens than the model has positions is embedded whole: its tokens are cut into
// overlapping windows of at most `capacity` tokens (each later framed as [CLS] window [SEP]), and every token
// takes its hidden state from exactly one window, the one whose centre is nearest (ties: the earlier one).
//
// Windows are `capacity` tokens long and start every capacity - capacity / 4 tokens (a quarter overlaps the
// next window); the last one ends at the last token. Nearest-centre assignment keeps every token at least
// capacity / 8 tokens away from a window edge that is not a record end, so each state is computed with
// context on both sides, and the kept ranges tile the record: token-level output holds every token once,
// and a record's mean or max over tokens weighs each token once.
// No tensors here.
#pragma once

#include <cstddef>
#include <vector>

namespace genobird::infer {

struct TokenWindow {
  std::size_t first = 0;       // the window holds tokens [first, first + count)
  std::size_t count = 0;
  std::size_t keep_first = 0;  // tokens [keep_first, keep_end) take their states from this window
  std::size_t keep_end = 0;
};

// The windows of a record of `tokens` tokens (one window, possibly empty, when tokens <= capacity).
// capacity must be at least 1.
std::vector<TokenWindow> token_windows(std::size_t tokens, std::size_t capacity);

}  // namespace genobird::infer
