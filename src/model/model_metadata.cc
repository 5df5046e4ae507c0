#include "model/model_metadata.h"

#include <cmath>
#include <cstdio>

#include "util/error.h"
#include "util/limits.h"

namespace genobird::model {

namespace {
constexpr int kFormatVersion = 1;
}  // namespace

const char* pooling_name(Pooling pooling) { return pooling == Pooling::kMean ? "mean" : "cls"; }

Pooling parse_pooling(const std::string& name) {
  if (name == "cls") return Pooling::kFirst;
  if (name == "mean") return Pooling::kMean;
  throw ModelError("pooling must be cls or mean, found \"" + name + "\"");
}

nlohmann::json metadata_to_json(const std::vector<HeadSpec>& heads, const ModelInfo& info) {
  nlohmann::json json;
  json["format_version"] = kFormatVersion;
  json["heads"] = nlohmann::json::array();
  for (const auto& head : heads) {
    nlohmann::json h = {{"name", head.name}};
    if (head.kind == HeadKind::kMaskedLm) {
      h["kind"] = "mlm";
    } else {
      h["kind"] = "classification";
      h["labels"] = head.labels;
      h["problem_type"] = head.multi_label ? "multi_label_classification" : "single_label_classification";
      h["pooling"] = pooling_name(head.pooling);
    }
    json["heads"].push_back(h);
  }
  json["window_bp"] = info.window_bp;
  json["provenance"] = info.provenance;
  return json;
}

namespace {

// The value of `key` in `object` (named `where` in messages, e.g. "heads[1]"), of JSON type `type`;
// nullptr when absent and not required. Mistyped keys name the field, its expected and its found type.
const nlohmann::json* field(const nlohmann::json& object, const std::string& where, const char* key,
                            nlohmann::json::value_t type, const char* type_name, bool required) {
  const std::string name = where.empty() ? key : where + "." + key;
  auto it = object.find(key);
  if (it == object.end()) {
    if (required) throw ModelError("missing field " + name);
    return nullptr;
  }
  const bool integer_wanted = type == nlohmann::json::value_t::number_integer;
  const bool ok = integer_wanted ? it->is_number_integer() : it->type() == type;
  if (!ok) throw ModelError("field " + name + " must be " + type_name + ", found " + it->type_name() + " " + it->dump());
  return &*it;
}

std::string string_field(const nlohmann::json& object, const std::string& where, const char* key, bool required,
                         const std::string& fallback = "") {
  const auto* value = field(object, where, key, nlohmann::json::value_t::string, "a string", required);
  return value ? value->get<std::string>() : fallback;
}

}  // namespace

void metadata_from_json(const nlohmann::json& json, std::vector<HeadSpec>& heads, ModelInfo& info,
                        const std::string& source) {
  using value_t = nlohmann::json::value_t;
  if (!json.is_object()) throw ModelError(std::string("expected a JSON object, found ") + json.type_name());
  const auto* version = field(json, "", "format_version", value_t::number_integer, "an integer", false);
  if (!version || *version != kFormatVersion)
    throw ModelError("format_version must be " + std::to_string(kFormatVersion) + ", found " +
                     (version ? version->dump() : std::string("nothing")));
  heads.clear();
  const auto& head_list = *field(json, "", "heads", value_t::array, "an array", true);
  limits::check_range(static_cast<std::int64_t>(head_list.size()), 0, limits::kMaxModelHeads, "heads", source);
  for (std::size_t i = 0; i < head_list.size(); ++i) {
    const std::string where = "heads[" + std::to_string(i) + "]";
    const nlohmann::json& h = head_list[i];
    if (!h.is_object()) throw ModelError("field " + where + " must be an object, found " + h.type_name());
    HeadSpec head;
    head.name = string_field(h, where, "name", true);
    const std::string kind = string_field(h, where, "kind", true);
    if (kind == "mlm") {
      head.kind = HeadKind::kMaskedLm;
    } else if (kind == "classification") {
      head.kind = HeadKind::kClassification;
      const auto& labels = *field(h, where, "labels", value_t::array, "an array of strings", true);
      limits::check_range(static_cast<std::int64_t>(labels.size()), 1, limits::kMaxLabels, where + ".labels", source);
      for (std::size_t j = 0; j < labels.size(); ++j) {
        if (!labels[j].is_string())
          throw ModelError("field " + where + ".labels[" + std::to_string(j) + "] must be a string, found " +
                           labels[j].type_name());
        head.labels.push_back(labels[j].get<std::string>());
      }
      std::string problem = string_field(h, where, "problem_type", false, "multi_label_classification");
      if (problem != "multi_label_classification" && problem != "single_label_classification")
        throw ModelError("head \"" + head.name + "\": problem_type must be multi_label_classification or "
                         "single_label_classification, found \"" + problem + "\"");
      head.multi_label = problem == "multi_label_classification";
      head.pooling = parse_pooling(string_field(h, where, "pooling", false, "cls"));
    } else {
      throw ModelError("head \"" + head.name + "\": kind must be mlm or classification, found \"" + kind + "\"");
    }
    heads.push_back(std::move(head));
  }
  auto window_it = json.find("window_bp");
  if (window_it != json.end() && window_it->is_number_float()) {
    // Integral floats (1e15, as some JSON writers print large numbers) are read as the integers they are.
    const double value = window_it->get<double>();
    if (std::floor(value) != value) throw ModelError("field window_bp must be an integer, found " + window_it->dump());
    if (value < 0 || value > static_cast<double>(limits::kMaxWindowBp)) {
      char text[64];
      std::snprintf(text, sizeof text, "%.0f", value);
      throw FormatError(limits::out_of_range_message(text, "window_bp", source,
                                                     value < 0 ? "min 0" : "max " + std::to_string(limits::kMaxWindowBp)));
    }
    info.window_bp = static_cast<std::int64_t>(value);
  }
  const auto* window = window_it != json.end() && window_it->is_number_float()
                           ? nullptr
                           : field(json, "", "window_bp", value_t::number_integer, "an integer", false);
  if (window) {
    if (window->is_number_unsigned() && window->get<std::uint64_t>() > static_cast<std::uint64_t>(limits::kMaxWindowBp))
      throw FormatError(limits::out_of_range_message(window->dump(), "window_bp", source,
                                                     "max " + std::to_string(limits::kMaxWindowBp)));
    info.window_bp = window->get<std::int64_t>();
    limits::check_range(info.window_bp, 0, limits::kMaxWindowBp, "window_bp", source);
  }
  const auto* provenance = field(json, "", "provenance", value_t::object, "an object", false);
  info.provenance = provenance ? *provenance : nlohmann::json::object();
}

}  // namespace genobird::model
