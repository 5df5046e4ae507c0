// `genobird predict`: scores BED regions of a genome, or the records of a FASTA file, and writes a TSV.
//
// BED input: each region is resized around its centre to the window (centred_window in windows.h), the
// window's bases are fetched (N beyond a chromosome end) and, with `strand`, minus-strand regions are
// reverse-complemented. Output: a header, then one row per region in input order: the region's columns as
// read, one column per head output (engine.outputs()), and `padded_bp`, the number of N added because the
// window ran off a chromosome end (0 for most regions). Every region must have the same number of columns.
// A region on a chromosome the genome lacks, or ending past the chromosome's end, is an InputError naming
// the BED file and line, or is left out and counted with `skip_invalid`.
//
// FASTA input: each record is a window as it is (its central window_bp when longer); output columns are
// `name` and the head outputs.
//
// Sharding: with shard_count N > 1 only regions k (0-based, counted over every region of the input, valid
// or not) with k % N == shard_index are scored; each shard writes the header.
#pragma once

#include <cstdint>
#include <string>

#include "infer/scoring_engine.h"
#include "util/output_file.h"

namespace genobird::infer {

struct PredictOptions {
  std::int64_t window_bp = 0;         // 0: the model's window_bp
  bool strand = false;                // reverse-complement minus-strand regions
  bool skip_invalid = false;          // leave out regions on unknown chromosomes or past a chromosome end
  std::uint64_t shard_index = 0;      // score regions k with k % shard_count == shard_index
  std::uint64_t shard_count = 1;
  std::size_t chunk_windows = 256;    // windows per prefetched chunk
  std::size_t chunks_ahead = 2;       // chunks the reader may prepare ahead of the model
};

struct PredictSummary {
  std::uint64_t regions = 0;          // regions (or records) read
  std::uint64_t scored = 0;
  std::uint64_t skipped_invalid = 0;
  std::uint64_t padded = 0;           // windows that ran off a chromosome end
  std::uint64_t cropped = 0;          // FASTA records longer than the window
  std::uint64_t short_records = 0;    // FASTA records shorter than the window: scored on their own bases
  std::uint64_t gaps = 0;             // windows without A, C, G or T: written as NA, not scored as DNA
};

// The window length to use: options.window_bp, else the model's; throws UsageError when neither is set.
std::int64_t resolve_window_bp(const ScoringEngine& engine, std::int64_t requested);

PredictSummary predict_bed_regions(ScoringEngine& engine, const std::string& genome_path, const std::string& bed_path,
                                   OutputFile& out, const PredictOptions& options);

PredictSummary predict_fasta_records(ScoringEngine& engine, const std::string& fasta_path, OutputFile& out,
                                     const PredictOptions& options);

// Probability text as written in every TSV and bedGraph of genobird: 4 decimals.
void append_probability(std::string& line, float value);
// The value that text stands for, so that thresholds on a written track agree with genobird's own.
double written_probability(float value);

}  // namespace genobird::infer
