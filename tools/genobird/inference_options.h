// Options shared by the commands that run a model on DNA (`predict`, `annotate`, `variants`, `mutagenesis`,
// `embed`), and the engines they build from them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "command.h"
#include "infer/scoring_engine.h"
#include "model/model_dir.h"

namespace genobird::cli {

// What every model-running command takes: --model, --batch-size, -t, --device.
struct ModelRunOptions {
  std::string model;  // "" : the bundled default model
  std::string device = "auto";
  int threads = 0;
  std::int64_t batch_size = infer::EngineOptions{}.batch_size;
};

struct InferenceOptions {
  ModelRunOptions run;
  std::string rc = "off";
  infer::EngineOptions engine;
  std::int64_t window = 0;
};

// --model, --batch-size, -t, --device.
void add_model_run_options(po::options_description& options, ModelRunOptions& values);
// add_model_run_options, then --rc (off, mean, max) and --window.
void add_inference_options(po::options_description& options, InferenceOptions& values);

// --shard "I/N" with 0 <= I < N, as predict and variants take it; throws UsageError otherwise.
void parse_shard(const std::string& text, std::uint64_t& index, std::uint64_t& count);

// The folder of the bundled model: models/promoter-dm3 beside the binary's installation or build tree,
// else in the source tree it was built from. Throws UsageError when it is in none of them.
std::string bundled_model_dir();

// Sets torch's CPU threads (values.threads becomes the resolved count), resolves the device and loads the
// model (the bundled one without --model; values.model becomes its folder).
model::LoadedModel load_run_model(ModelRunOptions& values, c10::Device& device);

// Loads the model (the bundled one without --model) onto the device, sets torch's CPU threads.
std::unique_ptr<infer::ScoringEngine> make_scoring_engine(InferenceOptions& values);

// The inputs of `predict` and `embed`: --genome/--regions or --fasta, --strand, --skip-invalid, --shard.
struct RegionInputOptions {
  std::string genome, regions, fasta, shard;
  bool strand = false;
  bool skip_invalid = false;
  std::uint64_t shard_index = 0;
  std::uint64_t shard_count = 1;

  bool bed_input() const { return !genome.empty() || !regions.empty(); }
};

// `verb` says what the command does with them ("score", "embed").
void add_region_input_options(po::options_description& options, RegionInputOptions& values, const std::string& verb);
// Checks that exactly one input mode is given (`other_inputs`: how many further input options, such as
// embed's --reads, were given; `alternatives` names them all for the message) and parses --shard.
void check_region_inputs(RegionInputOptions& values, int other_inputs, const std::string& alternatives);

}  // namespace genobird::cli
