#include "train/checkpoint.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "model/model_dir.h"
#include "util/error.h"
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
  CheckpointState restored = read_checkpoint(*latest_checkpoint(root.string()), *b.model, *b.optimizer, 100);
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
  EXPECT_EQ(read_checkpoint(good, *b.model, *b.optimizer, 100).step, 10);
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
  EXPECT_EQ(read_checkpoint(*latest_checkpoint(root.string()), *b.model, *b.optimizer, 100).sampler["x"], 2);
  EXPECT_EQ(list_checkpoints(root.string()).size(), 1u);
}

// A damaged checkpoint: each case edits one file of a good checkpoint; reading it must fail with a genobird
// message naming the file and field, never torch's own words, and never start a loop from a nonsense step.
TEST(Checkpoint, DamagedCheckpointsNameTheFileAndField) {
  Trainable a;
  a.step();
  struct Case {
    const char* file;
    std::string content;
    std::string expected;  // part of the message
  };
  const std::vector<Case> cases = {
      {"state.json", R"({"step": -3, "sampler": {"x": 0}})", "value -3 of field step"},
      {"state.json", R"({"step": 2.5, "sampler": {"x": 0}})", "field step must be a non-negative integer, found 2.5"},
      {"state.json", R"({"step": 500, "sampler": {"x": 0}})", "value 500 of field step in"},
      {"state.json", R"({"step": 18446744073709551615, "sampler": {"x": 0}})", "of field step in"},
      {"state.json", R"({"step": 4, "sampler": {"x": 0}})", "but the checkpoint folder is step-000000005"},
      {"state.json", R"({"step": 5, "sampler": {"x": -1}})", "field sampler.x must be a non-negative integer"},
      {"state.json", R"({"step": 5, "sampler": {"x": "a"}})", "field sampler.x must be a non-negative integer"},
      {"state.json", R"({"step": 5})", "field sampler must be an object"},
      {"state.json", R"([5])", "expected a JSON object"},
      {"optimizer.pt", "PK\x03\x04 not a zip", "optimizer.pt: not a readable optimizer state"},
      {"rng.pt", "", "rng.pt: not a readable random-generator state"},
  };
  for (const auto& c : cases) {
    fs::path root = fresh_root("damaged");
    write_checkpoint(root.string(), *a.model, *a.optimizer, state_at(5), 3);
    const std::string path = *latest_checkpoint(root.string());
    std::ofstream(fs::path(path) / c.file, std::ios::trunc) << c.content;
    Trainable b;
    try {
      read_checkpoint(path, *b.model, *b.optimizer, 100);
      ADD_FAILURE() << c.file << " " << c.content << " was accepted";
    } catch (const FormatError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(c.expected), std::string::npos) << what;
      EXPECT_NE(what.find(c.file), std::string::npos) << what;
      EXPECT_EQ(what.find("PytorchStreamReader"), std::string::npos) << what;
    }
  }
}

}  // namespace
}  // namespace genobird::train
