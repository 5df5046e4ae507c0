// Reading and writing HuggingFace tokenizers' `tokenizer.json` for a DNA BPE model.
//
// Written layout (HuggingFace tokenizers >= 0.13 loads it and gives the ids of Tokenizer::encode):
//   version "1.0"; truncation, padding, post_processor null;
//   added_tokens: the five special tokens, ids 0-4, special, not normalised;
//   normalizer: Sequence of Replace a->A, c->C, g->G, t->T, then Replace regex [^ACGT] -> N;
//   pre_tokenizer: Split on regex N+ with behaviour Isolated (runs of N are words of their own);
//   decoder: Fuse (tokens are joined without spaces);
//   model: BPE, unk_token [UNK], no dropout, no prefixes or suffixes, ignore_merges false,
//          vocab {token: id} in id order, merges ["LEFT RIGHT", ...] in rank order.
// Reading accepts merges as "LEFT RIGHT" strings or as [LEFT, RIGHT] arrays (newer HuggingFace writers),
// and requires the normaliser and pre-tokeniser above, since another normaliser would give other ids.
//
// Errors: IoError when the file cannot be read or written; InputError naming the file for invalid JSON or
// a missing, mistyped or inconsistent field (with what was expected); the model rules of bpe_model.h.
#pragma once

#include <string>

#include "tokenizer/bpe_model.h"

namespace genobird::tokenizer {

std::string tokenizer_json_text(const BpeModel& model);
// `source` names the text's origin in error messages (a file name).
BpeModel parse_tokenizer_json(const std::string& text, const std::string& source);

BpeModel read_tokenizer_json(const std::string& path);
void write_tokenizer_json(const BpeModel& model, const std::string& path);

}  // namespace genobird::tokenizer
