#include "infer/region_scoring.h"

#include <cmath>
#include <cstdio>

#include "infer/prefetch_pipeline.h"
#include "infer/region_source.h"
#include "infer/windows.h"
#include "io/bed.h"
#include "io/indexed_fasta.h"
#include "io/sequence.h"
#include "io/sequence_reader.h"
#include "util/error.h"
#include "util/log.h"
#include "util/progress.h"

namespace genobird::infer {
namespace {

std::string output_header(const ScoringEngine& engine) {
  std::string header;
  for (const auto& column : engine.outputs()) header += "\t" + column.column;
  return header;
}

// The row's probabilities; NA for a window without a single A, C, G or T (an assembly gap), which the model
// would otherwise score as if N were DNA.
void append_scores(std::string& line, const std::vector<float>& scores, std::size_t row, std::size_t width, bool gap) {
  for (std::size_t k = 0; k < width; ++k) {
    line += '\t';
    if (gap) line += "NA";
    else append_probability(line, scores[row * width + k]);
  }
}

struct RegionRow {
  std::string columns;      // the region's columns, tab-joined
  std::uint64_t padded_bp = 0;
  bool gap = false;
};

struct RecordRow {
  std::string name;
  std::uint64_t scored_bp = 0;  // the bases the model read: the window, or the whole record when shorter
  bool gap = false;
};

}  // namespace

void append_probability(std::string& line, float value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", static_cast<double>(value));
  line += text;
}

double written_probability(float value) { return std::round(static_cast<double>(value) * 1e4) / 1e4; }

std::int64_t resolve_window_bp(const ScoringEngine& engine, std::int64_t requested) {
  if (requested < 0) throw UsageError("--window must be a positive number of bp");
  if (requested > 0) return requested;
  if (engine.info().window_bp > 0) return engine.info().window_bp;
  throw UsageError("the model's genobird.json sets no window_bp; give --window BP");
}

PredictSummary predict_bed_regions(ScoringEngine& engine, const std::string& genome_path, const std::string& bed_path,
                                   OutputFile& out, const PredictOptions& options) {
  const std::int64_t window_bp = resolve_window_bp(engine, options.window_bp);
  RegionSource source(genome_path, bed_path, {options.skip_invalid, options.shard_index, options.shard_count});
  const io::IndexedFasta& genome = source.genome();
  PredictSummary summary;
  const std::size_t width = engine.outputs().size();
  out << source.header() << output_header(engine) << "\tpadded_bp\n";
  if (source.empty()) return summary;

  Progress progress("region", "regions");
  std::function<bool(WindowChunk<RegionRow>&)> produce = [&](WindowChunk<RegionRow>& chunk) {
    io::BedRecord record;
    while (chunk.items.size() < options.chunk_windows) {
      if (!source.next(record)) return false;
      RegionRow row;
      row.columns = joined_columns(record);
      std::string bases;
      row.padded_bp = fetch_window(genome, record.chrom, genome.length(record.chrom),
                                   centred_window(record.start, record.end, window_bp),
                                   options.strand && record.strand() == '-', bases);
      if (row.padded_bp > 0) ++summary.padded;
      row.gap = no_called_base(bases);
      if (row.gap) ++summary.gaps;
      chunk.items.push_back(std::move(row));
      chunk.windows.push_back(std::move(bases));
    }
    return true;
  };
  std::function<void(const WindowChunk<RegionRow>&, const std::vector<float>&)> consume =
      [&](const WindowChunk<RegionRow>& chunk, const std::vector<float>& scores) {
        std::string text;
        for (std::size_t r = 0; r < chunk.items.size(); ++r) {
          text += chunk.items[r].columns;
          append_scores(text, scores, r, width, chunk.items[r].gap);
          text += '\t' + std::to_string(chunk.items[r].padded_bp) + '\n';
        }
        out << text;
        out.commit_chunk();
        summary.scored += chunk.items.size();
        progress.add(chunk.items.size());
      };
  run_prefetch_pipeline<RegionRow>(engine, options.chunks_ahead, produce, consume);
  progress.finish();
  summary.regions = source.regions();
  summary.skipped_invalid = source.skipped_invalid();
  return summary;
}

PredictSummary predict_fasta_records(ScoringEngine& engine, const std::string& fasta_path, OutputFile& out,
                                     const PredictOptions& options) {
  const std::int64_t window_bp = options.window_bp > 0 ? options.window_bp : engine.info().window_bp;
  io::SequenceReader reader(fasta_path);
  PredictSummary summary;
  const std::size_t width = engine.outputs().size();
  out << "name" << output_header(engine) << "\tscored_bp\n";

  Progress progress("record", "records");
  std::uint64_t index = 0;
  std::function<bool(WindowChunk<RecordRow>&)> produce = [&](WindowChunk<RecordRow>& chunk) {
    io::SequenceRecord record;
    while (chunk.items.size() < options.chunk_windows) {
      if (!reader.next(record)) return false;
      const std::uint64_t k = index++;
      ++summary.regions;
      if (k % options.shard_count != options.shard_index) continue;
      if (window_bp > 0 && record.seq.size() > static_cast<std::size_t>(window_bp)) ++summary.cropped;
      if (window_bp > 0 && record.seq.size() < static_cast<std::size_t>(window_bp)) ++summary.short_records;
      std::string bases = central_bases(record.seq, window_bp);
      io::to_upper_inplace(bases);
      RecordRow row{record.name, bases.size(), no_called_base(bases)};
      if (row.gap) ++summary.gaps;
      chunk.items.push_back(std::move(row));
      chunk.windows.push_back(std::move(bases));
    }
    return true;
  };
  std::function<void(const WindowChunk<RecordRow>&, const std::vector<float>&)> consume =
      [&](const WindowChunk<RecordRow>& chunk, const std::vector<float>& scores) {
        std::string text;
        for (std::size_t r = 0; r < chunk.items.size(); ++r) {
          text += chunk.items[r].name;
          append_scores(text, scores, r, width, chunk.items[r].gap);
          text += '\t' + std::to_string(chunk.items[r].scored_bp) + '\n';
        }
        out << text;
        out.commit_chunk();
        summary.scored += chunk.items.size();
        progress.add(chunk.items.size());
      };
  run_prefetch_pipeline<RecordRow>(engine, options.chunks_ahead, produce, consume);
  progress.finish();
  return summary;
}

}  // namespace genobird::infer
