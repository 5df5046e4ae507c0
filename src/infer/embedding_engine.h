// The embedding engine: DNA sequences in, vectors out (`genobird embed`).
//
// A sequence is tokenized whole (genobird's BPE, each token with its bp span), cut into windows of at most
// max_position_embeddings - 2 tokens when longer (embedding_windows.h: overlapping windows, every token
// taking its state from one of them), each window framed as [CLS] tokens [SEP] and run through the encoder
// in batches of `batch_size` windows, under c10::InferenceMode (bf16 autocast on CUDA, fp32 on the CPU).
// What is read is HuggingFace's hidden_states[layer] (layer 0: the embeddings' output; the default, -1, the
// last layer), and what comes out per record (`pool`):
//   kMean  the mean of the states of the record's tokens, [CLS], [SEP] and padding left out;
//   kMax   their element-wise maximum;
//   kCls   the state of the [CLS] token (for a record cut into windows: the mean of its windows' [CLS]
//          states, each weighted by the number of tokens the window contributes);
//   kNone  one vector per token, in order, with its bp span in the record's sequence.
// With rc_mean each record is also embedded as its reverse complement and the two pooled vectors are
// averaged, which gives the same vector for a sequence and its reverse complement (not with kNone).
//
// Batching: the windows of a call (every record, both strands) are grouped into forward passes by
// model::independent_batches: windows of similar length together (shortest first for full attention, the
// same padded length for block-sparse), so a vector does not depend on the records batched with it nor on
// batch_size or the thread count (to float rounding).
//
// Thread-safety: tokenize() may run on any thread while score() runs on one thread at a time, as
// prefetch_pipeline.h uses them.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include <c10/core/Device.h>

#include "infer/embedding_windows.h"
#include "model/classifier_input.h"
#include "model/model_dir.h"
#include "tokenizer/tokenizer.h"

namespace genobird::infer {

enum class EmbeddingPool { kMean, kCls, kMax, kNone };
// "mean" | "cls" | "max" | "none"; UsageError otherwise.
EmbeddingPool parse_embedding_pool(const std::string& text);
const char* embedding_pool_name(EmbeddingPool pool);

struct EmbeddingOptions {
  EmbeddingPool pool = EmbeddingPool::kMean;
  std::int64_t layer = -1;       // hidden_states index: 0 embeddings .. L last layer; negative counts from the end
  bool rc_mean = false;          // average the pooled vectors of both strands
  std::int64_t batch_size = 16;  // windows per forward pass (reverse complements count as windows)
  int threads = 1;               // tokenizer threads; the model's CPU threads are set by the caller
  std::int64_t max_tokens = 0;   // framed window length ([CLS] and [SEP] included); 0: max_position_embeddings
};

// A call's records as windows of token ids, ready for the model.
struct TokenizedRecords {
  struct Piece {
    std::size_t record = 0;
    bool reverse = false;  // a window of the record's reverse complement
    TokenWindow window;
  };
  std::size_t records = 0;
  std::vector<std::size_t> tokens;                          // per record
  std::vector<std::vector<tokenizer::TokenSpan>> spans;     // per record, with kNone only
  std::vector<model::TokenIds> windows;                     // [CLS] ids [SEP]
  std::vector<Piece> pieces;                                // one per window
};

// Vectors of a call's records, in input order.
struct RecordEmbeddings {
  std::int64_t dim = 0;
  std::vector<float> values;                     // rows of dim floats
  std::vector<std::size_t> first_row;            // records + 1 entries: record r has rows [first_row[r], first_row[r + 1])
  std::vector<tokenizer::TokenSpan> spans;       // kNone: the bp span of each row in its record's sequence
  std::vector<std::uint32_t> windows;            // per record: forward-strand windows it was cut into
};

class EmbeddingEngine {
 public:
  using Tokenized = TokenizedRecords;
  using Result = RecordEmbeddings;

  // Throws UsageError for a layer out of range, rc_mean with kNone or a batch size below 1.
  EmbeddingEngine(model::LoadedModel loaded, const c10::Device& device, EmbeddingOptions options);

  std::int64_t dim() const { return dim_; }
  std::int64_t layer() const { return layer_; }  // resolved: 0 .. num_hidden_layers
  const EmbeddingOptions& options() const { return options_; }
  const model::ModelInfo& info() const { return loaded_.info; }

  // Tokenizes sequences (upper-case bases) and their reverse complements with rc_mean, on options().threads.
  TokenizedRecords tokenize(const std::vector<std::string>& sequences) const;
  // Runs the model on every window and pools per record (named as ScoringEngine's, for the pipeline).
  RecordEmbeddings score(const TokenizedRecords& tokenized);
  // tokenize() then score().
  RecordEmbeddings embed(const std::vector<std::string>& sequences) { return score(tokenize(sequences)); }

  // Records cut into several windows so far.
  std::uint64_t windowed_records() const { return windowed_.load(); }

 private:
  model::LoadedModel loaded_;
  tokenizer::Tokenizer tokenizer_;
  c10::Device device_;
  EmbeddingOptions options_;
  std::int64_t dim_ = 0;
  std::int64_t layer_ = 0;
  std::size_t capacity_ = 0;  // tokens per window, [CLS] and [SEP] excluded
  mutable std::atomic<std::uint64_t> windowed_{0};
};

}  // namespace genobird::infer
