// Streaming FASTA/FASTQ reader.
//
// Reads plain, gzip or bgzip files (zlib detects the compression) or stdin ("-"), one record at a time in
// constant memory beyond the record itself. FASTA records may span many lines; CRLF line ends, blank lines
// and a missing final newline are accepted. FASTQ records are the 4-line form (sequence and quality may
// each span lines; quality length must equal sequence length). The format is detected from the first
// non-blank byte ('>' FASTA, '@' FASTQ).
//
// Errors (InputError, naming the file and 1-based line): a record not starting with '>' or '@', a FASTQ
// record without '+' line or with quality length != sequence length, a byte that is not a sequence
// letter (IUPAC codes, '-' and '*' are accepted), a NUL byte, a truncated or corrupt gzip stream.
// Not thread-safe: one reader per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace genobird::io {

class LineReader;

enum class SequenceFormat { kUnknown, kFasta, kFastq };

struct SequenceRecord {
  std::string name;     // first word of the header, without '>' or '@'
  std::string comment;  // rest of the header after the first whitespace (may be empty)
  std::string seq;
  std::string qual;     // FASTQ only; empty for FASTA
  std::uint64_t line = 0;  // line of the header, 1-based
};

struct SequenceReaderOptions {
  bool uppercase = false;  // upper-case soft-masked (lowercase) bases while reading
};

class SequenceReader {
 public:
  explicit SequenceReader(const std::string& path, SequenceReaderOptions options = {});
  ~SequenceReader();
  SequenceReader(const SequenceReader&) = delete;
  SequenceReader& operator=(const SequenceReader&) = delete;

  // Reads the next record into `record`; returns false at the end of the input.
  bool next(SequenceRecord& record);

  SequenceFormat format() const { return format_; }
  const std::string& path() const { return path_; }

 private:
  bool next_fasta(SequenceRecord& record);
  bool next_fastq(SequenceRecord& record);
  void check_sequence_line(const std::string& line, std::uint64_t line_number) const;
  void split_header(const std::string& header, SequenceRecord& record) const;

  std::string path_;
  SequenceReaderOptions options_;
  SequenceFormat format_ = SequenceFormat::kUnknown;
  std::unique_ptr<LineReader> source_;
  std::string pending_header_;  // FASTA: the next record's header line, already read
  std::uint64_t pending_line_ = 0;
  bool have_pending_ = false;
};

// Reads every record of a file (for small inputs and tests).
std::vector<SequenceRecord> read_sequences(const std::string& path, SequenceReaderOptions options = {});

}  // namespace genobird::io
