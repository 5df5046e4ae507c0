#include "model/safetensors_header.h"

#include <algorithm>
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "util/error.h"

namespace genobird::model {
namespace {

struct Dtype {
  const char* name;
  std::uint64_t size;
};
constexpr Dtype kDtypes[] = {{"F64", 8}, {"F32", 4}, {"F16", 2}, {"BF16", 2}, {"I64", 8},
                             {"I32", 4}, {"I16", 2}, {"I8", 1},  {"U8", 1},   {"BOOL", 1}};

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw FormatError(path + ": not a valid safetensors file: " + what);
}

std::uint64_t get_offset(const std::string& path, const std::string& name, const nlohmann::json& value) {
  if (!value.is_number_unsigned()) fail(path, "tensor \"" + name + "\": data_offsets must be non-negative integers");
  return value.get<std::uint64_t>();
}

SafetensorsEntry parse_entry(const std::string& path, const std::string& name, const nlohmann::json& spec) {
  const std::string where = "tensor \"" + name + "\": ";
  if (name.empty()) fail(path, "empty tensor name");
  if (!spec.is_object() || spec.size() != 3 || !spec.contains("dtype") || !spec.contains("shape") ||
      !spec.contains("data_offsets"))
    fail(path, where + "expected {\"dtype\", \"shape\", \"data_offsets\"}, found " + spec.dump());
  SafetensorsEntry entry;
  entry.name = name;
  const auto& dtype = spec["dtype"];
  if (!dtype.is_string()) fail(path, where + "dtype must be a string");
  entry.dtype = dtype.get<std::string>();
  entry.element_size = safetensors_element_size(entry.dtype);
  if (entry.element_size == 0) fail(path, where + "unsupported dtype " + dtype.dump());

  const auto& shape = spec["shape"];
  if (!shape.is_array() || shape.size() > 16) fail(path, where + "shape must be an array of at most 16 sizes");
  std::uint64_t bytes = entry.element_size;
  for (const auto& dim : shape) {
    if (!dim.is_number_unsigned()) fail(path, where + "shape entries must be non-negative integers");
    auto size = dim.get<std::uint64_t>();
    if (size > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) ||
        __builtin_mul_overflow(bytes, size, &bytes))
      fail(path, where + "shape " + shape.dump() + " is too large");
    entry.shape.push_back(static_cast<std::int64_t>(size));
  }
  const auto& offsets = spec["data_offsets"];
  if (!offsets.is_array() || offsets.size() != 2) fail(path, where + "data_offsets must be [begin, end]");
  entry.begin = get_offset(path, name, offsets[0]);
  entry.end = get_offset(path, name, offsets[1]);
  if (entry.end < entry.begin) fail(path, where + "data_offsets end before they begin");
  if (entry.end - entry.begin != bytes)
    fail(path, where + "data_offsets span " + std::to_string(entry.end - entry.begin) + " bytes but " +
                   entry.dtype + " " + shape.dump() + " needs " + std::to_string(bytes));
  return entry;
}

}  // namespace

std::uint64_t safetensors_element_size(const std::string& dtype) {
  for (const auto& d : kDtypes)
    if (dtype == d.name) return d.size;
  return 0;
}

SafetensorsHeader parse_safetensors_header(const std::string& header, std::uint64_t data_size, const std::string& path) {
  // Keys seen in each open object, to refuse repeated ones (nlohmann would keep the last silently).
  std::vector<std::set<std::string>> open_objects;
  auto reject_duplicates = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using event_t = nlohmann::json::parse_event_t;
    if (event == event_t::object_start) {
      open_objects.emplace_back();
    } else if (event == event_t::object_end) {
      open_objects.pop_back();
    } else if (event == event_t::key && !open_objects.back().insert(parsed.get<std::string>()).second) {
      fail(path, "the header repeats the key \"" + parsed.get<std::string>() + "\"");
    }
    return true;
  };
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(header, reject_duplicates);
  } catch (const nlohmann::json::exception& e) {
    fail(path, "header is not JSON: " + json_error_text(e.what()));
  }
  if (!json.is_object()) fail(path, "header is not a JSON object");

  SafetensorsHeader result;
  for (auto it = json.begin(); it != json.end(); ++it) {
    if (it.key() == "__metadata__") {
      if (!it->is_object()) fail(path, "__metadata__ must be an object of strings");
      for (auto m = it->begin(); m != it->end(); ++m) {
        if (!m->is_string()) fail(path, "__metadata__ value of \"" + m.key() + "\" is not a string");
        result.metadata[m.key()] = m->get<std::string>();
      }
      continue;
    }
    result.entries.push_back(parse_entry(path, it.key(), *it));
  }

  // The offsets must tile [0, data size) exactly.
  auto& entries = result.entries;
  std::sort(entries.begin(), entries.end(), [](const SafetensorsEntry& a, const SafetensorsEntry& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  std::uint64_t expected_begin = 0;
  for (const auto& e : entries) {
    if (e.begin != expected_begin)
      fail(path, "tensor \"" + e.name + "\" starts at data offset " + std::to_string(e.begin) + ", expected " +
                     std::to_string(expected_begin) + (e.begin < expected_begin ? " (overlap)" : " (gap)"));
    if (e.end > data_size)
      fail(path, "tensor \"" + e.name + "\" ends at data offset " + std::to_string(e.end) +
                     " beyond the data's " + std::to_string(data_size) + " bytes (truncated file?)");
    expected_begin = e.end;
  }
  if (expected_begin != data_size)
    fail(path, std::to_string(data_size - expected_begin) + " bytes after the last tensor's data");
  return result;
}

}  // namespace genobird::model
