#include "train/optimizer.h"

#include <gtest/gtest.h>

#include <cmath>

#include "model/model.h"
#include "train/finetune.h"
#include "train/pretrainer.h"
#include "train/test_models.h"
#include "util/error.h"

namespace genobird::train {
namespace {

TEST(LearningRate, WarmUpThenLinearDecayToFloor) {
  LrSchedule s{1e-3, 10, 110, LrDecay::kLinear, 0.1};
  EXPECT_DOUBLE_EQ(learning_rate_at(s, 0), 1e-4);
  EXPECT_DOUBLE_EQ(learning_rate_at(s, 9), 1e-3);
  EXPECT_DOUBLE_EQ(learning_rate_at(s, 10), 1e-3);
  EXPECT_NEAR(learning_rate_at(s, 60), 1e-3 * (0.1 + 0.9 * 0.5), 1e-15);
  EXPECT_NEAR(learning_rate_at(s, 110), 1e-4, 1e-15);
  EXPECT_NEAR(learning_rate_at(s, 500), 1e-4, 1e-15);
}

TEST(LearningRate, CosineDecayHalfwayIsHalfPeak) {
  LrSchedule s{2.0, 0, 100, LrDecay::kCosine, 0.0};
  EXPECT_DOUBLE_EQ(learning_rate_at(s, 0), 2.0);
  EXPECT_NEAR(learning_rate_at(s, 50), 1.0, 1e-12);
  EXPECT_NEAR(learning_rate_at(s, 100), 0.0, 1e-12);
  // Cosine stays above linear in the first half.
  LrSchedule linear = s;
  linear.decay = LrDecay::kLinear;
  EXPECT_GT(learning_rate_at(s, 25), learning_rate_at(linear, 25));
}

// Without --warmup the warm-up is a share of the run, so a short run still reaches its peak and decays.
TEST(LearningRate, DefaultWarmUpIsAShareOfTheSteps) {
  EXPECT_EQ(warmup_steps_for(-1, 2000, kFinetuneWarmupPercent), 100);  // fine-tuning's default run, as before
  EXPECT_EQ(warmup_steps_for(-1, 40, kFinetuneWarmupPercent), 2);
  EXPECT_EQ(warmup_steps_for(-1, 1000, kPretrainWarmupPercent), 100);
  EXPECT_EQ(warmup_steps_for(-1, 39, kPretrainWarmupPercent), 3);  // rounded down
  EXPECT_EQ(warmup_steps_for(-1, 10, kFinetuneWarmupPercent), 0);  // no warm-up: the first step runs at the peak
  EXPECT_EQ(warmup_steps_for(100, 40, kFinetuneWarmupPercent), 100);  // an explicit value is kept
  EXPECT_EQ(warmup_steps_for(0, 40, kFinetuneWarmupPercent), 0);

  LrSchedule s{1e-3, warmup_steps_for(-1, 40, kFinetuneWarmupPercent), 40, LrDecay::kLinear, 0.0};
  EXPECT_DOUBLE_EQ(learning_rate_at(s, 1), 1e-3) << "the peak is reached at the end of the warm-up";
  EXPECT_LT(learning_rate_at(s, 39), 1e-4) << "and the rate decays after it";
  EXPECT_EQ(warmup_problem(s), "");
}

// A warm-up as long as the run or longer is reported: the rate would never decay, nor reach its peak.
TEST(LearningRate, WarmUpNotShorterThanTheRunIsAProblem) {
  LrSchedule s{1e-4, 100, 40, LrDecay::kLinear, 0.0};
  EXPECT_DOUBLE_EQ(learning_rate_at(s, 39), 0.4e-4) << "finetune --steps 40 with --warmup 100 ends at 40% of --lr";
  EXPECT_EQ(warmup_problem(s),
            "warm-up (100 steps) is not shorter than the run (40 steps): the learning rate climbs to 40% of its peak "
            "0.0001 and never decays");
  s.warmup_steps = 40;
  EXPECT_NE(warmup_problem(s).find("climbs to 100% of its peak"), std::string::npos) << warmup_problem(s);
  s.warmup_steps = 39;
  EXPECT_EQ(warmup_problem(s), "");
  s.warmup_steps = 0;
  EXPECT_EQ(warmup_problem(s), "");
}

TEST(LearningRate, ParsesDecayNames) {
  EXPECT_EQ(parse_lr_decay("cosine"), LrDecay::kCosine);
  EXPECT_THROW(parse_lr_decay("step"), UsageError);
}

TEST(AdamW, BiasesAndLayerNormsGetNoWeightDecay) {
  EXPECT_TRUE(excluded_from_weight_decay("bert.encoder.layer.0.output.LayerNorm.weight"));
  EXPECT_TRUE(excluded_from_weight_decay("cls.predictions.bias"));
  EXPECT_FALSE(excluded_from_weight_decay("bert.encoder.layer.0.output.dense.weight"));

  model::GenobirdModel model = tiny_mlm_model();
  OptimizerOptions options;
  options.weight_decay = 0.05;
  auto optimizer = make_adamw(*model, options);
  ASSERT_EQ(optimizer->param_groups().size(), 2u);
  auto& decayed = static_cast<torch::optim::AdamWOptions&>(optimizer->param_groups()[0].options());
  auto& plain = static_cast<torch::optim::AdamWOptions&>(optimizer->param_groups()[1].options());
  EXPECT_DOUBLE_EQ(decayed.weight_decay(), 0.05);
  EXPECT_DOUBLE_EQ(plain.weight_decay(), 0.0);
  std::size_t expected_plain = 0, total = 0;
  for (const auto& item : model->named_parameters()) {
    if (!item.value().requires_grad()) continue;  // the pooler of an MLM-only model is not trained
    ++total;
    if (excluded_from_weight_decay(item.key())) ++expected_plain;
  }
  EXPECT_EQ(optimizer->param_groups()[1].params().size(), expected_plain);
  EXPECT_EQ(optimizer->param_groups()[0].params().size() + expected_plain, total);

  set_learning_rate(*optimizer, 0.25);
  EXPECT_DOUBLE_EQ(decayed.lr(), 0.25);
  EXPECT_DOUBLE_EQ(plain.lr(), 0.25);
}

TEST(AdamW, DecoupledDecayShrinksWeightsWithZeroGradient) {
  at::Tensor w = at::ones({4}).set_requires_grad(true);
  torch::optim::AdamW optimizer({w}, torch::optim::AdamWOptions(0.1).weight_decay(0.5));
  w.mutable_grad() = at::zeros({4});
  optimizer.step();
  // AdamW: w <- w * (1 - lr * wd) before the (zero) Adam update.
  EXPECT_NEAR(w[0].item<double>(), 1.0 - 0.1 * 0.5, 1e-7);
}

TEST(Clipping, ScalesGlobalNormToMax) {
  at::Tensor a = at::zeros({2}).set_requires_grad(true);
  at::Tensor b = at::zeros({1}).set_requires_grad(true);
  a.mutable_grad() = at::tensor({3.0f, 0.0f});
  b.mutable_grad() = at::tensor({4.0f});
  EXPECT_NEAR(clip_gradients({a, b}, 1.0), 5.0, 1e-6);
  double norm = std::sqrt(a.grad().pow(2).sum().item<double>() + b.grad().pow(2).sum().item<double>());
  EXPECT_NEAR(norm, 1.0, 1e-5);
  EXPECT_NEAR(clip_gradients({a, b}, 0.0), 1.0, 1e-5);  // no clipping: only measured
}

}  // namespace
}  // namespace genobird::train
