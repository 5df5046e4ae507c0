// The learned part of a BPE tokenizer: the vocabulary and the ordered merge list.
//
// This is what the trainer produces, what tokenizer.json stores and what Tokenizer is built from.
// A valid model (see check_bpe_model) has:
//   - vocab[0..4] = [PAD] [UNK] [CLS] [SEP] [MASK], vocab[5..9] = A C G T N (alphabet.h);
//   - every other token made of A/C/G/T only or of N only, each token once;
//   - merges in rank order (rank 0 is applied first); each merge joins two existing tokens into a token of
//     the vocabulary (vocab[left] + vocab[right] must be in the vocabulary); no pair merged twice.
// Several merges may produce the same token (for example "AA"+"A" and "A"+"AA"), as in HuggingFace's
// trainer, so the merge list may be longer than the vocabulary grew.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace genobird::tokenizer {

struct BpeModel {
  std::vector<std::string> vocab;                              // token text by id
  std::vector<std::pair<std::int32_t, std::int32_t>> merges;   // (left id, right id) by rank
};

// The model with only the special tokens and the five base symbols.
BpeModel base_bpe_model();

// Throws ModelError describing the first violation of the rules above, prefixed by `source` (a file name
// or "model") so the message says where the bad model came from.
void check_bpe_model(const BpeModel& model, const std::string& source);

}  // namespace genobird::tokenizer
