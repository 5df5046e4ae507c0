#include "io/sequence_reader.h"

#include <array>

#include "io/line_reader.h"
#include "util/error.h"

namespace genobird::io {
namespace {
// Bytes allowed in sequence lines: IUPAC letters (either case), U, gaps '-' '.', and '*' (stop/unknown).
constexpr std::array<bool, 256> make_sequence_alphabet() {
  std::array<bool, 256> ok{};
  const char letters[] = "ACGTURYSWKMBDHVN";
  for (int i = 0; letters[i] != '\0'; ++i) {
    ok[static_cast<unsigned char>(letters[i])] = true;
    ok[static_cast<unsigned char>(letters[i] + 32)] = true;
  }
  ok['-'] = ok['.'] = ok['*'] = true;
  return ok;
}
constexpr std::array<bool, 256> kSequenceByte = make_sequence_alphabet();

void trim_trailing_blanks(std::string& line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.pop_back();
}

std::string describe_byte(unsigned char c) {
  if (c >= 33 && c < 127) return std::string("'") + static_cast<char>(c) + "'";
  char buf[16];
  std::snprintf(buf, sizeof buf, "byte 0x%02x", c);
  return buf;
}
}  // namespace

SequenceReader::SequenceReader(const std::string& path, SequenceReaderOptions options)
    : path_(path), options_(options), source_(std::make_unique<LineReader>(path)) {
  std::string line;
  while (source_->next(line)) {
    trim_trailing_blanks(line);
    if (line.empty()) continue;
    if (line[0] == '>') {
      format_ = SequenceFormat::kFasta;
    } else if (line[0] == '@') {
      format_ = SequenceFormat::kFastq;
    } else {
      throw InputError(path_, source_->line_number(),
                       "expected a FASTA header ('>') or FASTQ header ('@'), found " +
                           describe_byte(static_cast<unsigned char>(line[0])));
    }
    pending_header_ = std::move(line);
    pending_line_ = source_->line_number();
    have_pending_ = true;
    return;
  }
  // An empty file holds no records; that is not an error.
}

SequenceReader::~SequenceReader() = default;

void SequenceReader::split_header(const std::string& header, SequenceRecord& record) const {
  std::size_t name_end = header.find_first_of(" \t", 1);
  record.name = header.substr(1, name_end == std::string::npos ? std::string::npos : name_end - 1);
  record.comment.clear();
  if (name_end != std::string::npos) {
    std::size_t comment_start = header.find_first_not_of(" \t", name_end);
    if (comment_start != std::string::npos) record.comment = header.substr(comment_start);
  }
}

void SequenceReader::check_sequence_line(const std::string& line, std::uint64_t line_number) const {
  for (std::size_t i = 0; i < line.size(); ++i) {
    auto c = static_cast<unsigned char>(line[i]);
    if (!kSequenceByte[c])
      throw InputError(path_, line_number,
                       "unexpected " + describe_byte(c) + " in sequence at column " + std::to_string(i + 1) +
                           " (expected IUPAC nucleotide codes)");
  }
}

bool SequenceReader::next(SequenceRecord& record) {
  if (format_ == SequenceFormat::kFasta) return next_fasta(record);
  if (format_ == SequenceFormat::kFastq) return next_fastq(record);
  return false;
}

bool SequenceReader::next_fasta(SequenceRecord& record) {
  if (!have_pending_) return false;
  split_header(pending_header_, record);
  record.line = pending_line_;
  record.seq.clear();
  record.qual.clear();
  have_pending_ = false;
  std::string line;
  while (source_->next(line)) {
    trim_trailing_blanks(line);
    if (line.empty()) continue;
    if (line[0] == '>') {
      pending_header_ = std::move(line);
      pending_line_ = source_->line_number();
      have_pending_ = true;
      break;
    }
    check_sequence_line(line, source_->line_number());
    record.seq += line;
  }
  if (record.name.empty()) throw InputError(path_, record.line, "FASTA header without a sequence name");
  if (options_.uppercase)
    for (char& c : record.seq)
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  return true;
}

bool SequenceReader::next_fastq(SequenceRecord& record) {
  std::string line;
  if (!have_pending_) {
    // Skip blank lines between records; anything else must be a header.
    for (;;) {
      if (!source_->next(line)) return false;
      trim_trailing_blanks(line);
      if (!line.empty()) break;
    }
    if (line[0] != '@')
      throw InputError(path_, source_->line_number(),
                       "expected a FASTQ header ('@'), found " + describe_byte(static_cast<unsigned char>(line[0])));
    pending_header_ = std::move(line);
    pending_line_ = source_->line_number();
  }
  have_pending_ = false;
  split_header(pending_header_, record);
  record.line = pending_line_;
  if (record.name.empty()) throw InputError(path_, record.line, "FASTQ header without a read name");
  record.seq.clear();
  record.qual.clear();
  // Sequence lines up to the '+' separator.
  for (;;) {
    if (!source_->next(line))
      throw InputError(path_, source_->line_number() + 1,
                       "FASTQ record '" + record.name + "' ends before its '+' line (truncated file?)");
    trim_trailing_blanks(line);
    if (!line.empty() && line[0] == '+') break;
    check_sequence_line(line, source_->line_number());
    record.seq += line;
  }
  // Quality lines until they are as long as the sequence (a quality line may start with '@').
  while (record.qual.size() < record.seq.size()) {
    if (!source_->next(line))
      throw InputError(path_, source_->line_number() + 1,
                       "FASTQ record '" + record.name + "' has " + std::to_string(record.qual.size()) +
                           " quality values for " + std::to_string(record.seq.size()) + " bases (truncated file?)");
    trim_trailing_blanks(line);
    for (char c : line)
      if (c < '!' || c > '~')
        throw InputError(path_, source_->line_number(),
                         "quality value " + describe_byte(static_cast<unsigned char>(c)) + " outside '!'..'~'");
    record.qual += line;
  }
  if (record.qual.size() != record.seq.size())
    throw InputError(path_, source_->line_number(),
                     "FASTQ record '" + record.name + "': quality length " + std::to_string(record.qual.size()) +
                         " differs from sequence length " + std::to_string(record.seq.size()));
  if (options_.uppercase)
    for (char& c : record.seq)
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  return true;
}

std::vector<SequenceRecord> read_sequences(const std::string& path, SequenceReaderOptions options) {
  SequenceReader reader(path, options);
  std::vector<SequenceRecord> records;
  SequenceRecord record;
  while (reader.next(record)) records.push_back(std::move(record));
  return records;
}

}  // namespace genobird::io
