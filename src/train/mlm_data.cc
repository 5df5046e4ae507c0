#include "train/mlm_data.h"

#include <algorithm>
#include <cmath>

#include "io/indexed_fasta.h"
#include "io/sequence.h"
#include "util/error.h"

namespace genobird::train {

std::uint64_t estimate_window_bp(const tokenizer::Tokenizer& tokenizer, const std::string& fasta,
                                 std::int64_t seq_len, double* bp_per_token, std::uint64_t sample_bp) {
  io::IndexedFasta genome(fasta);
  std::uint64_t bases = 0, tokens = 0;
  for (const auto& name : genome.names()) {
    if (bases >= sample_bp) break;
    const std::uint64_t take = std::min(genome.length(name), sample_bp - bases);
    std::string seq = genome.fetch(name, 0, take);
    io::to_upper_inplace(seq);
    tokens += tokenizer.encode(seq).ids.size();
    bases += take;
  }
  if (tokens == 0) throw InputError(fasta, 0, "the genome holds no bases");
  const double ratio = static_cast<double>(bases) / static_cast<double>(tokens);
  if (bp_per_token != nullptr) *bp_per_token = ratio;
  return static_cast<std::uint64_t>(std::ceil(1.25 * ratio * static_cast<double>(seq_len - 2))) + 16;
}

MlmExampleMaker::MlmExampleMaker(const GenomeWindows& windows, const tokenizer::Tokenizer& tokenizer,
                                 std::int64_t seq_len, std::uint64_t seed, std::uint64_t stream,
                                 MaskingOptions masking)
    : windows_(windows), tokenizer_(tokenizer), seq_len_(seq_len), seed_(seed), stream_(stream), masking_(masking) {}

MlmExample MlmExampleMaker::make(std::uint64_t index, WindowReader& reader) const {
  SplitMix64 rng = SplitMix64::for_item(seed_, stream_, index);
  MlmExample example;
  const std::string bases = reader.draw(rng, example.window);
  const tokenizer::Encoding encoding = tokenizer_.encode(bases);
  const std::size_t body = std::min(encoding.ids.size(), static_cast<std::size_t>(seq_len_ - 2));

  example.input_ids.assign(static_cast<std::size_t>(seq_len_), tokenizer::kPadId);
  std::vector<bool> maskable(static_cast<std::size_t>(seq_len_), false);
  example.input_ids[0] = tokenizer::kClsId;
  for (std::size_t i = 0; i < body; ++i) {
    example.input_ids[i + 1] = encoding.ids[i];
    maskable[i + 1] = true;
  }
  example.input_ids[body + 1] = tokenizer::kSepId;
  example.real_tokens = static_cast<std::int64_t>(body + 2);
  example.masked = mask_tokens(example.input_ids, example.labels, maskable, tokenizer::kMaskId, tokenizer::kMaskId + 1,
                               static_cast<std::int64_t>(tokenizer_.vocab_size()), rng, masking_);
  return example;
}

MlmBatch MlmExampleMaker::make_batch(const std::vector<std::uint64_t>& indices, WindowReader& reader) const {
  const auto batch = static_cast<std::int64_t>(indices.size());
  MlmBatch out;
  out.input_ids = at::empty({batch, seq_len_}, at::kLong);
  out.attention_mask = at::zeros({batch, seq_len_}, at::kLong);
  out.labels = at::empty({batch, seq_len_}, at::kLong);
  for (std::int64_t b = 0; b < batch; ++b) {
    MlmExample example = make(indices[static_cast<std::size_t>(b)], reader);
    std::copy(example.input_ids.begin(), example.input_ids.end(), out.input_ids[b].data_ptr<std::int64_t>());
    std::copy(example.labels.begin(), example.labels.end(), out.labels[b].data_ptr<std::int64_t>());
    out.attention_mask[b].narrow(0, 0, example.real_tokens).fill_(1);
    out.masked += example.masked;
    out.tokens += example.real_tokens;
  }
  return out;
}

std::uint64_t example_index(std::uint64_t micro_batch, std::int64_t j, const MlmLoaderOptions& options) {
  const auto world = static_cast<std::uint64_t>(options.world_size);
  const auto batch = static_cast<std::uint64_t>(options.batch_size);
  return (micro_batch * world + static_cast<std::uint64_t>(options.rank)) * batch + static_cast<std::uint64_t>(j);
}

MlmBatchLoader::MlmBatchLoader(const MlmExampleMaker& maker, MlmLoaderOptions options, std::uint64_t first_micro_batch)
    : maker_(maker), options_(options), next_to_build_(first_micro_batch), next_to_return_(first_micro_batch) {
  for (int i = 0; i < std::max(1, options_.workers); ++i) workers_.emplace_back([this] { work(); });
}

MlmBatchLoader::~MlmBatchLoader() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  for (auto& worker : workers_) worker.join();
}

void MlmBatchLoader::work() {
  try {
    WindowReader reader(maker_.windows());
    while (true) {
      std::uint64_t number = 0;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [&] {
          return stopping_ || next_to_build_ < next_to_return_ + static_cast<std::uint64_t>(std::max(1, options_.prefetch));
        });
        if (stopping_) return;
        number = next_to_build_++;
      }
      std::vector<std::uint64_t> indices;
      for (std::int64_t j = 0; j < options_.batch_size; ++j) indices.push_back(example_index(number, j, options_));
      MlmBatch batch = maker_.make_batch(indices, reader);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ready_.emplace(number, std::move(batch));
      }
      changed_.notify_all();
    }
  } catch (...) {
    std::lock_guard<std::mutex> lock(mutex_);
    error_ = std::current_exception();
    changed_.notify_all();
  }
}

MlmBatch MlmBatchLoader::next() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return error_ != nullptr || ready_.count(next_to_return_) != 0; });
  auto it = ready_.find(next_to_return_);
  if (it == ready_.end()) std::rethrow_exception(error_);
  MlmBatch batch = std::move(it->second);
  ready_.erase(it);
  ++next_to_return_;
  lock.unlock();
  changed_.notify_all();
  return batch;
}

}  // namespace genobird::train
