#include "train/checkpoint.h"

#include <fcntl.h>
#include <unistd.h>

#include <ATen/Context.h>
#include <ATen/core/Generator.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "model/model_dir.h"
#include "model/safetensors.h"
#include "util/error.h"
#include "util/interrupt_cleanup.h"
#include "util/limits.h"
#include "util/output_file.h"

namespace genobird::train {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPrefix = "step-";
constexpr const char* kPartialPrefix = ".partial-";
constexpr const char* kModelFile = "model.safetensors";
constexpr const char* kOptimizerFile = "optimizer.pt";
constexpr const char* kRngFile = "rng.pt";
constexpr const char* kStateFile = "state.json";

// Flushes a file or folder to stable storage; a rename is only durable once both are synced.
void fsync_path(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) throw IoError(with_errno("cannot open " + path.string() + " to sync it"));
  int status = ::fsync(fd);
  ::close(fd);
  if (status != 0) throw IoError(with_errno("cannot sync " + path.string()));
}

// The generators whose state decides dropout masks: the CPU one and one per CUDA device.
std::vector<std::pair<std::string, at::Generator>> generators() {
  std::vector<std::pair<std::string, at::Generator>> result;
  result.emplace_back("cpu", at::globalContext().defaultGenerator(c10::Device(c10::kCPU)));
  if (at::hasCUDA()) {
    for (c10::DeviceIndex i = 0; i < static_cast<c10::DeviceIndex>(at::detail::getCUDAHooks().getNumGPUs()); ++i)
      result.emplace_back("cuda" + std::to_string(i), at::globalContext().defaultGenerator(c10::Device(c10::kCUDA, i)));
  }
  return result;
}

void save_rng(const fs::path& path) {
  torch::serialize::OutputArchive archive;
  for (auto& [name, generator] : generators()) {
    std::lock_guard<std::mutex> lock(generator.mutex());
    archive.write(name, generator.get_state());
  }
  archive.save_to(path.string());
}

void load_rng(const fs::path& path) {
  torch::serialize::InputArchive archive;
  archive.load_from(path.string());
  for (auto& [name, generator] : generators()) {
    at::Tensor state;
    if (!archive.try_read(name, state)) continue;  // e.g. a CPU checkpoint resumed on a GPU machine
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_state(state);
  }
}

std::int64_t step_of(const std::string& name) {
  const std::string prefix = kPrefix;
  if (name.compare(0, prefix.size(), prefix) != 0 || name.size() == prefix.size()) return -1;
  const std::string digits = name.substr(prefix.size());
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) return -1;
  return std::stoll(digits);
}

bool is_complete(const fs::path& dir) {
  for (const char* file : {kModelFile, kOptimizerFile, kRngFile, kStateFile})
    if (!fs::is_regular_file(dir / file)) return false;
  return true;
}

void remove_partials(const fs::path& root) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(root, error)) {
    const std::string name = entry.path().filename().string();
    if (name.compare(0, std::string(kPartialPrefix).size(), kPartialPrefix) == 0) fs::remove_all(entry.path(), error);
  }
}

}  // namespace

std::string checkpoint_name(std::int64_t step) {
  char name[32];
  std::snprintf(name, sizeof name, "%s%09lld", kPrefix, static_cast<long long>(step));
  return name;
}

std::string write_checkpoint(const std::string& root_path, model::GenobirdModelImpl& model,
                             const torch::optim::Optimizer& optimizer, const CheckpointState& state, int keep_last) {
  const fs::path root(root_path);
  std::error_code error;
  fs::create_directories(root, error);
  if (error) throw IoError("cannot create checkpoint folder " + root.string() + ": " + error.message());
  remove_partials(root);

  const std::string name = checkpoint_name(state.step);
  const fs::path staging = root / (std::string(kPartialPrefix) + name + "-" + std::to_string(::getpid()));
  fs::create_directory(staging, error);
  if (error) throw IoError("cannot create " + staging.string() + ": " + error.message());
  // An interruption while the checkpoint is written removes the partial folder at once (a failure leaves it
  // for the next run's remove_partials, which also covers a crash).
  TempPathGuard staging_guard(staging.string());

  model::write_safetensors((staging / kModelFile).string(), model::model_tensors(model));
  {
    torch::serialize::OutputArchive archive;
    optimizer.save(archive);
    archive.save_to((staging / kOptimizerFile).string());
  }
  save_rng(staging / kRngFile);
  {
    OutputFile out((staging / kStateFile).string());
    out << nlohmann::json{{"step", state.step}, {"sampler", state.sampler}, {"extra", state.extra}}.dump(2) << "\n";
    out.commit();
  }
  for (const char* file : {kModelFile, kOptimizerFile, kRngFile, kStateFile}) fsync_path(staging / file);
  fsync_path(staging);

  const fs::path final_path = root / name;
  if (fs::exists(final_path)) {
    // Same step written again (a resumed run repeating its last checkpoint step): move the old one
    // aside first; rename(2) cannot replace a non-empty folder.
    const fs::path old = root / (std::string(kPartialPrefix) + "replaced-" + name);
    fs::remove_all(old, error);
    fs::rename(final_path, old);
    fs::rename(staging, final_path);
    fs::remove_all(old, error);
  } else {
    fs::rename(staging, final_path);
  }
  fsync_path(root);

  std::vector<std::string> complete = list_checkpoints(root_path);
  const std::size_t keep = static_cast<std::size_t>(std::max(1, keep_last));
  for (std::size_t i = 0; i + keep < complete.size(); ++i) fs::remove_all(complete[i], error);
  return final_path.string();
}

std::vector<std::string> list_checkpoints(const std::string& root) {
  std::vector<std::pair<std::int64_t, std::string>> found;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(root, error)) {
    const std::int64_t step = step_of(entry.path().filename().string());
    if (step >= 0 && entry.is_directory() && is_complete(entry.path())) found.emplace_back(step, entry.path().string());
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> paths;
  for (auto& item : found) paths.push_back(std::move(item.second));
  return paths;
}

std::optional<std::string> latest_checkpoint(const std::string& root) {
  std::vector<std::string> all = list_checkpoints(root);
  if (all.empty()) return std::nullopt;
  return all.back();
}

CheckpointState read_checkpoint(const std::string& path, model::GenobirdModelImpl& model,
                                 torch::optim::Optimizer& optimizer, std::int64_t max_step) {
  const fs::path dir(path);
  const fs::path state_path = dir / kStateFile;
  const std::string state_name = state_path.string();
  limits::checked_file_size(state_name, limits::kMaxJsonBytes, "state.json");
  nlohmann::json json;
  {
    std::ifstream in(state_path);
    if (!in) throw IoError(with_errno("cannot read " + state_name));
    try {
      in >> json;
    } catch (const nlohmann::json::exception& e) {
      throw FormatError(state_name + ": not valid JSON: " + json_error_text(e.what()));
    }
  }
  if (!json.is_object()) throw FormatError(state_name + ": expected a JSON object with keys step, sampler, extra");
  CheckpointState state;
  auto step = json.find("step");
  if (step == json.end()) throw FormatError(state_name + ": missing field step");
  // A fractional, negative or huge step would make the training loop run from nonsense (or forever).
  if (!step->is_number_integer())
    throw FormatError(state_name + ": field step must be a non-negative integer, found " + step->dump());
  if (step->is_number_unsigned() && step->get<std::uint64_t>() > static_cast<std::uint64_t>(max_step))
    throw FormatError(limits::out_of_range_message(step->dump(), "step", state_name, "max " + std::to_string(max_step) + ", the run's --steps"));
  state.step = step->get<std::int64_t>();
  limits::check_range(state.step, 0, max_step, "step", state_name);
  const std::int64_t folder_step = step_of(dir.filename().string());
  if (folder_step >= 0 && folder_step != state.step)
    throw FormatError(state_name + ": field step is " + std::to_string(state.step) + " but the checkpoint folder is " +
                      dir.filename().string());
  auto sampler = json.find("sampler");
  if (sampler == json.end() || !sampler->is_object())
    throw FormatError(state_name + ": field sampler must be an object");
  for (const auto& [key, value] : sampler->items()) {
    if (!value.is_number_integer() || value.get<std::int64_t>() < 0)
      throw FormatError(state_name + ": field sampler." + key + " must be a non-negative integer, found " + value.dump());
  }
  state.sampler = *sampler;
  auto extra = json.find("extra");
  if (extra != json.end() && !extra->is_object()) throw FormatError(state_name + ": field extra must be an object");
  state.extra = extra != json.end() ? *extra : nlohmann::json::object();

  const std::string model_path = (dir / kModelFile).string();
  model::load_model_tensors(model, model::read_safetensors(model_path).tensors, model_path);
  // torch's archive reader reports damage in its own words ("PytorchStreamReader failed ..."); the user
  // needs the file and what it should have been.
  const std::string optimizer_path = (dir / kOptimizerFile).string();
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(optimizer_path);
    optimizer.load(archive);
  } catch (const std::exception&) {
    throw FormatError(optimizer_path + ": not a readable optimizer state (a torch archive of this model's AdamW "
                      "moments); the checkpoint is damaged: remove " + path + " to resume from an older one");
  }
  const std::string rng_path = (dir / kRngFile).string();
  try {
    load_rng(rng_path);
  } catch (const std::exception&) {
    throw FormatError(rng_path + ": not a readable random-generator state (a torch archive); the checkpoint is "
                      "damaged: remove " + path + " to resume from an older one");
  }
  return state;
}

}  // namespace genobird::train
