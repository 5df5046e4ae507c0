// The model directory, the unit pretraining writes and finetuning, prediction and annotation read:
//   config.json        HuggingFace BigBirdConfig keys (+ architectures, id2label/label2id/problem_type of
//                      the first classification head)
//   model.safetensors  tensors under HuggingFace's names (see model.h); the tied MLM decoder is not stored
//   tokenizer.json     the HuggingFace tokenizers file the model was trained with
//   genobird.json      {"format_version": 1, "heads": [{"name", "kind": "mlm"|"classification", "labels",
//                      "problem_type"}], "window_bp", "provenance": {...}}
// Everything here throws ModelError (with the file named) for content that does not fit, IoError for
// files that cannot be read or written. Writes are atomic per file.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <c10/core/Device.h>
#include <nlohmann/json.hpp>

#include "model/model.h"
#include "model/model_metadata.h"

namespace genobird::model {

struct LoadedModel {
  GenobirdModel model{nullptr};  // in eval mode, on the requested device
  ModelInfo info;
  std::string tokenizer_path;    // DIR/tokenizer.json
};

// Creates DIR if needed and writes the four files; `tokenizer_json` is copied unless it already is
// DIR/tokenizer.json.
void save_model_dir(const std::string& dir, GenobirdModelImpl& model, const ModelInfo& info,
                    const std::string& tokenizer_json);

LoadedModel load_model_dir(const std::string& dir, const c10::Device& device = c10::Device(c10::kCPU));

// The tensors a model saves, by HuggingFace name (tied copies left out).
std::map<std::string, at::Tensor> model_tensors(GenobirdModelImpl& model);

// Copies `tensors` into the model's parameters. Every expected tensor must be present with its shape and
// a floating-point dtype (converted to the parameter's), except bert.pooler.*, which older MLM-only
// directories lack (the model's own values are kept); otherwise one ModelError lists, by name, the
// missing, unexpected and mis-shaped tensors ("expected [256, 256], found [256, 128]"). `source` names the
// file in the message.
void load_model_tensors(GenobirdModelImpl& model, const std::map<std::string, at::Tensor>& tensors,
                        const std::string& source);

// config.json for a model: its config plus the HuggingFace task keys its heads imply.
nlohmann::json hf_config_json(const BigBirdConfig& config, const std::vector<HeadSpec>& heads);

}  // namespace genobird::model
