// MLM pretraining of a genobird model on genome FASTAs and sequencing reads: the loop behind `genobird pretrain`.
//
// One optimizer step = grad_accum micro-batches of batch_size windows on each of the world_size ranks
// (distributed.h); the loss is the summed cross-entropy over the step's selected tokens divided by their
// global count, and gradients are summed over ranks, so a step is the same computation whatever the
// split into ranks and micro-batches (up to floating-point summation order).
//
// The run directory (out_dir) receives, on rank 0 only:
//   checkpoints/step-N/   every checkpoint_every steps and at the end (checkpoint.h), the last
//                         keep_checkpoints kept
//   metrics.tsv           every log_every steps: step, loss, masked_accuracy, perplexity, lr, grad_norm,
//                         tokens, tokens_per_s, and valid_loss, valid_accuracy, valid_perplexity,
//                         valid_mask_accuracy, valid_mask_perplexity (the same at the positions that show
//                         [MASK]) on the rows where validation ran (metrics_log.h)
//   reads/rank-R.fa       with --reads: the reads as one FASTA, written by every rank R (read_corpus.h)
//   config.json, model.safetensors, tokenizer.json, genobird.json: the model directory, at the end
//                         (model/model_dir.h), with provenance (command line, data, steps, final metrics)
//
// Resuming continues from the newest complete checkpoint and reproduces the uninterrupted run: model,
// optimizer moments, the dropout generator and the data position (the next example index; examples are
// a pure function of seed and index, mlm_data.h) are all restored.
//
// Validation: valid_windows fixed windows (their own random stream) from --valid-genome files or from the
// --valid-chrom sequences, which are then excluded from training. --valid-genome windows are sized on the
// first validation file (mlm_evaluation.h), so `genobird evaluate --fasta` with the same --seed, --seq-len
// and --windows scores the same examples.
//
// Errors, all raised before the first step: UsageError for inconsistent options, InputError for a missing
// FASTA, a genome without a sequence one window long, a tokenizer whose vocabulary differs from the
// model's; IoError for an output directory that cannot be written.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/config.h"
#include "model/init.h"
#include "train/genome_windows.h"
#include "train/mlm_masking.h"
#include "train/optimizer.h"

namespace genobird::train {

// The warm-up of a run without --warmup, in percent of its steps.
constexpr int kPretrainWarmupPercent = 10;

struct PretrainOptions {
  std::vector<std::string> genomes;
  std::vector<std::string> reads;  // SAM/BAM/CRAM/FASTQ/FASTA read files, sampled with the genomes
  std::string reads_reference;     // FASTA for CRAM reads
  std::string tokenizer_path;
  model::BigBirdConfig config;
  std::string config_source;  // "preset small" or a config path, for provenance
  std::string out_dir;

  std::int64_t steps = 1000;
  std::int64_t batch_size = 8;  // windows per micro-batch, per rank
  std::int64_t grad_accum = 1;  // micro-batches per optimizer step
  std::int64_t seq_len = 1024;  // tokens per window, [CLS] and [SEP] included
  OptimizerOptions optimizer;
  std::int64_t warmup_steps = -1;  // < 0: kPretrainWarmupPercent of steps
  LrDecay decay = LrDecay::kLinear;
  double final_lr_fraction = 0.0;

  std::int64_t checkpoint_every = 500;  // 0: only at the end
  int keep_checkpoints = 3;
  bool resume = false;

  std::vector<std::string> valid_genomes;
  std::vector<std::string> valid_chroms;
  std::int64_t valid_every = 0;      // 0: with every checkpoint and at the end
  std::int64_t valid_windows = 64;
  std::int64_t log_every = 10;

  double max_n_fraction = kDefaultMaxNFraction;  // windows with more N are redrawn (genome_windows.h)
  MaskingOptions masking;
  int data_workers = 1;
  int prefetch = 4;
  std::uint64_t seed = 42;
  model::WeightInit init = model::WeightInit::kLocalHeads;  // fresh weights (model/init.h)
  std::string device = "auto";
  std::string command_line;  // recorded in genobird.json
};

// Throws UsageError naming the first inconsistent option.
void check_pretrain_options(const PretrainOptions& options);

struct PretrainResult {
  std::int64_t steps = 0;
  double train_loss = 0;  // over the last logging interval
  double train_accuracy = 0;
  double valid_loss = -1;  // < 0 without validation data
  double valid_accuracy = -1;
  double valid_mask_accuracy = -1;  // at the positions that show [MASK] (mlm_objective.h)
  double valid_mask_perplexity = -1;
};

PretrainResult pretrain(const PretrainOptions& options);

}  // namespace genobird::train
