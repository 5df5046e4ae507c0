// config.json through the same path as read_config_file: JSON, then config_from_json with its limits.
#include <nlohmann/json.hpp>

#include "model/config.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  nlohmann::json json = nlohmann::json::parse(data, data + size, nullptr, false);
  if (json.is_discarded()) return 0;
  try {
    genobird::model::BigBirdConfig config = genobird::model::config_from_json(json, "config.json");
    genobird::model::to_json(config).dump();
  } catch (const genobird::Error&) {
  }
  return 0;
}
