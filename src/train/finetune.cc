#include "train/finetune.h"

#include <ATen/ATen.h>
#include <torch/nn/utils/clip_grad.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <memory>
#include <random>

#include "model/device.h"
#include "model/model_dir.h"
#include "model/safetensors.h"
#include "train/checkpoint.h"
#include "train/classifier_batches.h"
#include "train/metrics.h"
#include "train/metrics_log.h"
#include "train/optimizer.h"
#include "util/error.h"
#include "util/log.h"
#include "util/plural.h"
#include "util/progress.h"

namespace genobird::train {
namespace {

namespace fs = std::filesystem;

const model::HeadSpec& find_head(const model::GenobirdModelImpl& model, const std::string& name, std::size_t& index) {
  index = 0;
  for (const auto& head : model.heads()) {
    if (head.kind != model::HeadKind::kClassification) continue;
    if (head.name == name) return head;
    ++index;
  }
  throw UsageError("the model has no classification head '" + name + "'");
}

void check_labels(const model::HeadSpec& head, const LabelledDataset& data, const std::string& what) {
  if (data.label_names != head.labels)
    throw InputError(what, 2,
                     "the dataset's " + count_noun(data.num_labels(), "label") + " differ from head '" + head.name +
                         "' (" + count_noun(head.labels.size(), "label") + ", first '" +
                         (head.labels.empty() ? "" : head.labels[0]) + "')");
}

// Position of the example order: the permutation of an epoch is drawn from (seed, epoch), so a resumed run
// needs only the epoch and the position within it.
struct SamplerPosition {
  std::int64_t epoch = 0;
  std::int64_t position = 0;
};

std::vector<std::size_t> epoch_order(std::size_t n, std::uint64_t seed, std::int64_t epoch) {
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::mt19937_64 rng(seed * 1000003ULL + static_cast<std::uint64_t>(epoch));
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
  return order;
}

std::map<std::string, at::Tensor> cloned_tensors(model::GenobirdModelImpl& model) {
  std::map<std::string, at::Tensor> copy;
  for (auto& [name, tensor] : model::model_tensors(model)) copy[name] = tensor.detach().to(at::kCPU).clone();
  return copy;
}

}  // namespace

double mean_auroc(const std::vector<float>& probabilities, const LabelledDataset& dataset) {
  const std::size_t labels = dataset.num_labels();
  std::vector<double> values;
  std::vector<float> column(dataset.size());
  for (std::size_t j = 0; j < labels; ++j) {
    for (std::size_t i = 0; i < dataset.size(); ++i) column[i] = probabilities[i * labels + j];
    values.push_back(auroc(column, dataset.label_column(j)));
  }
  return mean_of(values);
}

void check_finetune_options(const FinetuneOptions& options) {
  if (options.batch_size < 1 || options.max_steps < 1 || options.eval_every < 1 || options.patience < 1)
    throw UsageError("--batch-size, --steps, --eval-every and --patience must be at least 1");
  // NaN fails every comparison, so each test is written to reject it.
  auto require_number = [](double value, bool ok, const char* option, const char* requirement) {
    if (!ok || !std::isfinite(value))
      throw UsageError(std::string(option) + " must be " + requirement + ", found " + std::to_string(value));
  };
  require_number(options.lr, options.lr > 0, "--lr", "a positive number");
  require_number(options.weight_decay, options.weight_decay >= 0, "--weight-decay", "0 or more");
  require_number(options.positive_weight, options.positive_weight > 0, "--positive-weight", "a positive number");
  require_number(options.max_grad_norm, true, "--max-grad-norm", "a number");
  if (options.warmup_steps < -1)
    throw UsageError("--warmup must be 0 or more, or -1 for " + std::to_string(kFinetuneWarmupPercent) + "% of --steps");
  if (options.max_tokens < 0) throw UsageError("--max-tokens must be 0 (the model's positions) or more");
}

FinetuneResult finetune_head(model::GenobirdModelImpl& model, const tokenizer::Tokenizer& tokenizer,
                             const LabelledDataset& train, const LabelledDataset& valid,
                             const FinetuneOptions& options, const c10::Device& device) {
  check_finetune_options(options);
  if (train.size() == 0) throw UsageError("the training set is empty");
  if (valid.size() == 0) throw UsageError("the validation set is empty");
  std::size_t head_index = 0;
  const model::HeadSpec& head = find_head(model, options.head, head_index);
  check_labels(head, train, "--train");
  check_labels(head, valid, "--valid");
  const std::size_t num_labels = head.labels.size();

  // Head-only training freezes everything outside the head's own tensors.
  const std::string head_prefix = model::classifier_prefix(head_index, head.name) + ".";
  for (auto& item : model.named_parameters())
    item.value().set_requires_grad(!options.head_only || item.key().rfind(head_prefix, 0) == 0);

  const std::int64_t max_tokens =
      options.max_tokens > 0 ? std::min(options.max_tokens, model.config().max_position_embeddings)
                             : model.config().max_position_embeddings;
  TokenizedExamples train_tokens = tokenize_examples(train, tokenizer, max_tokens, options.reverse_complement_augment, options.threads);
  TokenizedExamples valid_tokens = tokenize_examples(valid, tokenizer, max_tokens, false, options.threads);
  if (train_tokens.truncated + valid_tokens.truncated > 0)
    LOG_WARN(count_noun(train_tokens.truncated + valid_tokens.truncated, "example")
             << (train_tokens.truncated + valid_tokens.truncated == 1 ? " is" : " are") << " longer than " << max_tokens
             << " tokens: cut to the central tokens");

  OptimizerOptions optimizer_options;
  optimizer_options.lr = options.lr;
  optimizer_options.weight_decay = options.weight_decay;
  optimizer_options.max_grad_norm = options.max_grad_norm;
  auto optimizer = make_adamw(model, optimizer_options);
  LrSchedule schedule;
  schedule.peak_lr = options.lr;
  schedule.warmup_steps = warmup_steps_for(options.warmup_steps, options.max_steps, kFinetuneWarmupPercent);
  schedule.total_steps = options.max_steps;
  if (const std::string problem = warmup_problem(schedule); !problem.empty())
    LOG_WARN(problem << "; give a shorter --warmup (or -1: " << kFinetuneWarmupPercent << "% of --steps)");
  std::vector<at::Tensor> trainable;
  for (const auto& p : model.parameters())
    if (p.requires_grad()) trainable.push_back(p);

  model.to(device);
  at::manual_seed(options.seed);
  FinetuneResult result;
  result.train_examples = train.size();
  result.valid_examples = valid.size();
  result.best_valid_auroc = -1;
  SamplerPosition sampler;
  std::int64_t bad_rounds = 0;
  std::map<std::string, at::Tensor> best;
  const fs::path best_path = options.checkpoint_dir.empty() ? fs::path() : fs::path(options.checkpoint_dir) / "best.safetensors";

  std::int64_t resume_step = -1;
  if (options.resume && !options.checkpoint_dir.empty()) {
    if (auto latest = latest_checkpoint(options.checkpoint_dir)) {
      CheckpointState state = read_checkpoint(*latest, model, *optimizer, options.max_steps);
      result.steps = resume_step = state.step;
      try {
        sampler.epoch = state.sampler.value("epoch", std::int64_t{0});
        sampler.position = state.sampler.value("position", std::int64_t{0});
        result.best_step = state.extra.value("best_step", std::int64_t{0});
        result.best_valid_auroc = state.extra.value("best_valid_auroc", -1.0);
        bad_rounds = state.extra.value("bad_rounds", std::int64_t{0});
      } catch (const nlohmann::json::exception& e) {
        throw FormatError(*latest + "/state.json: field extra has a value of the wrong type: " + json_error_text(e.what()));
      }
      if (fs::exists(best_path)) best = model::read_safetensors(best_path.string()).tensors;
      LOG_INFO("resuming from " << *latest << " (step " << state.step << ")");
    } else {
      LOG_INFO("no checkpoint under " << options.checkpoint_dir << ": starting afresh");
    }
  }
  std::unique_ptr<MetricsLog> log;
  if (!options.log_path.empty()) {
    const fs::path parent = fs::path(options.log_path).parent_path();
    if (!parent.empty()) fs::create_directories(parent);
  }
  if (!options.log_path.empty())
    log = std::make_unique<MetricsLog>(options.log_path,
                                       std::vector<std::string>{"loss", "lr", "valid_auroc", "examples_per_s"}, resume_step);

  const at::Tensor pos_weight = at::full({static_cast<std::int64_t>(num_labels)}, options.positive_weight, at::kFloat).to(device);
  std::vector<std::size_t> order = epoch_order(train.size(), options.seed, sampler.epoch);
  // Counts the steps of this run only, so that a resumed run's rate is not inflated by earlier steps.
  Progress progress("step", "steps",
                    static_cast<std::uint64_t>(std::max<std::int64_t>(options.max_steps - result.steps, 0)));
  double loss_sum = 0;
  std::int64_t loss_count = 0, examples_seen = 0;
  auto window_start = std::chrono::steady_clock::now();
  model.train();

  while (result.steps < options.max_steps) {
    // Next batch of the epoch's order; an epoch's tail shorter than a batch is trained on as it is.
    std::vector<std::size_t> picked;
    while (static_cast<std::int64_t>(picked.size()) < options.batch_size) {
      if (sampler.position >= static_cast<std::int64_t>(order.size())) {
        ++sampler.epoch;
        sampler.position = 0;
        order = epoch_order(train.size(), options.seed, sampler.epoch);
        if (!picked.empty()) break;
      }
      picked.push_back(order[static_cast<std::size_t>(sampler.position++)]);
    }
    // Orientation of each example, a function of (seed, epoch, position) through the epoch's generator.
    std::vector<model::TokenIds> batch_sequences;
    std::vector<std::size_t> batch_index;
    std::vector<float> targets;
    std::mt19937_64 orientation(options.seed ^ (static_cast<std::uint64_t>(sampler.epoch) << 32) ^
                                static_cast<std::uint64_t>(sampler.position));
    for (std::size_t i : picked) {
      const bool reverse = options.reverse_complement_augment && (orientation() & 1);
      batch_sequences.push_back(reverse ? train_tokens.reverse[i] : train_tokens.forward[i]);
      batch_index.push_back(batch_index.size());
      for (std::size_t j = 0; j < num_labels; ++j) targets.push_back(train.label(i, j));
    }
    // Padded to the longest member, as HuggingFace's padding collators do, not split into the passes scoring
    // uses (model::independent_batches): trained under its own block layout, each window length with its own
    // random blocks, a block-sparse model learned far more slowly (docs/benchmarks.md, chromatin test).
    model::TokenBatch batch = model::make_token_batch(batch_sequences, batch_index, 0, device);
    at::Tensor target = at::from_blob(targets.data(), {static_cast<std::int64_t>(picked.size()), static_cast<std::int64_t>(num_labels)},
                                      at::kFloat).clone().to(device);  // [batch, labels]
    const double lr = learning_rate_at(schedule, result.steps);
    set_learning_rate(*optimizer, lr);
    optimizer->zero_grad();
    at::Tensor logits;
    {
      model::Bf16AutocastGuard autocast(device);
      logits = model.classify(head.name, model.encode(batch.input_ids, batch.attention_mask));  // [batch, labels]
    }
    at::Tensor loss = at::binary_cross_entropy_with_logits(logits.to(at::kFloat), target, {}, pos_weight);
    loss.backward();
    clip_gradients(trainable, options.max_grad_norm);
    optimizer->step();
    ++result.steps;
    progress.add(1);
    loss_sum += loss.item<double>();
    ++loss_count;
    examples_seen += static_cast<std::int64_t>(picked.size());

    const bool evaluate = result.steps % options.eval_every == 0 || result.steps == options.max_steps;
    double valid_auroc = MetricsLog::kMissing;
    if (evaluate) {
      std::vector<float> probabilities = predict_probabilities(model, head.name, valid_tokens, options.batch_size * 2, device, RcMode::kOff);
      valid_auroc = mean_auroc(probabilities, valid);
      model.train();
      if (valid_auroc > result.best_valid_auroc + 1e-5) {
        result.best_valid_auroc = valid_auroc;
        result.best_step = result.steps;
        bad_rounds = 0;
        best = cloned_tensors(model);
        if (!best_path.empty()) {
          fs::create_directories(best_path.parent_path());
          model::write_safetensors(best_path.string(), best);
        }
      } else {
        ++bad_rounds;
      }
      LOG_INFO("step " << result.steps << ": loss " << (loss_count ? loss_sum / static_cast<double>(loss_count) : 0.0)
                       << ", validation mean AUROC " << valid_auroc << " (best " << result.best_valid_auroc << " at step "
                       << result.best_step << ")");
    }
    if (log && (evaluate || result.steps % options.log_every == 0)) {
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - window_start).count();
      log->append(result.steps, {loss_count ? loss_sum / static_cast<double>(loss_count) : MetricsLog::kMissing, lr,
                                 valid_auroc, seconds > 0 ? static_cast<double>(examples_seen) / seconds : MetricsLog::kMissing});
      loss_sum = 0;
      loss_count = 0;
      examples_seen = 0;
      window_start = std::chrono::steady_clock::now();
    }
    // The checkpoint comes after the step's log row: a run killed between the two resumes from the previous
    // checkpoint and rewrites the row, where the other order would lose it.
    if (evaluate && !options.checkpoint_dir.empty()) {
      CheckpointState state;
      state.step = result.steps;
      state.sampler = {{"epoch", sampler.epoch}, {"position", sampler.position}};
      state.extra = {{"best_step", result.best_step}, {"best_valid_auroc", result.best_valid_auroc}, {"bad_rounds", bad_rounds}};
      write_checkpoint(options.checkpoint_dir, model, *optimizer, state, 1);
    }
    if (evaluate && bad_rounds >= options.patience) {
      result.stopped_early = true;
      LOG_INFO("early stop: no validation improvement in " << count_noun(bad_rounds, "round"));
      break;
    }
  }
  progress.finish();
  if (!best.empty()) model::load_model_tensors(model, best, "the best validation weights");
  for (auto& p : model.parameters()) p.set_requires_grad(true);
  model.eval();
  return result;
}

}  // namespace genobird::train
