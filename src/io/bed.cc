#include "io/bed.h"

#include <cstring>

#include "io/line_reader.h"
#include "util/error.h"

namespace genobird::io {
namespace {
const std::string kEmpty;

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

bool is_header_line(const std::string& line) {
  return line.empty() || line[0] == '#' || starts_with(line, "track") || starts_with(line, "browser");
}

void split_columns(const std::string& line, std::vector<std::string>& fields) {
  fields.clear();
  if (line.find('\t') != std::string::npos) {
    std::size_t start = 0;
    for (;;) {
      std::size_t tab = line.find('\t', start);
      fields.emplace_back(line, start, tab == std::string::npos ? std::string::npos : tab - start);
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    return;
  }
  // No tabs: split on runs of spaces (some tools write space-separated BED).
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    std::size_t start = i;
    while (i < line.size() && line[i] != ' ') ++i;
    if (i > start) fields.emplace_back(line, start, i - start);
  }
}

std::uint64_t parse_coordinate(const std::string& text, const char* column, const std::string& path,
                               std::uint64_t line) {
  if (text.empty()) throw InputError(path, line, std::string("empty ") + column + " column");
  if (text[0] == '-')
    throw InputError(path, line, std::string(column) + " is negative ('" + text + "'); BED coordinates start at 0");
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9')
      throw InputError(path, line, std::string(column) + " '" + text + "' is not a non-negative integer");
    std::uint64_t next = value * 10 + static_cast<std::uint64_t>(c - '0');
    if (next / 10 != value) throw InputError(path, line, std::string(column) + " '" + text + "' is too large");
    value = next;
  }
  return value;
}
}  // namespace

const std::string& BedRecord::name() const { return fields.size() >= 4 ? fields[3] : kEmpty; }

char BedRecord::strand() const {
  if (fields.size() < 6 || fields[5].empty()) return '.';
  return fields[5][0];
}

BedReader::BedReader(const std::string& path) : path_(path), source_(std::make_unique<LineReader>(path)) {}

BedReader::~BedReader() = default;

bool BedReader::next(BedRecord& record) {
  std::string line;
  while (source_->next(line)) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.pop_back();
    if (is_header_line(line)) continue;
    std::uint64_t number = source_->line_number();
    split_columns(line, record.fields);
    if (record.fields.size() < 3)
      throw InputError(path_, number,
                       "expected at least 3 tab-separated columns (chrom, start, end), found " +
                           std::to_string(record.fields.size()));
    record.chrom = record.fields[0];
    if (record.chrom.empty()) throw InputError(path_, number, "empty chromosome name");
    record.start = parse_coordinate(record.fields[1], "start", path_, number);
    record.end = parse_coordinate(record.fields[2], "end", path_, number);
    if (record.start > record.end)
      throw InputError(path_, number,
                       "start " + std::to_string(record.start) + " is greater than end " + std::to_string(record.end));
    if (record.fields.size() >= 6) {
      const std::string& strand = record.fields[5];
      if (strand != "+" && strand != "-" && strand != ".")
        throw InputError(path_, number, "strand (column 6) must be '+', '-' or '.', found '" + strand + "'");
    }
    record.line = number;
    return true;
  }
  return false;
}

std::vector<BedRecord> read_bed(const std::string& path) {
  BedReader reader(path);
  std::vector<BedRecord> records;
  BedRecord record;
  while (reader.next(record)) records.push_back(record);
  return records;
}

}  // namespace genobird::io
