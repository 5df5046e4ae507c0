#include "train/checkpoint.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "model/model_dir.h"
#include "scratch_dir.h"
#include "train/test_models.h"
#include "train/optimizer.h"

namespace genobird::train {
namespace {

namespace fs = std::filesystem;

struct Trainable {
  Trainable() : model(tiny_mlm_model()), optimizer(make_adamw(*model, OptimizerOptions())) {}
  model::GenobirdModel model;
  std::unique_ptr<torch::optim::AdamW> optimizer;

  // One optimizer step on a fixed batch, so that the AdamW moments are not empty.
  void step() {
    at::Tensor ids = at::arange(5, 37).remainder(40).reshape({2, 16});
    auto encoded = model->encode(ids, {});
    optimizer->zero_grad();
    model->mlm_logits(encoded).pow(2).mean().backward();
    optimizer->step();
  }
};

fs::path fresh_root(const std::string& name) {
  fs::path root = test::scratch_dir() / name;
  fs::remove_all(root);
  return root;
}

CheckpointState state_at(std::int64_t step, int marker = 0) {
  CheckpointState state;
  state.step = step;
  state.sampler["x"] = marker;
  return state;
}

bool same_tensors(model::GenobirdModelImpl& a, model::GenobirdModelImpl& b) {
  auto ta = model::model_tensors(a), tb = model::model_tensors(b);
  for (auto& [name, t] : ta)
    if (!at::equal(t, tb.at(name))) return false;
  return true;
}

TEST(Checkpoint, RoundTripRestoresModelOptimizerRngAndState) {
  at::manual_seed(1);
  Trainable a;
  a.step();
  fs::path root = fresh_root("roundtrip");
  CheckpointState state = state_at(7, 21);
  write_checkpoint(root.string(), *a.model, *a.optimizer, state, 3);
  const at::Tensor after_save = at::rand({3});  // the next draw the checkpoint must reproduce

  at::manual_seed(99);
  Trainable b;
  EXPECT_FALSE(same_tensors(*a.model, *b.model));
  CheckpointState restored = read_checkpoint(*latest_checkpoint(root.string()), *b.model, *b.optimizer);
  EXPECT_EQ(restored.step, 7);
  EXPECT_EQ(restored.sampler["x"], 21);
  EXPECT_TRUE(at::equal(at::rand({3}), after_save));
  EXPECT_TRUE(same_tensors(*a.model, *b.model));
  // Same optimizer moments: one more identical step keeps the models identical.
  at::manual_seed(5);
  a.step();
  at::manual_seed(5);
  b.step();
  EXPECT_TRUE(same_tensors(*a.model, *b.model));
}

TEST(Checkpoint, KeepsOnlyTheLastK) {
  Trainable a;
  fs::path root = fresh_root("keep");
  for (int step = 1; step <= 5; ++step) write_checkpoint(root.string(), *a.model, *a.optimizer, state_at(step), 2);
  auto all = list_checkpoints(root.string());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(fs::path(all[0]).filename(), checkpoint_name(4));
  EXPECT_EQ(fs::path(all[1]).filename(), checkpoint_name(5));
}

// What a writer killed mid-checkpoint leaves behind (a partial folder with truncated files, or a step
// folder from another tool without every file) must never be taken for the newest checkpoint.
TEST(Checkpoint, InterruptedWriteNeverReplacesAGoodCheckpoint) {
  Trainable a;
  a.step();
  fs::path root = fresh_root("atomic");
  const std::string good = write_checkpoint(root.string(), *a.model, *a.optimizer, state_at(10), 3);

  fs::path partial = root / (".partial-" + checkpoint_name(20) + "-12345");
  fs::create_directories(partial);
  std::ofstream(partial / "model.safetensors") << "truncated";
  fs::create_directories(root / checkpoint_name(30));
  std::ofstream(root / checkpoint_name(30) / "model.safetensors") << "no state.json beside it";
  EXPECT_EQ(latest_checkpoint(root.string()), good);

  Trainable b;
  EXPECT_EQ(read_checkpoint(good, *b.model, *b.optimizer).step, 10);
  EXPECT_TRUE(same_tensors(*a.model, *b.model));

  // The next write clears the leftovers of the killed writer.
  write_checkpoint(root.string(), *a.model, *a.optimizer, state_at(11), 3);
  EXPECT_FALSE(fs::exists(partial));
  EXPECT_EQ(fs::path(*latest_checkpoint(root.string())).filename(), checkpoint_name(11));
}

TEST(Checkpoint, RewritingTheSameStepReplacesIt) {
  Trainable a;
  fs::path root = fresh_root("same");
  write_checkpoint(root.string(), *a.model, *a.optimizer, state_at(4, 1), 3);
  write_checkpoint(root.string(), *a.model, *a.optimizer, state_at(4, 2), 3);
  Trainable b;
  EXPECT_EQ(read_checkpoint(*latest_checkpoint(root.string()), *b.model, *b.optimizer).sampler["x"], 2);
  EXPECT_EQ(list_checkpoints(root.string()).size(), 1u);
}

}  // namespace
}  // namespace genobird::train
