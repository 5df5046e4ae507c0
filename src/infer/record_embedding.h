// `genobird embed`'s inputs: BED regions of a genome, FASTA/FASTQ records or the reads of a SAM/BAM/CRAM
// file, embedded by an EmbeddingEngine through the prefetch pipeline and written by an EmbeddingWriter.
//
// BED input: each region is embedded as it is, its bases [start, end) (no resizing), reverse-complemented
// with `strand` for minus-strand regions; regions are read, checked and sharded as by `predict`
// (region_source.h). The record columns are the region's columns as read.
// FASTA/FASTQ input: each record whole; the record column is `name`.
// Reads: primary records (flags 0x900 dropped) in file order, reverse-strand reads restored to their
// original orientation (as `genobird reads` prints them); the record column is `name`.
// A record without bases (an empty region or record, a read stored without sequence) is an InputError naming
// the file and line or record, or, with skip_invalid, is left out and counted.
// Sharding: with shard_count N > 1 only records k (0-based, counted over the whole input) with
// k % N == shard_index are embedded.
#pragma once

#include <cstdint>
#include <string>

#include "infer/embedding_engine.h"
#include "infer/embedding_writer.h"

namespace genobird::infer {

struct EmbedInputOptions {
  bool strand = false;               // reverse-complement minus-strand BED regions
  bool skip_invalid = false;         // leave out invalid regions and records without bases
  std::uint64_t shard_index = 0;
  std::uint64_t shard_count = 1;
  std::string reference;             // FASTA to decode CRAM reads
  std::size_t chunk_records = 256;   // records per prefetched chunk (batches are formed by length inside it)
  std::size_t chunks_ahead = 2;      // chunks the reader may prepare ahead of the model
};

struct EmbedSummary {
  std::uint64_t records = 0;          // records read, every shard
  std::uint64_t embedded = 0;
  std::uint64_t skipped_invalid = 0;  // invalid regions and records without bases
  std::uint64_t rows = 0;             // rows written (records, or tokens with --pool none)
};

// Each opens its writer at `output` with `layout` (the record header filled in here) and commits it.
EmbedSummary embed_bed_regions(EmbeddingEngine& engine, const std::string& genome_path, const std::string& bed_path,
                               const std::string& output, EmbeddingLayout layout, const EmbedInputOptions& options);
EmbedSummary embed_fasta_records(EmbeddingEngine& engine, const std::string& fasta_path, const std::string& output,
                                 EmbeddingLayout layout, const EmbedInputOptions& options);
EmbedSummary embed_reads(EmbeddingEngine& engine, const std::string& reads_path, const std::string& output,
                         EmbeddingLayout layout, const EmbedInputOptions& options);

}  // namespace genobird::infer
