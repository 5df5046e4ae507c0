#include "inference_options.h"

#include <ATen/Parallel.h>

#include <filesystem>

#include "model/device.h"
#include "model/model_dir.h"
#include "options.h"
#include "presets.h"
#include "util/error.h"
#include "util/limits.h"
#include "util/log.h"

namespace genobird::cli {

namespace fs = std::filesystem;

namespace {
constexpr const char* kBundledModel = "promoter-dm3";
}

void add_inference_options(po::options_description& options, InferenceOptions& values) {
  options.add_options()("model,m", po::value(&values.model),
                        "model directory (default: the bundled promoter model, models/promoter-dm3)")(
      "batch-size", po::value(&values.engine.batch_size)->default_value(values.engine.batch_size),
      "windows per forward pass")(
      "rc", po::value(&values.rc)->default_value(values.rc),
      "reverse complement: off (score the sequence as given), mean or max of both strands")(
      "window", po::value(&values.window)->default_value(0),
      "window length in bp; 0 uses the model's window_bp (genobird.json)");
  add_threads_option(options, values.threads);
  add_device_option(options, values.device);
}

std::string bundled_model_dir() {
  for (const auto& folder : models_folders()) {
    fs::path candidate = folder / kBundledModel;
    if (fs::exists(candidate / "genobird.json")) return candidate.string();
  }
  throw UsageError(std::string("no --model given and the bundled model (models/") + kBundledModel +
                   ") was not found beside the binary or in " + GENOBIRD_MODELS_DIR);
}

std::unique_ptr<infer::ScoringEngine> make_scoring_engine(InferenceOptions& values) {
  const int threads = resolve_threads(values.threads);
  at::set_num_threads(threads);
  values.engine.threads = threads;
  values.engine.rc = infer::parse_rc_mode(values.rc);
  require(values.engine.batch_size >= 1, "--batch-size must be at least 1");
  require(values.window >= 0, "--window must be a positive number of bp (or 0 for the model's)");
  require(values.window <= limits::kMaxWindowBp,
          "--window " + std::to_string(values.window) + " is out of range (max " + std::to_string(limits::kMaxWindowBp) + " bp)");
  const c10::Device device = model::resolve_device(values.device);
  if (values.model.empty()) {
    values.model = bundled_model_dir();
    LOG_INFO("using the bundled model " << values.model);
  }
  model::LoadedModel loaded = model::load_model_dir(values.model, device);
  return std::make_unique<infer::ScoringEngine>(std::move(loaded), device, values.engine);
}

}  // namespace genobird::cli
