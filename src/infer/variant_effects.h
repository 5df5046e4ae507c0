// The effect of an alternate allele on the model's outputs, and how `variants` and `mutagenesis` write it.
//
// Per output column (a head label): the reference window's probability, the alternate window's, their
// difference alt - ref, and the log odds ratio log(p_alt / (1 - p_alt)) - log(p_ref / (1 - p_ref)). For
// the log odds both probabilities are first clamped to [1e-6, 1 - 1e-6], so a saturated output (float
// probabilities reach exactly 0 or 1) gives a large finite ratio (at most about +-27.6) instead of inf/NaN.
#pragma once

#include <string>
#include <vector>

#include "infer/scoring_engine.h"

namespace genobird::infer {

constexpr double kLogOddsClamp = 1e-6;

double log_odds_ratio(double p_ref, double p_alt);

// TSV header fragment: "\tCOL_ref\tCOL_alt\tCOL_diff\tCOL_log_odds" per output column.
std::string effect_header(const ScoringEngine& engine);
// The matching values: probabilities with predict's 4 decimals, the difference with 6, the log odds with 4.
void append_effects(std::string& line, const float* ref, const float* alt, std::size_t width);

// INFO field ids of the VCF output, 4 per output column in effect_header's order: GB_<COL>_REF, _ALT, _DIFF,
// _LOR, where COL is the column name with characters outside [A-Za-z0-9_] replaced by '_'.
std::vector<std::string> effect_info_ids(const ScoringEngine& engine);
std::vector<std::string> effect_info_descriptions(const ScoringEngine& engine);
// The 4 values per column for one ALT, in effect_info_ids' order.
void effect_values(const float* ref, const float* alt, std::size_t width, std::vector<float>& out);

}  // namespace genobird::infer
