#include "presets.h"

#include <algorithm>
#include <filesystem>
#include <vector>

#include "tokenizer/tokenizer.h"
#include "util/error.h"

namespace genobird::cli {

namespace fs = std::filesystem;

std::vector<fs::path> models_folders() {
  std::vector<fs::path> folders;
  std::error_code error;
  fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    for (fs::path dir = exe.parent_path(); !dir.empty() && dir != dir.root_path(); dir = dir.parent_path()) {
      folders.push_back(dir / "models");
      folders.push_back(dir / "share" / "genobird" / "models");
    }
  }
  folders.emplace_back(GENOBIRD_MODELS_DIR);
  return folders;
}

// A preset name ("small") or a path to a config JSON.
std::string resolve_preset(const std::string& name) {
  if (name.find('/') != std::string::npos || (name.size() > 5 && name.substr(name.size() - 5) == ".json")) {
    if (!fs::exists(name)) throw UsageError("--preset " + name + ": no such file");
    return name;
  }
  for (const auto& folder : models_folders()) {
    fs::path candidate = folder / (name + ".json");
    if (fs::exists(candidate)) return candidate.string();
  }
  std::vector<std::string> names;
  for (const auto& folder : models_folders()) {
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(folder, error))
      if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
    if (!names.empty()) break;
  }
  std::sort(names.begin(), names.end());
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  throw UsageError("--preset " + name + ": unknown preset" + (known.empty() ? "" : " (known: " + known + ")"));
}

void use_tokenizer_special_ids(model::BigBirdConfig& config) {
  config.pad_token_id = tokenizer::kPadId;
  config.bos_token_id = tokenizer::kClsId;
  config.eos_token_id = tokenizer::kSepId;
  config.sep_token_id = tokenizer::kSepId;
}

}  // namespace genobird::cli
