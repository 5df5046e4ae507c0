#include "inference_options.h"

#include <ATen/Parallel.h>

#include <filesystem>

#include "model/device.h"
#include "options.h"
#include "presets.h"
#include "util/error.h"
#include "util/limits.h"
#include "util/log.h"

namespace genobird::cli {

namespace fs = std::filesystem;

namespace {
constexpr const char* kBundledModel = "promoter-dm3";

}  // namespace

void add_model_run_options(po::options_description& options, ModelRunOptions& values) {
  options.add_options()("model,m", po::value(&values.model),
                        "model directory (default: the bundled promoter model, models/promoter-dm3)")(
      "batch-size", po::value(&values.batch_size)->default_value(values.batch_size), "windows per forward pass");
  add_threads_option(options, values.threads);
  add_device_option(options, values.device);
}

void add_inference_options(po::options_description& options, InferenceOptions& values) {
  add_model_run_options(options, values.run);
  options.add_options()("rc", po::value(&values.rc)->default_value(values.rc),
                        "reverse complement: off (score the sequence as given), mean or max of both strands")(
      "window", po::value(&values.window)->default_value(0),
      "window length in bp; 0 uses the model's window_bp (genobird.json)");
}

void parse_shard(const std::string& text, std::uint64_t& index, std::uint64_t& count) {
  const auto slash = text.find('/');
  bool ok = slash != std::string::npos && slash > 0 && slash + 1 < text.size() &&
            text.find_first_not_of("0123456789/") == std::string::npos && text.find('/', slash + 1) == std::string::npos;
  if (ok) {
    index = std::stoull(text.substr(0, slash));
    count = std::stoull(text.substr(slash + 1));
    ok = count >= 1 && index < count;
  }
  require(ok, "--shard must be I/N with 0 <= I < N (e.g. 0/4), not \"" + text + "\"");
}

std::string bundled_model_dir() {
  for (const auto& folder : models_folders()) {
    fs::path candidate = folder / kBundledModel;
    if (fs::exists(candidate / "genobird.json")) return candidate.string();
  }
  throw UsageError(std::string("no --model given and the bundled model (models/") + kBundledModel +
                   ") was not found beside the binary or in " + GENOBIRD_MODELS_DIR);
}

model::LoadedModel load_run_model(ModelRunOptions& values, c10::Device& device) {
  values.threads = resolve_threads(values.threads);
  at::set_num_threads(values.threads);
  require(values.batch_size >= 1, "--batch-size must be at least 1");
  device = model::resolve_device(values.device);
  if (values.model.empty()) {
    values.model = bundled_model_dir();
    LOG_INFO("using the bundled model " << values.model);
  }
  return model::load_model_dir(values.model, device);
}

std::unique_ptr<infer::ScoringEngine> make_scoring_engine(InferenceOptions& values) {
  values.engine.rc = infer::parse_rc_mode(values.rc);
  require(values.window >= 0, "--window must be a positive number of bp (or 0 for the model's)");
  require(values.window <= limits::kMaxWindowBp,
          "--window " + std::to_string(values.window) + " is out of range (max " + std::to_string(limits::kMaxWindowBp) + " bp)");
  c10::Device device(c10::kCPU);
  model::LoadedModel loaded = load_run_model(values.run, device);
  values.engine.threads = values.run.threads;
  values.engine.batch_size = values.run.batch_size;
  return std::make_unique<infer::ScoringEngine>(std::move(loaded), device, values.engine);
}

void add_region_input_options(po::options_description& options, RegionInputOptions& values, const std::string& verb) {
  options.add_options()("genome,g", po::value(&values.genome), "genome FASTA (plain or bgzip; indexed if needed)")(
      "regions,r", po::value(&values.regions), ("BED regions to " + verb + " (with --genome)").c_str())(
      "fasta,f", po::value(&values.fasta),
      ("FASTA/FASTQ records to " + verb + ", each as one input (instead of --genome/--regions)").c_str())(
      "strand,s", po::bool_switch(&values.strand), "reverse-complement regions on the minus strand (BED column 6)")(
      "skip-invalid", po::bool_switch(&values.skip_invalid),
      "leave out regions on chromosomes the genome lacks or past a chromosome end (counted in the log)")(
      "shard", po::value(&values.shard), "only inputs k with k % N == I (I/N, 0-based), for scatter/gather");
}

void check_region_inputs(RegionInputOptions& values, int other_inputs, const std::string& alternatives) {
  const int modes = (values.bed_input() ? 1 : 0) + (values.fasta.empty() ? 0 : 1) + other_inputs;
  require(modes == 1, "give exactly one input: " + alternatives);
  if (values.bed_input()) require(!values.genome.empty() && !values.regions.empty(), "--genome and --regions go together");
  if (!values.shard.empty()) parse_shard(values.shard, values.shard_index, values.shard_count);
}

}  // namespace genobird::cli
