#include "train/pretrainer.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>

#include "model/device.h"
#include "model/init.h"
#include "model/model_dir.h"
#include "tokenizer/tokenizer.h"
#include "train/checkpoint.h"
#include "train/distributed.h"
#include "train/genome_windows.h"
#include "train/metrics_log.h"
#include "train/mlm_data.h"
#include "train/mlm_evaluation.h"
#include "train/mlm_objective.h"
#include "train/read_corpus.h"
#include "util/error.h"
#include "util/log.h"
#include "util/plural.h"
#include "util/progress.h"

namespace genobird::train {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kMetricColumns = {"loss",       "masked_accuracy", "perplexity",     "lr",
                                                 "grad_norm",  "tokens",          "tokens_per_s",   "valid_loss",
                                                 "valid_accuracy", "valid_perplexity", "valid_mask_accuracy",
                                                 "valid_mask_perplexity"};

// Sums over a logging interval (loss, correct, count) or a validation pass (all fields).
using LossTotals = MlmTotals;

// Fails early, with the reason, if the output directory cannot take files.
void check_writable_dir(const std::string& dir) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) throw IoError("cannot create output directory " + dir + ": " + error.message());
  const fs::path probe = fs::path(dir) / (".write-test-" + std::to_string(::getpid()));
  std::ofstream out(probe);
  if (!out || !(out << "x") || !out.flush()) throw IoError(with_errno("output directory " + dir + " is not writable"));
  out.close();
  fs::remove(probe, error);
}

void check_fastas_exist(const std::vector<std::string>& paths) {
  for (const auto& path : paths) {
    std::ifstream in(path);
    if (!in) throw InputError(path, 0, with_errno("cannot open FASTA file"));
  }
}

nlohmann::json run_settings(const PretrainOptions& options, std::int64_t global_batch) {
  return {{"seq_len", options.seq_len}, {"global_batch", global_batch}, {"seed", options.seed},
          {"config", model::to_json(options.config)}};
}

// Validation loss over the fixed validation windows, shared out over the ranks.
LossTotals validate(model::GenobirdModelImpl& model, const MlmExampleMaker& maker, const PretrainOptions& options,
                    DataParallel& parallel, const c10::Device& device) {
  std::vector<std::uint64_t> mine;
  for (std::int64_t i = parallel.rank(); i < options.valid_windows; i += parallel.world_size())
    mine.push_back(static_cast<std::uint64_t>(i));
  model.eval();
  const LossTotals local = score_mlm_examples(model, maker, mine, options.batch_size, device);
  model.train();
  std::vector<double> sums = parallel.all_reduce_sum(
      {local.loss_sum, local.correct, local.count, local.mask_loss_sum, local.mask_correct, local.mask_count});
  return {sums[0], sums[1], sums[2], sums[3], sums[4], sums[5]};
}

}  // namespace

void check_pretrain_options(const PretrainOptions& o) {
  auto require = [](bool ok, const std::string& message) {
    if (!ok) throw UsageError(message);
  };
  require(!o.genomes.empty() || !o.reads.empty(), "give training data: --genome FASTA... and/or --reads FILE...");
  require(o.valid_chroms.empty() || !o.genomes.empty(), "--valid-chrom names sequences of the --genome files");
  require(!o.tokenizer_path.empty(), "--tokenizer is required");
  require(!o.out_dir.empty(), "--out is required");
  require(o.steps >= 1, "--steps must be at least 1");
  require(o.batch_size >= 1, "--batch-size must be at least 1");
  require(o.grad_accum >= 1, "--grad-accum must be at least 1");
  require(o.seq_len >= 8, "--seq-len must be at least 8 tokens");
  require(o.seq_len <= o.config.max_position_embeddings,
          "--seq-len " + std::to_string(o.seq_len) + " exceeds the model's max_position_embeddings " +
              std::to_string(o.config.max_position_embeddings));
  require(o.optimizer.lr > 0, "--lr must be positive");
  require(o.checkpoint_every >= 0, "--checkpoint-every must be 0 (only at the end) or positive");
  require(o.keep_checkpoints >= 1, "--keep-checkpoints must be at least 1");
  require(o.log_every >= 1, "--log-every must be at least 1");
  require(o.valid_windows >= 1, "--valid-windows must be at least 1");
  require(o.max_n_fraction >= 0 && o.max_n_fraction <= 1, "--max-n-fraction must be in [0, 1]");
  require(o.valid_genomes.empty() || o.valid_chroms.empty(), "give --valid-genome or --valid-chrom, not both");
  for (const auto& valid : o.valid_genomes)
    for (const auto& train : o.genomes)
      require(fs::path(valid) != fs::path(train), "--valid-genome " + valid + " is also a training --genome");
}

PretrainResult pretrain(const PretrainOptions& options) {
  check_pretrain_options(options);
  const DistributedEnv env = distributed_env();
  const bool primary = env.rank == 0;

  // Every check on the inputs comes before the first step (and before joining the other ranks).
  check_fastas_exist(options.genomes);
  check_fastas_exist(options.valid_genomes);
  tokenizer::Tokenizer tokenizer = tokenizer::Tokenizer::load(options.tokenizer_path);
  if (static_cast<std::int64_t>(tokenizer.vocab_size()) != options.config.vocab_size)
    throw InputError(options.tokenizer_path, 0,
                     "the tokenizer has " + std::to_string(tokenizer.vocab_size()) +
                         " tokens but the model's vocab_size is " + std::to_string(options.config.vocab_size) +
                         "; train a tokenizer with --vocab-size " + std::to_string(options.config.vocab_size) +
                         " or give a --config with vocab_size " + std::to_string(tokenizer.vocab_size()));
  const fs::path out(options.out_dir);
  const std::string checkpoint_root = (out / "checkpoints").string();
  if (primary) {
    check_writable_dir(options.out_dir);
    if (!options.resume && (fs::exists(out / "model.safetensors") || !list_checkpoints(checkpoint_root).empty()))
      throw UsageError("--out " + options.out_dir + " already holds a pretraining run; pass --resume to continue it or choose another directory");
  }

  // Reads join the training data as one more FASTA (read_corpus.h). Every rank writes its own copy, so no
  // rank waits for another's file system.
  std::vector<std::string> train_fastas = options.genomes;
  ReadCorpus corpus;
  if (!options.reads.empty()) {
    const fs::path reads_dir = out / "reads";
    std::error_code error;
    fs::create_directories(reads_dir, error);
    if (error) throw IoError("cannot create " + reads_dir.string() + ": " + error.message());
    const std::string corpus_path = (reads_dir / ("rank-" + std::to_string(env.rank) + ".fa")).string();
    corpus = write_read_corpus(options.reads, options.reads_reference, corpus_path);
    if (corpus.reads == 0) throw InputError(options.reads.front(), 0, "--reads: no read with a sequence in the inputs");
    train_fastas.push_back(corpus_path);
  }

  double bp_per_token = 0;
  const std::uint64_t window_bp = estimate_window_bp(tokenizer, train_fastas.front(), options.seq_len, &bp_per_token);
  if (!options.reads.empty()) {
    const std::string sizes = "the longest read is " + std::to_string(corpus.longest) + " bp and a window of --seq-len " +
                              std::to_string(options.seq_len) + " tokens needs " + std::to_string(window_bp) + " bp";
    if (corpus.longest < window_bp && options.genomes.empty()) {
      std::error_code ignored;
      fs::remove_all(out / "reads", ignored);  // no training happens: leave nothing behind
      throw InputError(options.reads.front(), 0, "--reads: " + sizes + "; give a shorter --seq-len");
    }
    if (corpus.longest < window_bp && primary) LOG_WARN("--reads are not used: " << sizes);
    if (primary) LOG_INFO("--reads: " << count_noun(corpus.reads, "read") << ", " << si_number(static_cast<double>(corpus.bases)) << "bp");
  }
  GenomeWindowSource train_source{train_fastas, {}, {}};
  train_source.exclude.insert(options.valid_chroms.begin(), options.valid_chroms.end());
  const GenomeWindows train_windows(train_source, window_bp, options.max_n_fraction);
  std::optional<GenomeWindows> valid_windows;
  // Held-out genomes get windows measured on themselves, so that `genobird evaluate --fasta` on the same
  // file reproduces this validation (mlm_evaluation.h).
  if (!options.valid_genomes.empty())
    valid_windows.emplace(held_out_windows(tokenizer, options.valid_genomes, options.seq_len, options.max_n_fraction));
  else if (!options.valid_chroms.empty())
    valid_windows.emplace(GenomeWindowSource{options.genomes, {options.valid_chroms.begin(), options.valid_chroms.end()}, {}},
                          window_bp, options.max_n_fraction);
  else if (primary)
    LOG_WARN("no --valid-genome or --valid-chrom: no held-out validation");

  const c10::Device device = model::resolve_device(options.device);
  DataParallel parallel(env, device);
  const std::int64_t global_batch = options.batch_size * options.grad_accum * parallel.world_size();
  LOG_INFO("training on " << count_noun(train_windows.sequences().size(), "sequence") << ", " << si_number(static_cast<double>(train_windows.total_bp()))
                          << "bp; windows of " << window_bp << " bp for " << options.seq_len << " tokens ("
                          << bp_per_token << " bp per token); global batch " << count_noun(global_batch, "window"));

  // Model and optimizer; the same seed gives every rank the same initial weights, and the broadcast
  // makes sure of it.
  at::manual_seed(options.seed);
  const std::vector<model::HeadSpec> heads = {model::HeadSpec{"mlm", model::HeadKind::kMaskedLm, {}, true}};
  model::GenobirdModel model(options.config, heads);
  model::initialize_weights(*model, options.init);
  model->to(device);
  model->train();
  parallel.broadcast(model->parameters());
  std::unique_ptr<torch::optim::AdamW> optimizer = make_adamw(*model, options.optimizer);
  const std::vector<at::Tensor> parameters = model->parameters();

  std::int64_t start_step = 0;
  double tokens_seen = 0;
  if (options.resume) {
    if (std::optional<std::string> latest = latest_checkpoint(checkpoint_root)) {
      CheckpointState state = read_checkpoint(*latest, *model, *optimizer, options.steps);
      if (state.extra.value("run", nlohmann::json()) != run_settings(options, global_batch))
        throw UsageError("--resume: " + *latest + " was made with other settings (" +
                         state.extra.value("run", nlohmann::json()).dump() + "); the same --seq-len, global batch (" +
                         "batch size x grad accumulation x ranks), --seed and model config are needed");
      start_step = state.step;
      const auto seen = state.extra.find("tokens_seen");
      if (seen != state.extra.end() && !(seen->is_number() && seen->get<double>() >= 0))
        throw FormatError(*latest + "/state.json: field extra.tokens_seen must be a non-negative number, found " + seen->dump());
      tokens_seen = state.extra.value("tokens_seen", 0.0);
      LOG_INFO("resuming from " << *latest << " at step " << start_step);
    } else {
      LOG_WARN("--resume: no checkpoint in " << checkpoint_root << " yet; starting from step 0");
    }
  }

  LrSchedule schedule;
  schedule.peak_lr = options.optimizer.lr;
  schedule.warmup_steps = warmup_steps_for(options.warmup_steps, options.steps, kPretrainWarmupPercent);
  schedule.total_steps = options.steps;
  schedule.decay = options.decay;
  schedule.final_lr_fraction = options.final_lr_fraction;
  if (const std::string problem = warmup_problem(schedule); primary && !problem.empty())
    LOG_WARN(problem << "; give a shorter --warmup (or -1: " << kPretrainWarmupPercent << "% of --steps)");

  std::unique_ptr<MetricsLog> metrics;
  if (primary)
    metrics = std::make_unique<MetricsLog>((out / "metrics.tsv").string(), kMetricColumns,
                                           start_step > 0 ? start_step : -1);

  MlmExampleMaker train_maker(train_windows, tokenizer, options.seq_len, options.seed, kTrainStream, options.masking);
  std::optional<MlmExampleMaker> valid_maker;
  if (valid_windows) valid_maker.emplace(*valid_windows, tokenizer, options.seq_len, options.seed, kValidStream, options.masking);
  MlmLoaderOptions loader_options;
  loader_options.batch_size = options.batch_size;
  loader_options.rank = parallel.rank();
  loader_options.world_size = parallel.world_size();
  loader_options.workers = options.data_workers;
  loader_options.prefetch = options.prefetch;
  MlmBatchLoader loader(train_maker, loader_options, static_cast<std::uint64_t>(start_step * options.grad_accum));

  PretrainResult result;
  LossTotals interval;
  double interval_tokens = 0;
  auto interval_start = std::chrono::steady_clock::now();
  Progress progress("step", "steps", static_cast<std::uint64_t>(options.steps - start_step), 30.0);

  for (std::int64_t step = start_step; step < options.steps; ++step) {
    const double lr = learning_rate_at(schedule, step);
    set_learning_rate(*optimizer, lr);
    std::vector<MlmBatch> micro_batches;
    double local_masked = 0, local_tokens = 0;
    for (std::int64_t a = 0; a < options.grad_accum; ++a) {
      micro_batches.push_back(loader.next());
      local_masked += static_cast<double>(micro_batches.back().masked);
      local_tokens += static_cast<double>(micro_batches.back().tokens);
    }
    // The step's loss is a mean over every selected token of every rank: divide by the global count.
    const std::vector<double> counts = parallel.all_reduce_sum({local_masked, local_tokens});
    const double denominator = std::max(1.0, counts[0]);

    optimizer->zero_grad();
    LossTotals local;
    for (const MlmBatch& batch : micro_batches) {
      MlmLoss loss = mlm_loss(*model, batch, device);
      (loss.loss_sum / denominator).backward();
      local.loss_sum += loss.loss_sum.item<double>();
      local.correct += static_cast<double>(loss.correct);
      local.count += static_cast<double>(loss.count);
    }
    parallel.all_reduce_gradients(parameters, /*average=*/false);
    const double grad_norm = clip_gradients(parameters, options.optimizer.max_grad_norm);
    optimizer->step();

    const std::vector<double> sums = parallel.all_reduce_sum({local.loss_sum, local.correct, local.count});
    interval.loss_sum += sums[0];
    interval.correct += sums[1];
    interval.count += sums[2];
    interval_tokens += counts[1];
    tokens_seen += counts[1];
    progress.add(1);

    const std::int64_t done = step + 1;
    const bool last = done == options.steps;
    const bool checkpoint_now = last || (options.checkpoint_every > 0 && done % options.checkpoint_every == 0);
    const bool validate_now =
        valid_maker && (last || (options.valid_every > 0 ? done % options.valid_every == 0 : checkpoint_now));
    LossTotals valid;
    if (validate_now) {
      valid = validate(*model, *valid_maker, options, parallel, device);
      result.valid_loss = valid.loss();
      result.valid_accuracy = valid.accuracy();
      result.valid_mask_accuracy = valid.mask_accuracy();
      result.valid_mask_perplexity = valid.mask_perplexity();
    }
    if (done % options.log_every == 0 || last || validate_now) {
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - interval_start).count();
      const double rate = interval_tokens / std::max(seconds, 1e-9);
      const double missing = MetricsLog::kMissing;
      result.train_loss = interval.loss();
      result.train_accuracy = interval.accuracy();
      if (primary) {
        metrics->append(done, {interval.loss(), interval.accuracy(), std::exp(interval.loss()), lr, grad_norm,
                               tokens_seen, rate, validate_now ? valid.loss() : missing,
                               validate_now ? valid.accuracy() : missing,
                               validate_now ? valid.perplexity() : missing,
                               validate_now ? valid.mask_accuracy() : missing,
                               validate_now ? valid.mask_perplexity() : missing});
        LOG_INFO("step " << done << "/" << options.steps << " loss " << format_metric(interval.loss())
                         << " masked acc " << format_metric(interval.accuracy()) << " ppl "
                         << format_metric(std::exp(interval.loss())) << " lr " << format_metric(lr) << " "
                         << si_number(rate) << " tokens/s"
                         << (validate_now ? " | valid loss " + format_metric(valid.loss()) + " acc " +
                                                format_metric(valid.accuracy()) + " ppl " +
                                                format_metric(std::exp(valid.loss())) + " (at [MASK]: acc " +
                                                format_metric(valid.mask_accuracy()) + " ppl " +
                                                format_metric(valid.mask_perplexity()) + ")"
                                          : std::string()));
      }
      interval = {};
      interval_tokens = 0;
      interval_start = std::chrono::steady_clock::now();
    }
    if (checkpoint_now && primary) {
      CheckpointState state;
      state.step = done;
      state.sampler = {{"next_example", done * global_batch}};
      state.extra = {{"run", run_settings(options, global_batch)}, {"tokens_seen", tokens_seen}};
      write_checkpoint(checkpoint_root, *model, *optimizer, state, options.keep_checkpoints);
    }
  }
  progress.finish();
  result.steps = options.steps;

  if (primary) {
    model::ModelInfo info;
    info.window_bp = static_cast<std::int64_t>(std::lround(bp_per_token * static_cast<double>(options.seq_len - 2)));
    nlohmann::json final_metrics = {{"train_loss", result.train_loss}, {"train_masked_accuracy", result.train_accuracy}};
    if (result.valid_loss >= 0) {
      final_metrics["valid_loss"] = result.valid_loss;
      final_metrics["valid_masked_accuracy"] = result.valid_accuracy;
      final_metrics["valid_perplexity"] = std::exp(result.valid_loss);
      final_metrics["valid_mask_accuracy"] = result.valid_mask_accuracy;
      final_metrics["valid_mask_perplexity"] = result.valid_mask_perplexity;
    }
    info.provenance = {{"created_by", "genobird pretrain"},
                       {"command_line", options.command_line},
                       {"config", options.config_source},
                       {"genomes", options.genomes},
                       {"reads", options.reads},
                       {"valid_genomes", options.valid_genomes},
                       {"valid_chroms", options.valid_chroms},
                       {"tokenizer", options.tokenizer_path},
                       {"steps", options.steps},
                       {"seq_len", options.seq_len},
                       {"global_batch", global_batch},
                       {"world_size", parallel.world_size()},
                       {"lr", options.optimizer.lr},
                       {"seed", options.seed},
                       {"init", model::weight_init_name(options.init)},
                       {"tokens_seen", tokens_seen},
                       {"final_metrics", final_metrics}};
    model->to(c10::Device(c10::kCPU));
    model::save_model_dir(options.out_dir, *model, info, options.tokenizer_path);
    LOG_INFO("wrote model directory " << options.out_dir);
  }
  parallel.barrier();
  return result;
}

}  // namespace genobird::train
