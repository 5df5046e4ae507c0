// Masked-language-model examples from genome windows, and a loader that prepares them on worker threads.
//
// An example is one genome window (genome_windows.h) tokenized and framed as
//   [CLS] t1 t2 ... t(seq_len-2) [SEP]  (then [PAD] with attention 0 if the window was short)
// and masked (mlm_masking.h). The window is longer than seq_len - 2 tokens need (window_bp is estimated
// from the tokenizer's bp per token on the genome, with a 25% margin), and the tokens past seq_len - 2 are
// dropped, so nearly every example is full.
//
// Determinism: example `index` of stream `stream` is made from its own generator,
// SplitMix64::for_item(seed, stream, index): the same example comes out on any thread, in any order, in
// any process. This is what makes resuming exact (the sampler's whole state is the next batch number)
// and data parallelism equal to one process with the same global batch: micro-batch m of a run with W
// ranks and per-rank batch B gives rank r the examples (m * W + r) * B + j, j < B, which are exactly the
// examples m * W * B ... of one process with batch W * B.
//
// Thread-safety: MlmExampleMaker is immutable; MlmBatchLoader's next() is for one consumer thread.
#pragma once

#include <ATen/ATen.h>

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "tokenizer/tokenizer.h"
#include "train/genome_windows.h"
#include "train/mlm_masking.h"

namespace genobird::train {

// Random streams of the example generator: training and validation never share examples.
constexpr std::uint64_t kTrainStream = 0;
constexpr std::uint64_t kValidStream = 1;

struct MlmExample {
  std::vector<std::int64_t> input_ids;  // [seq_len], masked
  std::vector<std::int64_t> labels;     // [seq_len], original ids at selected positions, else kIgnoreLabel
  std::int64_t real_tokens = 0;         // tokens before padding ([CLS] and [SEP] included)
  std::int64_t masked = 0;              // selected positions
  Window window;
};

struct MlmBatch {
  at::Tensor input_ids;       // [batch, seq_len] int64
  at::Tensor attention_mask;  // [batch, seq_len] int64, 1 for real tokens
  at::Tensor labels;          // [batch, seq_len] int64, kIgnoreLabel where not predicted
  std::int64_t masked = 0;    // positions to predict in the batch
  std::int64_t tokens = 0;    // real tokens in the batch
};

// bp of DNA to fetch for seq_len tokens: measured bp per token of the tokenizer on up to `sample_bp`
// bases of the first FASTA, times (seq_len - 2), plus a 25% margin.
std::uint64_t estimate_window_bp(const tokenizer::Tokenizer& tokenizer, const std::string& fasta,
                                 std::int64_t seq_len, double* bp_per_token = nullptr,
                                 std::uint64_t sample_bp = 1u << 20);

class MlmExampleMaker {
 public:
  MlmExampleMaker(const GenomeWindows& windows, const tokenizer::Tokenizer& tokenizer, std::int64_t seq_len,
                  std::uint64_t seed, std::uint64_t stream, MaskingOptions masking = {});

  MlmExample make(std::uint64_t index, WindowReader& reader) const;
  // A batch of the given examples, stacked.
  MlmBatch make_batch(const std::vector<std::uint64_t>& indices, WindowReader& reader) const;

  const GenomeWindows& windows() const { return windows_; }
  std::int64_t seq_len() const { return seq_len_; }

 private:
  const GenomeWindows& windows_;
  const tokenizer::Tokenizer& tokenizer_;
  std::int64_t seq_len_;
  std::uint64_t seed_;
  std::uint64_t stream_;
  MaskingOptions masking_;
};

struct MlmLoaderOptions {
  std::int64_t batch_size = 8;  // per rank
  int rank = 0;
  int world_size = 1;
  int workers = 1;   // threads reading, tokenizing and masking
  int prefetch = 4;  // batches prepared ahead of the consumer
};

// Index of example j of micro-batch m on `rank` (see above).
std::uint64_t example_index(std::uint64_t micro_batch, std::int64_t j, const MlmLoaderOptions& options);

class MlmBatchLoader {
 public:
  // Produces micro-batches first_micro_batch, first_micro_batch + 1, ... in order.
  MlmBatchLoader(const MlmExampleMaker& maker, MlmLoaderOptions options, std::uint64_t first_micro_batch);
  ~MlmBatchLoader();
  MlmBatchLoader(const MlmBatchLoader&) = delete;
  MlmBatchLoader& operator=(const MlmBatchLoader&) = delete;

  // Blocks until the next micro-batch is ready; rethrows a worker's error.
  MlmBatch next();

 private:
  void work();

  const MlmExampleMaker& maker_;
  MlmLoaderOptions options_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::uint64_t, MlmBatch> ready_;
  std::uint64_t next_to_build_;
  std::uint64_t next_to_return_;
  bool stopping_ = false;
  std::exception_ptr error_;
  std::vector<std::thread> workers_;
};

}  // namespace genobird::train
