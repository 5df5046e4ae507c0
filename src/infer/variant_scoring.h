// `genobird variants`: the model's view of each ALT allele of a VCF/BCF.
//
// For every record (k-th, 0-based; with shard_count N > 1 only records with k % N == shard_index), the
// reference window centred on REF and one window per ALT (allele_window in windows.h: indels keep the
// window length) are scored once each (site_scoring.h); consecutive records of the same REF span (a
// multi-allelic site split into several records) share one reference window. Checks, each an InputError
// naming the VCF and line (or, with skip_invalid, a warning and an unscored record): the chromosome is in
// the genome, REF lies inside it and equals the genome's bases (case-insensitive). Symbolic or structural ALTs (<DEL>, breakends,
// '*', anything not made of ACGTN) are not scored and are counted.
//
// Output by the path's suffix:
//   .vcf / .vcf.gz / .vcf.bgz / .bcf: every record read (of the shard), in input order, with Number=A Float
//     INFO fields added per output column (variant_effects.h: GB_<COL>_REF, _ALT, _DIFF, _LOR); unscored
//     ALTs have missing values, unscored records none of the fields;
//   anything else (TSV; "-" is stdout): a header, then one row per scored ALT, in input order: chrom, pos
//     (1-based, as in the VCF), id, ref, alt, the 4 effect columns per output column, padded_bp (N added to
//     the reference window beyond a chromosome end) and record (the record's ordinal in the input, which
//     gathers shards back into input order).
#pragma once

#include <cstdint>
#include <string>

#include "infer/scoring_engine.h"

namespace genobird::infer {

struct VariantOptions {
  std::int64_t window_bp = 0;     // 0: the model's window_bp
  std::string region;             // "" : the whole file; else CHR[:START-END], needs an index
  bool skip_invalid = false;      // warn and leave out records with a bad REF or unknown chromosome
  std::uint64_t shard_index = 0;
  std::uint64_t shard_count = 1;
  std::size_t chunk_windows = 256;
  std::size_t chunks_ahead = 2;
};

struct VariantSummary {
  std::uint64_t records = 0;          // records read (all shards)
  std::uint64_t scored_records = 0;
  std::uint64_t scored_alleles = 0;
  std::uint64_t skipped_symbolic = 0; // ALT alleles
  std::uint64_t skipped_invalid = 0;  // records
  std::uint64_t padded = 0;           // scored records whose reference window ran off a chromosome end
  std::uint64_t windows = 0;          // windows scored
};

VariantSummary score_variants(ScoringEngine& engine, const std::string& genome_path, const std::string& vcf_path,
                              const std::string& output_path, const VariantOptions& options);

}  // namespace genobird::infer
