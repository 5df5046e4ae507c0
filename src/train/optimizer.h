// AdamW with decoupled weight decay, the learning-rate schedule and gradient clipping of genobird's
// trainers (pretraining and fine-tuning).
//
// Weight decay (Loshchilov & Hutter 2019, as in BERT and HuggingFace's Trainer) applies to weight matrices
// and embeddings only: parameters whose name ends in "bias" or that belong to a LayerNorm go into a second
// group with weight decay 0, because shrinking a shift or a normalisation gain towards zero regularises
// nothing useful.
//
// The schedule is the usual one for transformer pretraining: linear warm-up from 0 to the peak rate over
// `warmup_steps` updates, then linear or cosine decay to `final_lr_fraction` x peak at `total_steps`.
//
// Thread-safety: none; one optimizer per training loop.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <torch/nn/module.h>
#include <torch/optim/adamw.h>

namespace genobird::train {

enum class LrDecay { kLinear, kCosine };

struct OptimizerOptions {
  double lr = 1e-4;             // peak learning rate
  double weight_decay = 0.01;   // on weights and embeddings; biases and LayerNorm get 0
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double max_grad_norm = 1.0;   // clip the global L2 norm of the gradients to this; <= 0: no clipping
};

struct LrSchedule {
  double peak_lr = 1e-4;
  std::int64_t warmup_steps = 0;
  std::int64_t total_steps = 1;
  LrDecay decay = LrDecay::kLinear;
  double final_lr_fraction = 0.0;  // the rate at total_steps, as a fraction of peak_lr
};

// "linear" / "cosine"; throws UsageError for anything else.
LrDecay parse_lr_decay(const std::string& name);
const char* lr_decay_name(LrDecay decay);

// Learning rate of update number `step` (0-based: step 0 is the first optimizer step). During warm-up
// (step < warmup_steps) it is peak * (step + 1) / warmup_steps, so the first update is not a no-op.
// After total_steps it stays at the final rate.
double learning_rate_at(const LrSchedule& schedule, std::int64_t step);

// Warm-up length of a run of `total_steps`: `requested` when it is >= 0, else `default_percent`% of
// total_steps, rounded down (pretraining takes 10%, fine-tuning 5%).
std::int64_t warmup_steps_for(std::int64_t requested, std::int64_t total_steps, int default_percent);

// What is wrong with a schedule whose warm-up is not shorter than the run ("warm-up (100 steps) is not
// shorter than the run (40 steps): the learning rate climbs to 40% of its peak 0.0001 and never decays"),
// or "" for a schedule that reaches its peak and decays.
std::string warmup_problem(const LrSchedule& schedule);

// True for the parameters that get no weight decay (names ending in "bias", or containing "LayerNorm"
// or "layer_norm").
bool excluded_from_weight_decay(const std::string& parameter_name);

// AdamW over every trainable parameter of `module`, in two groups: [0] with weight decay, [1] without.
std::unique_ptr<torch::optim::AdamW> make_adamw(torch::nn::Module& module, const OptimizerOptions& options);

// Sets the learning rate of every parameter group.
void set_learning_rate(torch::optim::Optimizer& optimizer, double lr);

// Scales the gradients of `parameters` so that their global L2 norm is at most max_norm (no-op when
// max_norm <= 0); returns the norm before clipping.
double clip_gradients(const std::vector<at::Tensor>& parameters, double max_norm);

}  // namespace genobird::train
