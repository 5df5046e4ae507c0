// Training checkpoints that survive a kill at any moment.
//
// Layout under a run's checkpoint root (pretraining: MODEL_DIR/checkpoints):
//   step-000000120/          one complete checkpoint, named by the number of optimizer steps done
//     model.safetensors      the model's tensors under HuggingFace names (model/model_dir.h)
//     optimizer.pt           the optimizer's state (torch archive: AdamW moments and step counts)
//     rng.pt                 torch's default CPU generator state (and each CUDA device's, when present)
//     state.json             {"step": N, "sampler": {...}, "extra": {...}}: the data sampler's position
//                            and anything else the trainer needs to continue exactly
//   .partial-step-000000140-PID/   a checkpoint being written (or left by a killed writer)
//
// Atomicity: a checkpoint is written into a .partial-* folder, every file and the folder are fsync'ed, and
// only then is the folder renamed to step-N, a single atomic rename(2). A writer killed at any point leaves
// at most a .partial-* folder, which readers ignore and the next write removes; it never replaces or
// damages a complete checkpoint. After a successful write, all but the newest `keep_last` complete
// checkpoints are deleted (oldest first, so a kill during pruning also leaves the newest intact).
//
// Errors: IoError for file-system failures, ModelError for a checkpoint whose tensors do not fit the
// model, FormatError for an unreadable state.json. Only one process (rank 0) may write a root at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/optim/optimizer.h>

#include "model/model.h"

namespace genobird::train {

struct CheckpointState {
  std::int64_t step = 0;                             // optimizer steps completed
  nlohmann::json sampler = nlohmann::json::object();  // data position, opaque to this module
  nlohmann::json extra = nlohmann::json::object();    // trainer's own bookkeeping (tokens seen, ...)
};

// Folder name of the checkpoint after `step` steps ("step-000000120").
std::string checkpoint_name(std::int64_t step);

// Writes a checkpoint atomically into root/step-N and prunes older ones beyond keep_last (>= 1).
// Returns the path of the new checkpoint.
std::string write_checkpoint(const std::string& root, model::GenobirdModelImpl& model,
                             const torch::optim::Optimizer& optimizer, const CheckpointState& state, int keep_last);

// Complete checkpoints under root, oldest first (partial folders and foreign names are ignored).
std::vector<std::string> list_checkpoints(const std::string& root);

// The newest complete checkpoint, or nothing when there is none.
std::optional<std::string> latest_checkpoint(const std::string& root);

// Restores model tensors, optimizer state and RNG states from `path`; returns the saved state. The saved
// step must be an integer in [0, max_step] (the run's step budget) matching the folder's name, and every
// sampler position a non-negative integer; otherwise a FormatError names state.json and the field. A
// damaged optimizer.pt or rng.pt is a FormatError naming that file.
CheckpointState read_checkpoint(const std::string& path, model::GenobirdModelImpl& model,
                                torch::optim::Optimizer& optimizer, std::int64_t max_step);

}  // namespace genobird::train
