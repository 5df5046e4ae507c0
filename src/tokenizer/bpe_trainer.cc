#include "tokenizer/bpe_trainer.h"

#include <algorithm>
#include <chrono>
#include <queue>
#include <thread>
#include <unordered_map>

#include "tokenizer/alphabet.h"
#include "tokenizer/pair_table.h"
#include "tokenizer/training_input.h"
#include "util/error.h"
#include "util/log.h"
#include "util/plural.h"
#include "util/progress.h"

namespace genobird::tokenizer {

void check_bpe_trainer_options(const BpeTrainerOptions& options) {
  auto require = [](bool ok, const std::string& message) {
    if (!ok) throw UsageError(message);
  };
  require(options.vocab_size >= static_cast<std::size_t>(kNumBaseTokens),
          "--vocab-size must be at least " + std::to_string(kNumBaseTokens) + " (5 special tokens and A C G T N)");
  require(options.vocab_size <= (std::size_t{1} << 30), "--vocab-size must be at most 2^30");
  require(options.min_frequency >= 1, "--min-frequency must be at least 1");
  require(options.max_token_length >= 2, "--max-token-length must be at least 2");
  require(options.threads >= 1, "--threads must be at least 1");
}

namespace {

constexpr std::uint32_t kEnd = ~std::uint32_t{0};  // no neighbour: a word boundary

// Counts and positions of one pair of adjacent tokens.
struct PairStats {
  std::int32_t left;
  std::int32_t right;
  std::int64_t count = 0;
  std::vector<std::uint32_t> positions;  // start of the left symbol; may hold stale entries
  bool merged = false;                   // already in the merge list: never counted again
  bool touched = false;                  // count changed during the current merge
};

struct QueueEntry {
  std::int64_t count;
  std::int32_t left;
  std::int32_t right;
};

class Trainer {
 public:
  Trainer(const std::vector<std::string>& sequences, const BpeTrainerOptions& options)
      : options_(options), model_(base_bpe_model()) {
    for (std::size_t id = 0; id < model_.vocab.size(); ++id) token_ids_.emplace(model_.vocab[id], id);
    consumed_.assign(model_.vocab.size(), 0);
    build_corpus(sequences);
  }

  BpeModel run();

 private:
  void build_corpus(const std::vector<std::string>& sequences);
  void count_initial_pairs();
  std::size_t stats_index(std::int32_t left, std::int32_t right);
  void add_pair(std::int32_t left, std::int32_t right, std::uint32_t pos);
  void remove_pair(std::int32_t left, std::int32_t right);
  void apply_merge(std::size_t index, std::int32_t result);
  bool better(const QueueEntry& a, const QueueEntry& b) const;

  const BpeTrainerOptions& options_;
  BpeModel model_;
  std::unordered_map<std::string, std::size_t> token_ids_;
  std::vector<char> consumed_;        // by token id: used as a part of a merge already
  std::vector<std::int32_t> symbol_;  // token id at the start of a symbol, -1 inside one
  std::vector<std::uint32_t> next_;
  std::vector<std::uint32_t> prev_;
  PairTable pair_index_;              // pair -> index into stats_ (stored as the rule's rank)
  std::vector<PairStats> stats_;
  std::vector<std::size_t> touched_;
};

void Trainer::build_corpus(const std::vector<std::string>& sequences) {
  std::uint64_t total = 0;
  for (const auto& seq : sequences) total += seq.size();
  if (total >= kEnd) {
    throw UsageError("the training input has " + std::to_string(total) +
                     " bases; the trainer holds at most 4 Gbp, use --max-bases");
  }
  auto n = static_cast<std::uint32_t>(total);
  symbol_.resize(n);
  next_.resize(n);
  prev_.resize(n);
  std::vector<std::uint32_t> starts;
  std::uint32_t offset = 0;
  for (const auto& seq : sequences) {
    starts.push_back(offset);
    offset += static_cast<std::uint32_t>(seq.size());
  }
  // Each thread fills whole sequences; a word ends at the end of a sequence or where N-ness changes.
  auto fill = [&](std::size_t first, std::size_t last) {
    for (std::size_t s = first; s < last; ++s) {
      const std::string& seq = sequences[s];
      std::uint32_t base = starts[s];
      for (std::size_t i = 0; i < seq.size(); ++i) symbol_[base + i] = base_id(seq[i]);
      for (std::size_t i = 0; i < seq.size(); ++i) {
        auto pos = static_cast<std::uint32_t>(base + i);
        bool first_of_word = i == 0 || (symbol_[pos] == kNId) != (symbol_[pos - 1] == kNId);
        bool last_of_word = i + 1 == seq.size() || (symbol_[pos] == kNId) != (symbol_[pos + 1] == kNId);
        prev_[pos] = first_of_word ? kEnd : pos - 1;
        next_[pos] = last_of_word ? kEnd : pos + 1;
      }
    }
  };
  std::size_t threads = std::min<std::size_t>(static_cast<std::size_t>(options_.threads), sequences.size());
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) {
    pool.emplace_back(fill, sequences.size() * t / threads, sequences.size() * (t + 1) / threads);
  }
  fill(0, threads > 0 ? sequences.size() / threads : sequences.size());
  for (auto& thread : pool) thread.join();
}

void Trainer::count_initial_pairs() {
  // Before any merge the only pairs are those of the five base symbols: 25 position lists per slice,
  // filled in parallel and joined in slice order so that the lists are sorted.
  constexpr int kBases = 5;
  std::size_t n = symbol_.size();
  std::size_t threads = std::max<std::size_t>(1, std::min<std::size_t>(static_cast<std::size_t>(options_.threads), n / 65536 + 1));
  std::vector<std::vector<std::vector<std::uint32_t>>> slices(threads, std::vector<std::vector<std::uint32_t>>(kBases * kBases));
  auto count = [&](std::size_t t) {
    auto& lists = slices[t];
    for (std::size_t pos = n * t / threads; pos < n * (t + 1) / threads; ++pos) {
      if (next_[pos] == kEnd) continue;
      int pair = (symbol_[pos] - kFirstBaseId) * kBases + (symbol_[pos + 1] - kFirstBaseId);
      lists[static_cast<std::size_t>(pair)].push_back(static_cast<std::uint32_t>(pos));
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(count, t);
  count(0);
  for (auto& thread : pool) thread.join();
  for (int pair = 0; pair < kBases * kBases; ++pair) {
    std::int32_t left = kFirstBaseId + pair / kBases;
    std::int32_t right = kFirstBaseId + pair % kBases;
    std::size_t total = 0;
    for (const auto& lists : slices) total += lists[static_cast<std::size_t>(pair)].size();
    if (total == 0) continue;
    PairStats& stats = stats_[stats_index(left, right)];
    stats.positions.reserve(total);
    for (auto& lists : slices) {
      auto& list = lists[static_cast<std::size_t>(pair)];
      stats.positions.insert(stats.positions.end(), list.begin(), list.end());
      std::vector<std::uint32_t>().swap(list);
    }
    stats.count = static_cast<std::int64_t>(total);
  }
}

std::size_t Trainer::stats_index(std::int32_t left, std::int32_t right) {
  if (const MergeRule* rule = pair_index_.find(left, right)) return static_cast<std::size_t>(rule->rank);
  pair_index_.insert(left, right, MergeRule{static_cast<std::int32_t>(stats_.size()), 0});
  stats_.push_back(PairStats{left, right, 0, {}, false, false});
  return stats_.size() - 1;
}

void Trainer::add_pair(std::int32_t left, std::int32_t right, std::uint32_t pos) {
  std::size_t length = model_.vocab[static_cast<std::size_t>(left)].size() + model_.vocab[static_cast<std::size_t>(right)].size();
  if (length > options_.max_token_length) return;
  std::size_t index = stats_index(left, right);
  PairStats& stats = stats_[index];
  if (stats.merged) return;
  ++stats.count;
  stats.positions.push_back(pos);
  if (!stats.touched) {
    stats.touched = true;
    touched_.push_back(index);
  }
}

void Trainer::remove_pair(std::int32_t left, std::int32_t right) {
  const MergeRule* rule = pair_index_.find(left, right);
  if (rule == nullptr) return;  // never counted (too long, or formed after its merge)
  PairStats& stats = stats_[static_cast<std::size_t>(rule->rank)];
  if (stats.merged) return;
  --stats.count;
}

void Trainer::apply_merge(std::size_t index, std::int32_t result) {
  // stats_ may grow while merging (add_pair), so the pair is reached by index, never by reference.
  std::int32_t left_id = stats_[index].left;
  std::int32_t right_id = stats_[index].right;
  stats_[index].merged = true;
  std::vector<std::uint32_t> positions = std::move(stats_[index].positions);
  stats_[index].positions = {};
  // Left to right, so that overlapping occurrences (A A A) merge as the encoder merges them.
  std::sort(positions.begin(), positions.end());
  for (std::uint32_t pos : positions) {
    std::uint32_t right = next_[pos];
    if (symbol_[pos] != left_id || right == kEnd || symbol_[right] != right_id) continue;  // stale
    std::uint32_t before = prev_[pos];
    std::uint32_t after = next_[right];
    if (before != kEnd) remove_pair(symbol_[before], left_id);
    if (after != kEnd) remove_pair(right_id, symbol_[after]);
    symbol_[pos] = result;
    symbol_[right] = -1;
    next_[pos] = after;
    if (after != kEnd) prev_[after] = pos;
    if (before != kEnd) add_pair(symbol_[before], result, before);
    if (after != kEnd) add_pair(result, symbol_[after], pos);
  }
  stats_[index].count = 0;
}

bool Trainer::better(const QueueEntry& a, const QueueEntry& b) const {
  if (a.count != b.count) return a.count > b.count;
  const auto& vocab = model_.vocab;
  int order = vocab[static_cast<std::size_t>(a.left)].compare(vocab[static_cast<std::size_t>(b.left)]);
  if (order != 0) return order < 0;
  return vocab[static_cast<std::size_t>(a.right)] < vocab[static_cast<std::size_t>(b.right)];
}

BpeModel Trainer::run() {
  auto started = std::chrono::steady_clock::now();
  count_initial_pairs();
  auto worse = [this](const QueueEntry& a, const QueueEntry& b) { return better(b, a); };
  std::priority_queue<QueueEntry, std::vector<QueueEntry>, decltype(worse)> queue(worse);
  for (const auto& stats : stats_) {
    if (stats.count > 0) queue.push(QueueEntry{stats.count, stats.left, stats.right});
  }
  std::size_t target = options_.vocab_size;
  std::unique_ptr<Progress> progress;
  if (options_.show_progress) progress = std::make_unique<Progress>("token", "tokens", target);
  if (progress) progress->add(model_.vocab.size());

  while (model_.vocab.size() < target && !queue.empty()) {
    QueueEntry top = queue.top();
    queue.pop();
    auto index = static_cast<std::size_t>(pair_index_.find(top.left, top.right)->rank);
    const PairStats& stats = stats_[index];
    if (stats.merged) continue;
    if (stats.count != top.count) {
      // Counts only fall without a new entry being pushed, so this one is re-queued at its true count.
      if (stats.count > 0) queue.push(QueueEntry{stats.count, top.left, top.right});
      continue;
    }
    if (static_cast<std::uint64_t>(stats.count) < options_.min_frequency) break;

    std::string text = model_.vocab[static_cast<std::size_t>(top.left)] + model_.vocab[static_cast<std::size_t>(top.right)];
    auto existing = token_ids_.find(text);
    if (existing != token_ids_.end() && consumed_[existing->second]) {
      // Producing a token that an earlier merge already consumed would break rank monotonicity, which the
      // encoder's fast path relies on (tokenizer.h); this pair is given up.
      stats_[index].merged = true;
      continue;
    }
    auto [it, is_new] = token_ids_.emplace(text, model_.vocab.size());
    if (is_new) {
      model_.vocab.push_back(text);
      consumed_.push_back(0);
      if (progress) progress->add(1);
    }
    auto result = static_cast<std::int32_t>(it->second);
    model_.merges.emplace_back(top.left, top.right);
    consumed_[static_cast<std::size_t>(top.left)] = 1;
    consumed_[static_cast<std::size_t>(top.right)] = 1;
    apply_merge(index, result);
    for (std::size_t index : touched_) {
      PairStats& changed = stats_[index];
      changed.touched = false;
      if (!changed.merged && changed.count > 0) queue.push(QueueEntry{changed.count, changed.left, changed.right});
    }
    touched_.clear();
  }
  if (progress) progress->finish();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (options_.show_progress && model_.vocab.size() < target) {
    LOG_WARN("stopped at " << model_.vocab.size() << " tokens of the " << target
                           << " asked for: no remaining pair occurs at least " << count_noun(options_.min_frequency, "time"));
  }
  if (options_.show_progress) {
    LOG_INFO("learned " << count_noun(model_.merges.size(), "merge") << " (" << count_noun(model_.vocab.size(), "token")
                        << ") from " << count_noun(symbol_.size(), "base") << " in " << seconds << " s");
  }
  return std::move(model_);
}

}  // namespace

BpeModel train_bpe(const std::vector<std::string>& sequences, const BpeTrainerOptions& options) {
  check_bpe_trainer_options(options);
  return Trainer(sequences, options).run();
}

BpeModel train_bpe_from_files(const std::vector<std::string>& paths, const BpeTrainerOptions& options) {
  check_bpe_trainer_options(options);
  std::vector<std::string> sequences = read_training_sequences(paths, options.max_bases);
  Trainer trainer(sequences, options);
  std::vector<std::string>().swap(sequences);  // the trainer holds its own copy of the corpus
  return trainer.run();
}

}  // namespace genobird::tokenizer
