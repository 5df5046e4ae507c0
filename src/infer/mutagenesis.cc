#include "infer/mutagenesis.h"

#include <chrono>
#include <cmath>
#include <optional>

#include "infer/genome_annotation.h"
#include "infer/heatmap_svg.h"
#include "infer/region_scoring.h"
#include "infer/site_scoring.h"
#include "infer/variant_effects.h"
#include "io/genome_region.h"
#include "io/indexed_fasta.h"
#include "io/sequence.h"
#include "util/error.h"
#include "util/output_file.h"
#include "util/progress.h"

namespace genobird::infer {
namespace {

constexpr const char* kBases = "ACGT";

// The region to mutate: --region, or the genome's only sequence.
io::GenomeRegion mutated_region(const io::IndexedFasta& genome, const std::string& text) {
  if (!text.empty()) return io::parse_genome_region(genome, text, "--region");
  if (genome.names().size() != 1)
    throw UsageError(genome.path() + " has " + std::to_string(genome.names().size()) +
                     " sequences: say which with --region CHR:START-END");
  return io::parse_genome_region(genome, genome.names().front(), "--region");
}

// The output column the plot shows: a column name or label as given, else annotate's choice for a head.
std::size_t plotted_column(const ScoringEngine& engine, const std::string& requested) {
  const auto& outputs = engine.outputs();
  for (std::size_t i = 0; i < outputs.size() && !requested.empty(); ++i)
    if (outputs[i].column == requested || outputs[i].label == requested) return i;
  return track_columns(engine, requested).front();
}

}  // namespace

MutagenesisSummary saturation_mutagenesis(ScoringEngine& engine, const std::string& genome_path,
                                          const std::string& output_path, const MutagenesisOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const std::int64_t window_bp = resolve_window_bp(engine, options.window_bp);
  io::IndexedFasta genome(genome_path);
  const io::GenomeRegion stretch = mutated_region(genome, options.region);
  const std::size_t column = plotted_column(engine, options.head);
  std::string sequence = genome.fetch(stretch.chrom, stretch.start, stretch.end);
  io::to_upper_inplace(sequence);

  MutagenesisSummary summary;
  summary.chrom = stretch.chrom;
  summary.start = stretch.start;
  summary.end = stretch.end;
  const std::size_t width = engine.outputs().size();
  OutputFile out(output_path);
  std::optional<OutputFile> plot;  // opened now, so that a plot that cannot be written fails before the work
  if (!options.plot_path.empty()) plot.emplace(options.plot_path);
  out << "chrom\tpos\tref\talt" << effect_header(engine) << "\n";
  MutationMap map;
  map.sequence = sequence;
  map.first_position = stretch.start + 1;
  map.effects.assign(sequence.size() * 4, std::nanf(""));

  Progress progress("mutagenesis", "bp", sequence.size());
  std::size_t next = 0;
  std::function<bool(Site&, std::size_t&)> next_site = [&](Site& site, std::size_t& offset) {
    for (; next < sequence.size(); ++next) {
      const char base = sequence[next];
      if (base == 'A' || base == 'C' || base == 'G' || base == 'T') break;
      ++summary.skipped_positions;
    }
    if (next == sequence.size()) return false;
    offset = next++;
    site.chrom = stretch.chrom;
    site.start = stretch.start + offset;
    site.end = site.start + 1;
    site.alts.clear();
    for (const char* b = kBases; *b; ++b)
      if (*b != sequence[offset]) site.alts.emplace_back(1, *b);
    site.scored.assign(3, true);
    return true;
  };
  std::string text;
  std::function<void(const Site&, const std::size_t&, const SiteScores&)> take =
      [&](const Site& site, const std::size_t& offset, const SiteScores& scores) {
        text.clear();
        summary.windows += 1 + site.alts.size();
        for (std::size_t a = 0; a < site.alts.size(); ++a) {
          text += site.chrom + '\t' + std::to_string(site.start + 1) + '\t' + sequence[offset] + '\t' + site.alts[a];
          append_effects(text, scores.ref, scores.alt[a], width);
          text += '\n';
          const std::size_t b = std::string(kBases).find(site.alts[a][0]);
          map.effects[offset * 4 + b] = scores.alt[a][column] - scores.ref[column];
          ++summary.substitutions;
        }
        out << text;
        out.commit_chunk();
        progress.add(1);
      };
  score_sites<std::size_t>(engine, genome, window_bp, options.chunk_windows, options.chunks_ahead, next_site, take);
  progress.finish();

  if (plot) {
    map.title = stretch.chrom + ":" + std::to_string(stretch.start + 1) + "-" + std::to_string(stretch.end) + ", " +
                engine.outputs()[column].column + " (saturation mutagenesis)";
    map.value_label = engine.outputs()[column].column + " probability, alt - ref";
    *plot << mutation_heatmap_svg(map);
  }
  out.commit();
  if (plot) plot->commit();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace genobird::infer
