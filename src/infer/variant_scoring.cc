#include "infer/variant_scoring.h"

#include <cmath>
#include <optional>

#include "infer/region_scoring.h"
#include "infer/site_scoring.h"
#include "infer/variant_effects.h"
#include "io/indexed_fasta.h"
#include "io/sequence.h"
#include "io/vcf.h"
#include "util/error.h"
#include "util/log.h"
#include "util/output_file.h"
#include "util/progress.h"

namespace genobird::infer {
namespace {

// Why a record cannot be scored against this genome, or "".
std::string invalid_reason(const io::IndexedFasta& genome, const io::VcfRecord& record) {
  if (!genome.contains(record.chrom))
    return "chromosome \"" + record.chrom + "\" is not in the genome " + genome.path();
  const std::uint64_t length = genome.length(record.chrom);
  if (record.ref.empty()) return "REF is empty";
  if (record.end() > length)
    return "REF ends at " + std::to_string(record.end()) + ", past the end of " + record.chrom + " (" +
           std::to_string(length) + " bp in " + genome.path() + ")";
  std::string expected = genome.fetch(record.chrom, record.pos, record.end());
  std::string given = record.ref;
  io::to_upper_inplace(expected);
  io::to_upper_inplace(given);
  if (given != expected)
    return "REF " + record.ref + " does not match the genome at " + record.chrom + ":" + std::to_string(record.pos + 1) +
           " (" + expected + " in " + genome.path() + ")";
  return "";
}

}  // namespace

VariantSummary score_variants(ScoringEngine& engine, const std::string& genome_path, const std::string& vcf_path,
                              const std::string& output_path, const VariantOptions& options) {
  const std::int64_t window_bp = resolve_window_bp(engine, options.window_bp);
  io::IndexedFasta genome(genome_path);
  io::VcfReader reader(vcf_path, options.region);
  VariantSummary summary;
  const std::size_t width = engine.outputs().size();

  const bool vcf_out = io::is_vcf_path(output_path);
  std::optional<io::VcfWriter> vcf;
  std::optional<OutputFile> tsv;
  if (vcf_out) {
    std::vector<io::InfoField> fields;
    const auto ids = effect_info_ids(engine);
    const auto descriptions = effect_info_descriptions(engine);
    for (std::size_t i = 0; i < ids.size(); ++i) fields.push_back({ids[i], descriptions[i]});
    vcf.emplace(output_path, reader, fields);
  } else {
    tsv.emplace(output_path);
    *tsv << "chrom\tpos\tid\tref\talt" << effect_header(engine) << "\tpadded_bp\trecord\n";
  }

  Progress progress("variants", "records");
  std::uint64_t index = 0;
  std::function<bool(Site&, io::VcfRecord&)> next_site = [&](Site& site, io::VcfRecord& record) {
    for (;;) {
      if (!reader.next(record)) return false;
      const std::uint64_t k = index++;
      ++summary.records;
      if (k % options.shard_count == options.shard_index) break;
    }
    site.chrom = record.chrom;
    site.start = record.pos;
    site.end = record.end();
    site.alts = record.alts;
    site.scored.assign(record.alts.size(), false);
    const std::string problem = invalid_reason(genome, record);
    if (!problem.empty()) {
      if (!options.skip_invalid) reader.fail(record, problem + " (--skip-invalid leaves such records out)");
      LOG_WARN(reader.path() << ": " << io::VcfReader::where(record) << ": " << problem << "; record skipped");
      ++summary.skipped_invalid;
      return true;
    }
    for (std::size_t a = 0; a < record.alts.size(); ++a) {
      site.scored[a] = !io::is_symbolic_allele(record.alts[a]);
      if (!site.scored[a]) ++summary.skipped_symbolic;
    }
    return true;
  };

  std::string text;
  std::vector<std::vector<float>> info;
  std::function<void(const Site&, const io::VcfRecord&, const SiteScores&)> take =
      [&](const Site& site, const io::VcfRecord& record, const SiteScores& scores) {
        progress.add(1);
        if (scores.ref) {
          ++summary.scored_records;
          if (!scores.ref_shared) ++summary.windows;
          if (scores.padded_bp > 0) ++summary.padded;
        }
        if (vcf) {
          info.assign(scores.ref ? width * 4 : 0, std::vector<float>(site.alts.size(), std::nanf("")));
          std::vector<float> values;
          for (std::size_t a = 0; a < site.alts.size(); ++a) {
            if (!scores.alt[a]) continue;
            effect_values(scores.ref, scores.alt[a], width, values);
            for (std::size_t f = 0; f < values.size(); ++f) info[f][a] = values[f];
          }
          vcf->write(record, info);
        }
        text.clear();
        for (std::size_t a = 0; a < site.alts.size(); ++a) {
          if (!scores.alt[a]) continue;
          ++summary.scored_alleles;
          ++summary.windows;
          if (!tsv) continue;
          text += record.chrom + '\t' + std::to_string(record.pos + 1) + '\t' + record.id + '\t' + record.ref + '\t' +
                  site.alts[a];
          append_effects(text, scores.ref, scores.alt[a], width);
          text += '\t' + std::to_string(scores.padded_bp) + '\t' + std::to_string(record.ordinal) + '\n';
        }
        if (tsv) {
          *tsv << text;
          tsv->commit_chunk();
        }
      };
  score_sites<io::VcfRecord>(engine, genome, window_bp, options.chunk_windows, options.chunks_ahead, next_site, take);
  progress.finish();
  if (vcf) vcf->commit();
  if (tsv) tsv->commit();
  return summary;
}

}  // namespace genobird::infer
