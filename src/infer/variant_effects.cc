#include "infer/variant_effects.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "infer/region_scoring.h"

namespace genobird::infer {

double log_odds_ratio(double p_ref, double p_alt) {
  auto logit = [](double p) {
    p = std::clamp(p, kLogOddsClamp, 1.0 - kLogOddsClamp);
    return std::log(p / (1.0 - p));
  };
  return logit(p_alt) - logit(p_ref);
}

std::string effect_header(const ScoringEngine& engine) {
  std::string header;
  for (const auto& column : engine.outputs())
    for (const char* part : {"_ref", "_alt", "_diff", "_log_odds"}) header += "\t" + column.column + part;
  return header;
}

void append_effects(std::string& line, const float* ref, const float* alt, std::size_t width) {
  char text[48];
  for (std::size_t k = 0; k < width; ++k) {
    line += '\t';
    append_probability(line, ref[k]);
    line += '\t';
    append_probability(line, alt[k]);
    std::snprintf(text, sizeof text, "\t%.6f\t%.4f", static_cast<double>(alt[k]) - static_cast<double>(ref[k]),
                  log_odds_ratio(ref[k], alt[k]));
    line += text;
  }
}

std::vector<std::string> effect_info_ids(const ScoringEngine& engine) {
  std::vector<std::string> ids;
  for (const auto& column : engine.outputs()) {
    std::string name = column.column;
    for (char& c : name)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
    for (const char* part : {"_REF", "_ALT", "_DIFF", "_LOR"}) ids.push_back("GB_" + name + part);
  }
  return ids;
}

std::vector<std::string> effect_info_descriptions(const ScoringEngine& engine) {
  std::vector<std::string> descriptions;
  for (const auto& column : engine.outputs()) {
    const std::string what = "genobird " + column.column + " probability";
    descriptions.push_back(what + " of the reference window centred on the variant");
    descriptions.push_back(what + " of the window with the alternate allele");
    descriptions.push_back(what + ": alternate minus reference");
    descriptions.push_back("genobird " + column.column +
                           ": log odds ratio, logit(alt) - logit(ref), probabilities clamped to [1e-6, 1-1e-6]");
  }
  return descriptions;
}

void effect_values(const float* ref, const float* alt, std::size_t width, std::vector<float>& out) {
  out.clear();
  for (std::size_t k = 0; k < width; ++k) {
    out.push_back(ref[k]);
    out.push_back(alt[k]);
    out.push_back(alt[k] - ref[k]);
    out.push_back(static_cast<float>(log_odds_ratio(ref[k], alt[k])));
  }
}

}  // namespace genobird::infer
