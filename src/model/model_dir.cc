#include "model/model_dir.h"

#include <ATen/core/grad_mode.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "model/safetensors.h"
#include "util/error.h"
#include "util/limits.h"
#include "util/output_file.h"

namespace genobird::model {
namespace {

namespace fs = std::filesystem;


// Names HuggingFace may store that are copies of, or derived from, tensors we already hold.
const std::set<std::string> kIgnoredNames = {"cls.predictions.decoder.weight", "cls.predictions.decoder.bias",
                                             "bert.embeddings.position_ids"};

// Names a file may lack: model directories written before MLM-only models carried the pooler. No genobird
// head reads it, so such a model keeps its freshly initialised pooler.
const std::set<std::string> kOptionalNames = {"bert.pooler.weight", "bert.pooler.bias"};

std::string shape_text(at::IntArrayRef sizes) {
  std::ostringstream out;
  out << "[";
  for (std::size_t i = 0; i < sizes.size(); ++i) out << (i ? ", " : "") << sizes[i];
  out << "]";
  return out.str();
}

nlohmann::json read_json_file(const std::string& path) {
  limits::checked_file_size(path, limits::kMaxJsonBytes, fs::path(path).filename().string());
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(with_errno("cannot open " + path));
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path, 0, "not valid JSON: " + json_error_text(e.what()));
  }
}

void write_text_file(const std::string& path, const std::string& text) {
  OutputFile out(path);
  out.write(text);
  out.commit();
}

void append_list(std::ostringstream& out, const char* title, const std::vector<std::string>& items) {
  if (items.empty()) return;
  constexpr std::size_t kShown = 12;
  out << "\n  " << title << " (" << items.size() << "):";
  for (std::size_t i = 0; i < items.size() && i < kShown; ++i) out << "\n    " << items[i];
  if (items.size() > kShown) out << "\n    ... and " << items.size() - kShown << " more";
}

}  // namespace

std::map<std::string, at::Tensor> model_tensors(GenobirdModelImpl& model) {
  std::map<std::string, at::Tensor> tensors;
  for (const auto& item : model.named_parameters()) tensors.emplace(item.key(), item.value());
  return tensors;
}

void load_model_tensors(GenobirdModelImpl& model, const std::map<std::string, at::Tensor>& tensors,
                        const std::string& source) {
  std::vector<std::string> missing, unexpected, mismatched;
  auto expected = model_tensors(model);
  for (const auto& [name, param] : expected) {
    auto it = tensors.find(name);
    if (it == tensors.end()) {
      if (!kOptionalNames.count(name)) missing.push_back(name + " " + shape_text(param.sizes()));
    } else if (it->second.sizes() != param.sizes()) {
      mismatched.push_back(name + ": expected " + shape_text(param.sizes()) + ", found " + shape_text(it->second.sizes()));
    } else if (!at::isFloatingType(it->second.scalar_type())) {
      mismatched.push_back(name + ": expected a floating-point tensor, found " + c10::toString(it->second.scalar_type()));
    }
  }
  for (const auto& [name, tensor] : tensors)
    if (!expected.count(name) && !kIgnoredNames.count(name)) unexpected.push_back(name + " " + shape_text(tensor.sizes()));
  if (!missing.empty() || !unexpected.empty() || !mismatched.empty()) {
    std::ostringstream message;
    message << source << ": tensors do not match the model described by config.json and genobird.json";
    append_list(message, "missing", missing);
    append_list(message, "unexpected", unexpected);
    append_list(message, "wrong shape or dtype", mismatched);
    throw ModelError(message.str());
  }
  at::NoGradGuard no_grad;
  for (auto& [name, param] : expected) {
    auto it = tensors.find(name);
    if (it != tensors.end()) param.copy_(it->second);
  }
}

nlohmann::json hf_config_json(const BigBirdConfig& config, const std::vector<HeadSpec>& heads) {
  nlohmann::json json = to_json(config);
  json["architectures"] = {"BigBirdForMaskedLM"};
  for (const char* key : {"id2label", "label2id", "problem_type", "num_labels", "classifier_pooling"}) json.erase(key);
  for (const auto& head : heads) {
    if (head.kind != HeadKind::kClassification) continue;
    json["architectures"] = {"BigBirdForSequenceClassification"};
    nlohmann::json id2label = nlohmann::json::object(), label2id = nlohmann::json::object();
    for (std::size_t i = 0; i < head.labels.size(); ++i) {
      id2label[std::to_string(i)] = head.labels[i];
      label2id[head.labels[i]] = i;
    }
    json["id2label"] = id2label;
    json["label2id"] = label2id;
    json["problem_type"] = head.multi_label ? "multi_label_classification" : "single_label_classification";
    if (head.pooling == Pooling::kMean) {
      // HuggingFace's BigBird classifier reads the first token only, so it would score this head wrongly:
      // declare the bare encoder, and say how the head pools (ModernBERT's key).
      json["architectures"] = {"BigBirdModel"};
      json["classifier_pooling"] = "mean";
    }
    break;  // HuggingFace's class has one classifier: the first
  }
  json["torch_dtype"] = "float32";
  return json;
}

void save_model_dir(const std::string& dir, GenobirdModelImpl& model, const ModelInfo& info,
                    const std::string& tokenizer_json) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) throw IoError("cannot create directory " + dir + ": " + error.message());
  const fs::path root(dir);
  write_safetensors((root / "model.safetensors").string(), model_tensors(model));
  write_text_file((root / "config.json").string(), hf_config_json(model.config(), model.heads()).dump(2) + "\n");
  write_text_file((root / "genobird.json").string(), metadata_to_json(model.heads(), info).dump(2) + "\n");
  const fs::path tokenizer_target = root / "tokenizer.json";
  if (!(fs::exists(tokenizer_target) && fs::equivalent(tokenizer_json, tokenizer_target))) {
    std::ifstream in(tokenizer_json, std::ios::binary);
    if (!in) throw IoError(with_errno("cannot open " + tokenizer_json));
    std::ostringstream bytes;
    bytes << in.rdbuf();
    write_text_file(tokenizer_target.string(), bytes.str());
  }
}

LoadedModel load_model_dir(const std::string& dir, const c10::Device& device) {
  const fs::path root(dir);
  if (!fs::is_directory(root)) throw IoError("model directory " + dir + " does not exist");
  const std::string config_path = (root / "config.json").string();
  const std::string meta_path = (root / "genobird.json").string();
  const std::string weights_path = (root / "model.safetensors").string();
  BigBirdConfig config = read_config_file(config_path);
  LoadedModel loaded;
  std::vector<HeadSpec> heads;
  try {
    metadata_from_json(read_json_file(meta_path), heads, loaded.info, meta_path);
  } catch (const ModelError& e) {
    throw ModelError(meta_path + ": " + e.what());
  }
  loaded.tokenizer_path = (root / "tokenizer.json").string();
  if (!fs::exists(loaded.tokenizer_path)) throw ModelError(dir + ": no tokenizer.json in the model directory");
  loaded.model = GenobirdModel(config, heads);
  load_model_tensors(*loaded.model, read_safetensors(weights_path).tensors, weights_path);
  loaded.model->to(device);
  loaded.model->eval();
  return loaded;
}

}  // namespace genobird::model
