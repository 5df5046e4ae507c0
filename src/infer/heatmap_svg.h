// The SVG of `mutagenesis --plot`: a heat map of effects (positions x the bases A, C, G, T) under the
// sequence, whose letters are scaled by each position's mean effect so that motifs stand out. No plotting
// library; the document is plain SVG 1.1 text.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace genobird::infer {

struct MutationMap {
  std::string title;              // e.g. "chr2R:1001-2000, promoter"
  std::string value_label;        // e.g. "promoter probability: alt - ref"
  std::uint64_t first_position = 1;  // 1-based coordinate of the first base (axis labels)
  std::string sequence;           // reference bases, one per position
  std::vector<float> effects;     // [positions][4] (A, C, G, T); NaN for the reference base or unscored
};

// Cells are coloured blue (the alternate base lowers the value) to white (0) to red (raises it), scaled to
// the largest |effect|. A letter stands above the baseline with a height proportional to minus the mean
// effect of its 3 substitutions (a base whose change lowers the value: important) and hangs below it when
// the changes raise the value.
std::string mutation_heatmap_svg(const MutationMap& map);

}  // namespace genobird::infer
