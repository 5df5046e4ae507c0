#include "infer/record_embedding.h"

#include <functional>

#include "infer/prefetch_pipeline.h"
#include "infer/region_source.h"
#include "infer/windows.h"
#include "io/alignment_reader.h"
#include "io/sequence.h"
#include "io/sequence_reader.h"
#include "util/error.h"
#include "util/progress.h"

namespace genobird::infer {
namespace {

using Chunk = WindowChunk<std::string, TokenizedRecords>;

// Runs the pipeline with `next(columns, bases)` as the record source (false at the end) and writes every
// record's rows; `next` leaves out records of other shards and invalid ones itself.
EmbedSummary embed_records(EmbeddingEngine& engine, const std::string& output, EmbeddingLayout layout,
                           const std::string& record_header, const EmbedInputOptions& options,
                           const std::function<bool(std::string& columns, std::string& bases)>& next) {
  layout.record_header = record_header;
  std::unique_ptr<EmbeddingWriter> writer = open_embedding_writer(output, layout);
  EmbedSummary summary;
  Progress progress("embed", "records");
  std::function<bool(Chunk&)> produce = [&](Chunk& chunk) {
    std::string columns, bases;
    while (chunk.items.size() < options.chunk_records) {
      if (!next(columns, bases)) return false;
      io::to_upper_inplace(bases);
      chunk.items.push_back(std::move(columns));
      chunk.windows.push_back(std::move(bases));
    }
    return true;
  };
  std::function<void(const Chunk&, const RecordEmbeddings&)> consume = [&](const Chunk& chunk,
                                                                           const RecordEmbeddings& embedded) {
    const auto dim = static_cast<std::size_t>(embedded.dim);
    for (std::size_t r = 0; r < chunk.items.size(); ++r) {
      const std::size_t first = embedded.first_row[r], rows = embedded.first_row[r + 1] - first;
      writer->add(chunk.items[r], embedded.values.data() + first * dim, rows,
                  embedded.spans.empty() ? nullptr : embedded.spans.data() + first);
      summary.rows += rows;
    }
    summary.embedded += chunk.items.size();
    progress.add(chunk.items.size());
  };
  run_prefetch_pipeline<std::string>(engine, options.chunks_ahead, produce, consume);
  writer->commit();
  progress.finish();
  return summary;
}

bool in_shard(std::uint64_t k, const EmbedInputOptions& options) {
  return k % options.shard_count == options.shard_index;
}

// An empty record is an error unless skip_invalid, where it is counted and left out; true when it is kept.
bool has_bases(const std::string& bases, const std::string& file, std::uint64_t line, const std::string& what,
               const EmbedInputOptions& options, std::uint64_t& skipped) {
  if (!bases.empty()) return true;
  if (!options.skip_invalid) throw InputError(file, line, what + " has no bases to embed (--skip-invalid leaves such records out)");
  ++skipped;
  return false;
}

// Embeds the records of a FASTA/FASTQ or alignment reader, each under its name. `position` is the field that
// places a record in its file for messages (a FASTA line, an alignment record number), `noun` names it.
template <class Reader, class Record>
EmbedSummary embed_named_sequences(EmbeddingEngine& engine, Reader& reader, const std::string& path, const char* noun,
                                   std::uint64_t Record::*position, const std::string& output, EmbeddingLayout layout,
                                   const EmbedInputOptions& options) {
  std::uint64_t index = 0, skipped = 0;
  auto next = [&](std::string& columns, std::string& bases) {
    Record record;
    while (reader.next(record)) {
      if (!in_shard(index++, options)) continue;
      const std::string what = std::string(noun) + " \"" + record.name + "\"";
      if (!has_bases(record.seq, path, record.*position, what, options, skipped)) continue;
      columns = record.name;
      bases = std::move(record.seq);
      return true;
    }
    return false;
  };
  EmbedSummary summary = embed_records(engine, output, std::move(layout), "name", options, next);
  summary.records = index;
  summary.skipped_invalid = skipped;
  return summary;
}

}  // namespace

EmbedSummary embed_bed_regions(EmbeddingEngine& engine, const std::string& genome_path, const std::string& bed_path,
                               const std::string& output, EmbeddingLayout layout, const EmbedInputOptions& options) {
  RegionSource source(genome_path, bed_path, {options.skip_invalid, options.shard_index, options.shard_count});
  std::uint64_t empty = 0;
  auto next = [&](std::string& columns, std::string& bases) {
    io::BedRecord record;
    while (source.next(record)) {
      const auto& genome = source.genome();
      fetch_window(genome, record.chrom, genome.length(record.chrom),
                   {static_cast<std::int64_t>(record.start), static_cast<std::int64_t>(record.end)},
                   options.strand && record.strand() == '-', bases);
      if (!has_bases(bases, bed_path, record.line, "the region", options, empty)) continue;
      columns = joined_columns(record);
      return true;
    }
    return false;
  };
  EmbedSummary summary = embed_records(engine, output, std::move(layout), source.header(), options, next);
  summary.records = source.regions();
  summary.skipped_invalid = source.skipped_invalid() + empty;
  return summary;
}

EmbedSummary embed_fasta_records(EmbeddingEngine& engine, const std::string& fasta_path, const std::string& output,
                                 EmbeddingLayout layout, const EmbedInputOptions& options) {
  io::SequenceReader reader(fasta_path);
  return embed_named_sequences(engine, reader, fasta_path, "record", &io::SequenceRecord::line, output,
                               std::move(layout), options);
}

EmbedSummary embed_reads(EmbeddingEngine& engine, const std::string& reads_path, const std::string& output,
                         EmbeddingLayout layout, const EmbedInputOptions& options) {
  if (reads_path == "-" || !io::is_alignment_file(reads_path))
    throw InputError(reads_path, 0, "is not SAM, BAM or CRAM (--reads takes alignment files; use --fasta for FASTA/FASTQ)");
  io::AlignmentReaderOptions reader_options;
  reader_options.reference = options.reference;
  io::AlignmentReader reader(reads_path, reader_options);
  return embed_named_sequences(engine, reader, reads_path, "read", &io::ReadRecord::record, output, std::move(layout),
                               options);
}

}  // namespace genobird::infer
