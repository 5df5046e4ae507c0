// genobird's DNA tokenizer: byte-pair encoding over A, C, G, T and N, with bp offsets.
//
// A Tokenizer is a BPE model (vocabulary + ordered merges, bpe_model.h) loaded from a HuggingFace
// tokenizers `tokenizer.json` (tokenizer_json.h) or built from a trained model (bpe_trainer.h).
//
// Normalisation (alphabet.h): a/c/g/t are upper-cased; every other byte — N, IUPAC ambiguity codes, '-',
// anything — becomes N. No byte is dropped or added, so offsets index the input itself. The input is then
// cut into words, the maximal runs of A/C/G/T and the maximal runs of N, and each word is merged on its
// own, so a token never spans a base and an N. HuggingFace tokenizers gives the same ids for the
// tokenizer.json this library writes (normaliser: Replace a->A, c->C, g->G, t->T, [^ACGT]->N; pre-tokeniser:
// Split on "N+", isolated; model: BPE).
//
// encode() adds no special tokens; [CLS]/[SEP] framing belongs to the model layer. One difference from
// HuggingFace stays: there a literal "[CLS]" written inside the input text is read as the special token,
// here it is five non-DNA bytes (five N). Sequence files cannot hold '[' anyway.
//
// Speed: the encoder (backtrack_encoder.h) builds the BPE result directly by greedy longest match with
// backtracking, checked against each token's own merge process, in time linear in the input; it gives
// exactly the result of merging pairs in rank order, for every valid model.
//
// Thread-safety: a Tokenizer is immutable after construction; encode(), encode_batch() and decode() may be
// called from any number of threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tokenizer/alphabet.h"
#include "tokenizer/bpe_model.h"
#include "tokenizer/backtrack_encoder.h"
#include "tokenizer/pair_table.h"

namespace genobird::tokenizer {

// A token's span in the input, in bp: [start, end), 0-based half-open.
struct TokenSpan {
  std::size_t start = 0;
  std::size_t end = 0;
  bool operator==(const TokenSpan& other) const { return start == other.start && end == other.end; }
};

struct Encoding {
  std::vector<std::int32_t> ids;
  std::vector<TokenSpan> offsets;  // one per id; consecutive spans tile the input exactly
};

class Tokenizer {
 public:
  // Builds the lookup tables of a model; throws ModelError if the model is invalid (check_bpe_model).
  explicit Tokenizer(BpeModel model);

  // Reads and validates a tokenizer.json. Throws IoError if it cannot be read, InputError naming the file
  // for bad JSON or anything that is not a genobird DNA BPE tokenizer (see tokenizer_json.h).
  static Tokenizer load(const std::string& tokenizer_json_path);
  // Writes tokenizer.json atomically ("-" is stdout). Throws IoError.
  void save(const std::string& path) const;

  // Number of tokens, special tokens included (the embedding table's row count).
  std::size_t vocab_size() const { return model_.vocab.size(); }
  const BpeModel& model() const { return model_; }

  Encoding encode(std::string_view seq) const;
  // Encodes every sequence, spreading them over `threads` threads (>= 1); results are in input order.
  std::vector<Encoding> encode_batch(const std::vector<std::string>& seqs, int threads) const;
  // Number of tokens encode(seq) gives, without building offsets (a third of encode's memory).
  std::size_t count_tokens(std::string_view seq) const;

  // Concatenated token texts; special tokens are skipped, so decode(encode(s).ids) is s normalised.
  // Throws ModelError for an id outside [0, vocab_size()).
  std::string decode(const std::vector<std::int32_t>& ids) const;

  // Id of a token text, or -1 when it is not in the vocabulary.
  std::int32_t token_to_id(std::string_view token) const;
  // Text of a token id; throws ModelError when out of range.
  const std::string& id_to_token(std::int32_t id) const;

 private:
  void encode_into(std::string_view seq, Encoding& out) const;
  void encode_ids(std::string_view seq, std::vector<std::int32_t>& ids) const;

  BpeModel model_;
  BacktrackEncoder encoder_;
  std::unordered_map<std::string, std::int32_t> token_ids_;
};

}  // namespace genobird::tokenizer
