// Options shared by `predict`, `annotate`, `variants` and `mutagenesis`, and the scoring engine they build from them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "command.h"
#include "infer/scoring_engine.h"

namespace genobird::cli {

struct InferenceOptions {
  std::string model;  // "" : the bundled default model
  std::string device = "auto";
  int threads = 0;
  std::string rc = "off";
  infer::EngineOptions engine;
  std::int64_t window = 0;
};

// --model, --device, -t, --batch-size, --rc, --window.
void add_inference_options(po::options_description& options, InferenceOptions& values);

// --shard "I/N" with 0 <= I < N, as predict and variants take it; throws UsageError otherwise.
void parse_shard(const std::string& text, std::uint64_t& index, std::uint64_t& count);

// The folder of the bundled model: models/promoter-dm3 beside the binary's installation or build tree,
// else in the source tree it was built from. Throws UsageError when it is in none of them.
std::string bundled_model_dir();

// Loads the model (the bundled one without --model) onto the device, sets torch's CPU threads.
std::unique_ptr<infer::ScoringEngine> make_scoring_engine(InferenceOptions& values);

}  // namespace genobird::cli
