// genobird.json, the model directory's own metadata (see model_dir.h), read and written without torch.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/head_spec.h"

namespace genobird::model {

// genobird.json apart from the heads, which the model itself carries.
struct ModelInfo {
  std::int64_t window_bp = 0;                              // DNA window length the model expects; 0: not set
  nlohmann::json provenance = nlohmann::json::object();    // command line, data, steps, metrics, ...
};

// genobird.json <-> heads + info.
nlohmann::json metadata_to_json(const std::vector<HeadSpec>& heads, const ModelInfo& info);
// Errors name the field ("heads[1].labels must be an array of strings, found string"); sizes beyond
// util/limits.h (window_bp, labels, heads) name `source`.
void metadata_from_json(const nlohmann::json& json, std::vector<HeadSpec>& heads, ModelInfo& info,
                        const std::string& source = "genobird.json");

}  // namespace genobird::model
