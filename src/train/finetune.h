// Fine-tuning of one classification head (promoter, chromatin profiles) on a labelled dataset.
//
// Loss: binary cross-entropy on each label's logit, positives weighted by `positive_weight` (the BigBird
// paper weights chromatin positives x8). Optimiser, schedule and clipping are the trainer's (optimizer.h):
// AdamW, linear warm-up then linear decay over `max_steps`; a warm-up not shorter than `max_steps` is warned
// about, as the rate would never decay (nor reach its peak when longer). Training examples are visited in a seeded
// random order, epoch after epoch, each in a seeded random orientation (forward or reverse complement)
// when `reverse_complement_augment` is set.
//
// Early stopping: every `eval_every` steps the head is scored on the validation set (mean AUROC over its
// labels, labels without both classes skipped); the best weights are kept (in memory and in
// CHECKPOINTS/best.safetensors), and training stops after `patience` rounds without improvement. The model
// ends with the best weights. Checkpoints (checkpoint.h) are written after each validation round; with
// `resume` training continues from the newest one, in the same example order. A log of the run is written
// to `log_path` (metrics.tsv format: step, loss, lr, valid_auroc, valid_auprc, examples_per_s).
#pragma once

#include <cstdint>
#include <string>

#include <c10/core/Device.h>

#include "model/model.h"
#include "tokenizer/tokenizer.h"
#include "train/labelled_data.h"

namespace genobird::train {

// The warm-up of a run without --warmup, in percent of its steps: 100 of the default 2,000.
constexpr int kFinetuneWarmupPercent = 5;

struct FinetuneOptions {
  std::string head = "promoter";
  std::int64_t batch_size = 32;
  std::int64_t max_steps = 2000;
  std::int64_t eval_every = 200;
  std::int64_t patience = 3;            // validation rounds without improvement before stopping
  std::int64_t warmup_steps = -1;       // -1: kFinetuneWarmupPercent of max_steps
  double lr = 1e-4;
  double weight_decay = 0.01;
  double max_grad_norm = 1.0;
  double positive_weight = 1.0;
  bool head_only = false;               // train the head alone, backbone frozen
  bool reverse_complement_augment = true;
  std::int64_t max_tokens = 0;          // 0: the model's max_position_embeddings
  std::int64_t log_every = 20;
  std::string checkpoint_dir;           // empty: no checkpoints (and no resume)
  std::string log_path;                 // empty: no log file
  bool resume = false;
  std::uint64_t seed = 42;
  int threads = 1;
};

struct FinetuneResult {
  std::int64_t steps = 0;          // optimizer steps done in total (resumed ones included)
  std::int64_t best_step = 0;
  double best_valid_auroc = 0;
  bool stopped_early = false;
  std::size_t train_examples = 0;
  std::size_t valid_examples = 0;
};

// Trains `model`'s head `options.head` (which must be a classification head whose labels are the datasets'
// label names, in order). Throws InputError when the datasets' labels do not match the head, UsageError
// for bad options.
// Throws UsageError for option values no run can use (--lr of 0, -1 or NaN, --steps 0, ...).
void check_finetune_options(const FinetuneOptions& options);

FinetuneResult finetune_head(model::GenobirdModelImpl& model, const tokenizer::Tokenizer& tokenizer,
                             const LabelledDataset& train, const LabelledDataset& valid,
                             const FinetuneOptions& options, const c10::Device& device);

// Mean AUROC over labels of `probabilities` ([examples * labels]) against the dataset's labels; NaN when no
// label has both classes.
double mean_auroc(const std::vector<float>& probabilities, const LabelledDataset& dataset);

}  // namespace genobird::train
