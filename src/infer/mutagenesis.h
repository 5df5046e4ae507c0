// `genobird mutagenesis`: in-silico saturation mutagenesis of a stretch of a genome.
//
// Every position of the region whose reference base is A, C, G or T is changed to each of the 3 other bases
// and scored exactly as `variants` scores a SNV there (site_scoring.h: the reference window centred on the
// base, scored once, and one window per substitution), so a row equals the `variants` row of the same SNV.
// Positions with another base (N, IUPAC codes) are left out.
//
// Output: a TSV with a header, one row per substitution in position order, alternate bases in the order
// A, C, G, T: chrom, pos (1-based), ref, alt and the 4 effect columns per output column (variant_effects.h).
// With plot_path, an SVG heat map (heatmap_svg.h) of the `diff` of one output column.
#pragma once

#include <cstdint>
#include <string>

#include "infer/scoring_engine.h"

namespace genobird::infer {

struct MutagenesisOptions {
  std::int64_t window_bp = 0;  // 0: the model's window_bp
  std::string region;          // CHR:START-END (1-based, inclusive) or CHR; "" : the genome's only sequence
  std::string head;            // plotted column: a column name, a label, or a head (annotate's rule); "" : default head
  std::string plot_path;       // "" : no plot
  std::size_t chunk_windows = 256;
  std::size_t chunks_ahead = 2;
};

struct MutagenesisSummary {
  std::string chrom;
  std::uint64_t start = 0, end = 0;  // 0-based half-open
  std::uint64_t substitutions = 0;
  std::uint64_t skipped_positions = 0;  // reference base not A/C/G/T
  std::uint64_t windows = 0;
  double seconds = 0;
};

MutagenesisSummary saturation_mutagenesis(ScoringEngine& engine, const std::string& genome_path,
                                          const std::string& output_path, const MutagenesisOptions& options);

}  // namespace genobird::infer
