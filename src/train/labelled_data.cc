#include "train/labelled_data.h"

#include <charconv>
#include <stdexcept>

#include "io/line_reader.h"
#include "train/deepsea_mat.h"
#include "util/error.h"
#include "util/output_file.h"

namespace genobird::train {
namespace {

const std::vector<std::string> kFixedColumns = {"name", "chrom", "start", "end", "strand", "sequence"};

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t begin = 0;
  while (true) {
    std::size_t tab = line.find('\t', begin);
    fields.push_back(line.substr(begin, tab == std::string::npos ? std::string::npos : tab - begin));
    if (tab == std::string::npos) break;
    begin = tab + 1;
  }
  return fields;
}

std::int64_t parse_coordinate(const std::string& text, const io::LineReader& reader, const char* column) {
  if (text == ".") return -1;
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0)
    throw InputError(reader.path(), reader.line_number(),
                     std::string("column ") + column + ": expected a non-negative integer or '.', found '" + text + "'");
  return value;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

void LabelledDataset::add(LabelledExample example, const std::vector<std::uint8_t>& example_labels) {
  if (example_labels.size() != label_names.size())
    throw std::invalid_argument("LabelledDataset::add: " + std::to_string(example_labels.size()) + " labels for " +
                                std::to_string(label_names.size()) + " label names");
  examples.push_back(std::move(example));
  labels.insert(labels.end(), example_labels.begin(), example_labels.end());
}

std::vector<std::uint8_t> LabelledDataset::label_column(std::size_t index) const {
  std::vector<std::uint8_t> column(size());
  for (std::size_t i = 0; i < size(); ++i) column[i] = label(i, index);
  return column;
}

void write_labelled_dataset(const std::string& path, const LabelledDataset& dataset) {
  OutputFile out(path);
  out << kDatasetMagic << "\tversion=1\ttask=" << dataset.task << "\n";
  for (std::size_t c = 0; c < kFixedColumns.size(); ++c) out << (c ? "\t" : "") << kFixedColumns[c];
  for (const auto& label : dataset.label_names) out << "\t" << label;
  out << "\n";
  std::string line;
  for (std::size_t i = 0; i < dataset.size(); ++i) {
    const LabelledExample& e = dataset.examples[i];
    line.clear();
    line += e.name + "\t" + e.chrom + "\t" + (e.start < 0 ? "." : std::to_string(e.start)) + "\t" +
            (e.end < 0 ? "." : std::to_string(e.end)) + "\t" + std::string(1, e.strand) + "\t" + e.sequence;
    for (std::size_t j = 0; j < dataset.num_labels(); ++j) {
      line += '\t';
      line += dataset.label(i, j) ? '1' : '0';
    }
    line += '\n';
    out << line;
  }
  out.commit();
}

LabelledDataset read_labelled_dataset(const std::string& path) {
  io::LineReader reader(path);
  LabelledDataset dataset;
  std::string line;
  if (!reader.next(line) || line.rfind(kDatasetMagic, 0) != 0)
    throw InputError(path, reader.line_number(),
                     std::string("expected a genobird dataset starting with '") + kDatasetMagic +
                         "' (write one with genobird make-dataset)");
  auto meta = split_tabs(line);
  bool version_ok = false;
  for (std::size_t i = 1; i < meta.size(); ++i) {
    if (meta[i] == "version=1") version_ok = true;
    else if (meta[i].rfind("task=", 0) == 0) dataset.task = meta[i].substr(5);
  }
  if (!version_ok) throw InputError(path, 1, "expected version=1 on the first line, found '" + line + "'");
  if (!reader.next(line)) throw InputError(path, 2, "expected the header line, found the end of the file");
  auto header = split_tabs(line);
  for (std::size_t c = 0; c < kFixedColumns.size(); ++c)
    if (c >= header.size() || header[c] != kFixedColumns[c])
      throw InputError(path, 2, "expected header column " + std::to_string(c + 1) + " to be '" + kFixedColumns[c] +
                                    "', found '" + (c < header.size() ? header[c] : "") + "'");
  if (header.size() == kFixedColumns.size()) throw InputError(path, 2, "the header names no label column");
  dataset.label_names.assign(header.begin() + static_cast<long>(kFixedColumns.size()), header.end());
  const std::size_t columns = header.size();
  std::vector<std::uint8_t> row_labels(dataset.num_labels());
  while (reader.next(line)) {
    if (line.empty()) continue;
    auto fields = split_tabs(line);
    if (fields.size() != columns)
      throw InputError(path, reader.line_number(),
                       "expected " + std::to_string(columns) + " tab-separated columns, found " + std::to_string(fields.size()));
    LabelledExample e;
    e.name = fields[0];
    e.chrom = fields[1];
    e.start = parse_coordinate(fields[2], reader, "start");
    e.end = parse_coordinate(fields[3], reader, "end");
    if (fields[4].size() != 1 || (fields[4][0] != '+' && fields[4][0] != '-' && fields[4][0] != '.'))
      throw InputError(path, reader.line_number(), "column strand: expected '+', '-' or '.', found '" + fields[4] + "'");
    e.strand = fields[4][0];
    if (fields[5].empty()) throw InputError(path, reader.line_number(), "column sequence: empty sequence");
    e.sequence = std::move(fields[5]);
    for (std::size_t j = 0; j < dataset.num_labels(); ++j) {
      const std::string& v = fields[kFixedColumns.size() + j];
      if (v != "0" && v != "1")
        throw InputError(path, reader.line_number(),
                         "label '" + dataset.label_names[j] + "': expected 0 or 1, found '" + v + "'");
      row_labels[j] = v == "1";
    }
    dataset.add(std::move(e), row_labels);
  }
  return dataset;
}

LabelledDataset read_dataset(const std::string& path) {
  if (ends_with(path, ".mat")) return read_deepsea_mat(path);
  return read_labelled_dataset(path);
}

}  // namespace genobird::train
