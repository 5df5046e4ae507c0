#include "train/optimizer.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include <torch/nn/utils/clip_grad.h>

#include "util/error.h"

namespace genobird::train {

LrDecay parse_lr_decay(const std::string& name) {
  if (name == "linear") return LrDecay::kLinear;
  if (name == "cosine") return LrDecay::kCosine;
  throw UsageError("learning-rate decay must be linear or cosine, not '" + name + "'");
}

const char* lr_decay_name(LrDecay decay) { return decay == LrDecay::kLinear ? "linear" : "cosine"; }

double learning_rate_at(const LrSchedule& schedule, std::int64_t step) {
  const double peak = schedule.peak_lr;
  if (step < schedule.warmup_steps)
    return peak * static_cast<double>(step + 1) / static_cast<double>(schedule.warmup_steps);
  const std::int64_t decay_steps = schedule.total_steps - schedule.warmup_steps;
  if (decay_steps <= 0) return peak;
  double progress = static_cast<double>(step - schedule.warmup_steps) / static_cast<double>(decay_steps);
  progress = std::min(1.0, std::max(0.0, progress));
  const double floor = schedule.final_lr_fraction;
  const double shape = schedule.decay == LrDecay::kLinear ? 1.0 - progress : 0.5 * (1.0 + std::cos(M_PI * progress));
  return peak * (floor + (1.0 - floor) * shape);
}

std::int64_t warmup_steps_for(std::int64_t requested, std::int64_t total_steps, int default_percent) {
  if (requested >= 0) return requested;
  return std::max<std::int64_t>(total_steps, 0) * default_percent / 100;
}

std::string warmup_problem(const LrSchedule& schedule) {
  if (schedule.warmup_steps <= 0 || schedule.warmup_steps < schedule.total_steps) return "";
  const double reached = learning_rate_at(schedule, std::max<std::int64_t>(schedule.total_steps - 1, 0));
  std::ostringstream text;
  text << "warm-up (" << schedule.warmup_steps << " steps) is not shorter than the run (" << schedule.total_steps
       << " steps): the learning rate climbs to " << std::lround(100.0 * reached / schedule.peak_lr) << "% of its peak "
       << schedule.peak_lr << " and never decays";
  return text.str();
}

bool excluded_from_weight_decay(const std::string& name) {
  const std::string bias = "bias";
  const bool ends_in_bias = name.size() >= bias.size() && name.compare(name.size() - bias.size(), bias.size(), bias) == 0;
  return ends_in_bias || name.find("LayerNorm") != std::string::npos || name.find("layer_norm") != std::string::npos;
}

std::unique_ptr<torch::optim::AdamW> make_adamw(torch::nn::Module& module, const OptimizerOptions& options) {
  std::vector<at::Tensor> decayed, not_decayed;
  for (const auto& item : module.named_parameters()) {
    if (!item.value().requires_grad()) continue;
    (excluded_from_weight_decay(item.key()) ? not_decayed : decayed).push_back(item.value());
  }
  auto group_options = [&](double weight_decay) {
    return std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(options.lr)
                                                            .betas({options.beta1, options.beta2})
                                                            .eps(options.eps)
                                                            .weight_decay(weight_decay));
  };
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(decayed, group_options(options.weight_decay));
  groups.emplace_back(not_decayed, group_options(0.0));
  return std::make_unique<torch::optim::AdamW>(std::move(groups),
                                               torch::optim::AdamWOptions(options.lr)
                                                   .betas({options.beta1, options.beta2})
                                                   .eps(options.eps)
                                                   .weight_decay(options.weight_decay));
}

void set_learning_rate(torch::optim::Optimizer& optimizer, double lr) {
  for (auto& group : optimizer.param_groups()) group.options().set_lr(lr);
}

double clip_gradients(const std::vector<at::Tensor>& parameters, double max_norm) {
  if (max_norm <= 0) {
    double sum = 0;
    for (const auto& p : parameters)
      if (p.grad().defined()) sum += p.grad().pow(2).sum().item<double>();
    return std::sqrt(sum);
  }
  return torch::nn::utils::clip_grad_norm_(parameters, max_norm);
}

}  // namespace genobird::train
