// `genobird annotate`: slides the model's window along whole genome sequences (or the regions of a BED)
// and writes a signal track.
//
// Each sequence (or region) is cut into bins of `step` bp (windows.h); bin i is scored with the window
// centred on it — moved inside the chromosome near its ends, N-padded only on a chromosome shorter than one
// window (windows.h, shifted_inside) — and its row is chrom, bin start, bin end, value(s).
// The head (default: the one named "promoter", else the first classification head) decides the format:
//   - one signal (a single-label sigmoid head, or a softmax head, whose signal is the label named like
//     the head, else its last label): bedGraph, 4 columns, no track line;
//   - several labels (chromatin profiles): a BED-like TSV with a "#chrom start end LABEL..." header.
// A ".bw" or ".bigwig" output is bigWig (io/bigwig_writer.h; chromosome sizes from the genome's .fai): the
// one signal in OUT, or for several labels one file per label, named by bigwig_label_path (track.bw ->
// track.dnase.bw, track.ctcf.bw, ...); values are the bedGraph's 4-decimal values.
// A ".gz" output is bgzip-compressed and gets a tabix index (OUT.gz.tbi). `peaks_path` adds a BED5 of
// bins at or above `threshold`, merged when they touch (peak_caller.h; the first signal column is used).
// `plot_path` draws an SVG: when every sequence of the genome has the same length and no BED is given (a
// FASTA of aligned records, e.g. regions upstream of TSSs), the mean signal by position (a metaplot);
// otherwise the track of the first sequences or regions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "infer/scoring_engine.h"

namespace genobird::infer {

struct AnnotateOptions {
  std::int64_t window_bp = 0;      // 0: the model's window_bp
  std::int64_t step = 0;           // bin length; 0: a quarter of the window
  std::string head;                // "" : "promoter" if present, else the first classification head
  std::string regions_path;        // "" : whole sequences of the genome
  bool skip_invalid = false;       // leave out BED regions on unknown chromosomes or past their end
  std::string peaks_path;          // "" : no peaks
  double threshold = 0.5;          // peak threshold on the signal
  std::string plot_path;           // "" : no plot
  std::size_t plot_panels = 6;     // track plot: panels (first sequences or regions)
  std::size_t chunk_windows = 256;
  std::size_t chunks_ahead = 2;
};

struct AnnotateSummary {
  std::uint64_t sequences = 0;  // sequences or regions annotated
  std::uint64_t bins = 0;
  std::uint64_t bp = 0;
  std::uint64_t skipped_invalid = 0;
  std::uint64_t n_bins = 0;           // bins whose window holds no A/C/G/T: left out of every output
  std::uint64_t short_sequences = 0;  // sequences shorter than the window: scored on their own bases
  std::uint64_t peaks = 0;
  std::int64_t window_bp = 0;
  double seconds = 0;
};

// Output columns (indices into engine.outputs()) of the head `requested` ("" : "promoter" if present, else
// the first classification head): every label of a multi-label head, the signal label of a softmax head.
// Throws UsageError for an unknown head.
std::vector<std::size_t> track_columns(const ScoringEngine& engine, const std::string& requested);

// The bigWig of one label of a multi-label head: the label inserted before the output's extension.
std::string bigwig_label_path(const std::string& path, const std::string& label);

// Writes the track to `output_path` ("-" is stdout); outputs are atomic, as every genobird output.
AnnotateSummary annotate_genome(ScoringEngine& engine, const std::string& genome_path, const std::string& output_path,
                                const AnnotateOptions& options);

}  // namespace genobird::infer
