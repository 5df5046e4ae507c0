#include "infer/genome_annotation.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <set>

#include "infer/peak_caller.h"
#include "infer/prefetch_pipeline.h"
#include "infer/region_scoring.h"
#include "infer/tabix_index.h"
#include "infer/track_plot.h"
#include "infer/windows.h"
#include "io/bed.h"
#include "io/bigwig_writer.h"
#include "io/indexed_fasta.h"
#include "util/error.h"
#include "util/log.h"
#include "util/output_file.h"
#include "util/progress.h"

namespace genobird::infer {
namespace {

// A stretch of a chromosome to annotate: a whole sequence or a BED region.
struct Stretch {
  std::string chrom;
  std::uint64_t start = 0, end = 0;
};

// A bin of the output: its stretch (index into the run's list) and coordinates.
struct Bin {
  std::size_t stretch = 0;
  std::uint64_t start = 0, end = 0;
};

}  // namespace

std::string bigwig_label_path(const std::string& path, const std::string& label) {
  const auto dot = path.rfind('.');
  const auto slash = path.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return path + "." + label;
  return path.substr(0, dot) + "." + label + path.substr(dot);
}

std::vector<std::size_t> track_columns(const ScoringEngine& engine, const std::string& requested) {
  std::string head = requested;
  const auto& outputs = engine.outputs();
  if (head.empty()) {
    head = outputs.front().head;
    for (const auto& column : outputs)
      if (column.head == "promoter") head = "promoter";
  }
  std::vector<std::size_t> columns;
  for (std::size_t i = 0; i < outputs.size(); ++i)
    if (outputs[i].head == head) columns.push_back(i);
  if (columns.empty()) {
    std::string known;
    for (const auto& column : outputs)
      if (known.find(column.head) == std::string::npos) known += (known.empty() ? "" : ", ") + column.head;
    throw UsageError("--head " + head + ": the model has no such classification head (it has: " + known + ")");
  }
  // A softmax head's probabilities sum to one, so one of them is the signal: the label named like the
  // head, else the last label (the positive class of a [negative, positive] pair).
  if (!engine.head_is_multi_label(head) && columns.size() > 1) {
    std::size_t chosen = columns.back();
    for (std::size_t c : columns)
      if (outputs[c].label == head) chosen = c;
    columns = {chosen};
  }
  return columns;
}

namespace {

// Throws unless the bins of `next` come after those of `previous` in a sorted track: the same chromosome
// continues at or after the start of `previous`'s last bin, or a chromosome not seen before begins
// (`finished` holds the chromosomes left behind so far).
void check_bins_in_order(const Stretch& previous, const io::BedRecord& next, std::uint64_t step, const std::string& path,
                         std::set<std::string>& finished) {
  const std::string fix = ", so the track's rows would be out of order, which a tabix index or a bigWig file cannot hold: sort the regions "
                          "(sort -k1,1 -k2,2n) and merge overlaps (bedtools merge), or write a plain bedGraph (a name without .gz)";
  if (next.chrom != previous.chrom) {
    finished.insert(previous.chrom);
    if (finished.count(next.chrom))
      throw InputError(path, next.line, "chromosome " + next.chrom + " comes back after other chromosomes" + fix);
    return;
  }
  const std::uint64_t bins = bin_count(previous.start, previous.end, step);
  if (bins == 0) return;
  const std::uint64_t last_bin_start = previous.start + (bins - 1) * step;
  if (next.start < last_bin_start)
    throw InputError(path, next.line,
                     "region " + next.chrom + ":" + std::to_string(next.start) + "-" + std::to_string(next.end) +
                         " starts before the bins of the region above it end" + fix);
}

}  // namespace

AnnotateSummary annotate_genome(ScoringEngine& engine, const std::string& genome_path, const std::string& output_path,
                                const AnnotateOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const std::int64_t window_bp = resolve_window_bp(engine, options.window_bp);
  if (options.step < 0) throw UsageError("--step must be a positive number of bp");
  const auto step = static_cast<std::uint64_t>(options.step > 0 ? options.step : std::max<std::int64_t>(1, window_bp / 4));
  io::IndexedFasta genome(genome_path);
  AnnotateSummary summary;

  const std::vector<std::size_t> columns = track_columns(engine, options.head);
  const bool bedgraph = columns.size() == 1;

  // Every output is opened before the work starts, so a folder that cannot be written fails the run at once;
  // none of them appears under its final name unless all succeed (see the commits at the end).
  // bigWig: one file per column; a single-signal head writes OUT itself, several labels OUT's stem + label.
  std::vector<std::unique_ptr<io::BigWigWriter>> bigwigs;
  std::optional<OutputFile> out;
  if (io::is_bigwig_path(output_path)) {
    std::vector<std::pair<std::string, std::uint64_t>> sizes;
    for (const auto& name : genome.names()) sizes.emplace_back(name, genome.length(name));
    for (std::size_t c : columns)
      bigwigs.push_back(std::make_unique<io::BigWigWriter>(
          bedgraph ? output_path : bigwig_label_path(output_path, engine.outputs()[c].label), sizes));
  } else {
    out.emplace(output_path);
  }
  const bool indexed = out && out->is_atomic() && is_gz_path(output_path);
  if (indexed) out->set_companion_index({".tbi", build_tabix_index});
  // A tabix index and a bigWig file both need the rows in order.
  const bool ordered_rows = indexed || !bigwigs.empty();
  std::optional<OutputFile> peaks_file;
  if (!options.peaks_path.empty()) peaks_file.emplace(options.peaks_path);
  std::optional<OutputFile> plot_file;
  if (!options.plot_path.empty()) plot_file.emplace(options.plot_path);

  // Stretches: BED regions (validated against the genome) or every sequence of the genome.
  std::vector<Stretch> stretches;
  if (!options.regions_path.empty()) {
    io::BedReader reader(options.regions_path);
    io::BedRecord record;
    std::set<std::string> finished_chroms;
    while (reader.next(record)) {
      std::string problem;
      if (!genome.contains(record.chrom))
        problem = "chromosome \"" + record.chrom + "\" is not in the genome " + genome_path;
      else if (record.end > genome.length(record.chrom))
        problem = "region ends at " + std::to_string(record.end) + ", past the end of " + record.chrom + " (" +
                  std::to_string(genome.length(record.chrom)) + " bp)";
      if (!problem.empty()) {
        if (!options.skip_invalid)
          throw InputError(options.regions_path, record.line, problem + " (--skip-invalid leaves such regions out)");
        ++summary.skipped_invalid;
        continue;
      }
      // A tabix index needs rows in order, so regions whose bins would come out of order are refused here,
      // before any scoring, rather than when the index is built at the end.
      if (ordered_rows && !stretches.empty()) check_bins_in_order(stretches.back(), record, step, options.regions_path, finished_chroms);
      stretches.push_back({record.chrom, record.start, record.end});
    }
  } else {
    for (const auto& name : genome.names()) stretches.push_back({name, 0, genome.length(name)});
  }
  std::uint64_t total_bp = 0;
  for (const auto& s : stretches) total_bp += s.end - s.start;

  std::optional<TrackPlot> plot;
  if (!options.plot_path.empty()) {
    bool equal_lengths = options.regions_path.empty() && stretches.size() >= 2;
    for (const auto& s : stretches) equal_lengths = equal_lengths && s.end == stretches.front().end;
    const char* item = options.regions_path.empty() ? "sequence" : "region";
    plot = equal_lengths ? TrackPlot::metaplot(stretches.front().end, step) : TrackPlot::track(options.plot_panels, item);
  }

  std::optional<PeakCaller> peaks;
  if (peaks_file) peaks.emplace(*peaks_file, options.threshold);
  if (!bedgraph && out) {
    *out << "#chrom\tstart\tend";
    for (std::size_t c : columns) *out << "\t" << engine.outputs()[c].label;
    *out << "\n";
  }

  Progress progress("bp", "bp", total_bp);
  std::atomic<std::uint64_t> gap_bp{0};  // bp of left-out bins, counted by the reading thread
  std::size_t stretch_index = 0;
  std::uint64_t bin_index = 0;
  std::function<bool(WindowChunk<Bin>&)> produce = [&](WindowChunk<Bin>& chunk) {
    while (chunk.items.size() < options.chunk_windows) {
      if (stretch_index == stretches.size()) return false;
      const Stretch& s = stretches[stretch_index];
      if (bin_index == bin_count(s.start, s.end, step)) {
        ++stretch_index;
        bin_index = 0;
        continue;
      }
      Bin bin{stretch_index, s.start + bin_index * step, std::min(s.end, s.start + (bin_index + 1) * step)};
      const std::uint64_t chrom_length = genome.length(s.chrom);
      if (bin_index++ == 0 && static_cast<std::int64_t>(chrom_length) < window_bp) ++summary.short_sequences;
      std::string bases;
      fetch_window(genome, s.chrom, chrom_length, bin_window(bin.start, bin.end, window_bp, chrom_length), false, bases);
      // An assembly gap is not DNA: its bins are left out of the track (a gap in the bedGraph), the peaks and
      // the plot, as bedtools and UCSC tracks leave gaps without data.
      if (no_called_base(bases)) {
        ++summary.n_bins;
        gap_bp += bin.end - bin.start;
        continue;
      }
      chunk.items.push_back(bin);
      chunk.windows.push_back(std::move(bases));
    }
    return true;
  };
  const std::size_t width = engine.outputs().size();
  std::size_t current_stretch = static_cast<std::size_t>(-1);
  std::function<void(const WindowChunk<Bin>&, const std::vector<float>&)> consume =
      [&](const WindowChunk<Bin>& chunk, const std::vector<float>& scores) {
        std::string text;
        for (std::size_t r = 0; r < chunk.items.size(); ++r) {
          const Bin& bin = chunk.items[r];
          const Stretch& s = stretches[bin.stretch];
          if (bin.stretch != current_stretch) {
            current_stretch = bin.stretch;
            ++summary.sequences;
            if (plot) plot->begin_sequence(s.chrom, s.start, s.end);
          }
          if (out) {
            text += s.chrom + '\t' + std::to_string(bin.start) + '\t' + std::to_string(bin.end);
            for (std::size_t c : columns) {
              text += '\t';
              append_probability(text, scores[r * width + c]);
            }
            text += '\n';
          }
          // bigWig holds the value the bedGraph text stands for, so the two formats read back alike.
          for (std::size_t k = 0; k < bigwigs.size(); ++k)
            bigwigs[k]->add(s.chrom, bin.start, bin.end,
                            static_cast<float>(written_probability(scores[r * width + columns[k]])));
          const double signal = written_probability(scores[r * width + columns.front()]);
          if (peaks) peaks->add(s.chrom, bin.start, bin.end, signal);
          if (plot) plot->add(bin.start, bin.end, signal);
          summary.bp += bin.end - bin.start;
          progress.add(bin.end - bin.start);
        }
        summary.bins += chunk.items.size();
        progress.add(gap_bp.exchange(0));
        if (out) {
          *out << text;
          out->commit_chunk();
        }
      };
  run_prefetch_pipeline<Bin>(engine, options.chunks_ahead, produce, consume);
  progress.add(gap_bp.exchange(0));
  progress.finish();
  summary.window_bp = window_bp;

  const std::string signal_name = engine.outputs()[columns.front()].column + " probability";
  if (plot) *plot_file << plot->svg(signal_name);
  if (peaks) {
    peaks->finish();
    summary.peaks = peaks->peaks();
  }
  // Commit everything only once all succeeded, so a failed run leaves none of its files behind. The tabix
  // index is built on the finished temporary and moves into place with it.
  if (out) out->commit();
  for (auto& bigwig : bigwigs) bigwig->commit();
  if (peaks_file) peaks_file->commit();
  if (plot_file) plot_file->commit();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace genobird::infer
