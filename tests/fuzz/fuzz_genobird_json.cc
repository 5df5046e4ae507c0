// genobird.json through metadata_from_json, and what it read back through metadata_to_json.
#include <nlohmann/json.hpp>

#include "model/model_metadata.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  nlohmann::json json = nlohmann::json::parse(data, data + size, nullptr, false);
  if (json.is_discarded()) return 0;
  try {
    std::vector<genobird::model::HeadSpec> heads;
    genobird::model::ModelInfo info;
    genobird::model::metadata_from_json(json, heads, info, "genobird.json");
    genobird::model::metadata_to_json(heads, info).dump();
  } catch (const genobird::Error&) {
  }
  return 0;
}
