// Labelled sequence datasets: what `genobird make-dataset` writes and `finetune` / `evaluate` read.
//
// File format (documented for users in docs/formats.md, "Labelled datasets"): tab-separated text, plain or
// gzip/bgzip,
//   line 1   #genobird-dataset<TAB>version=1<TAB>task=TASK          (TASK: promoter, chromatin, ...)
//   line 2   name chrom start end strand sequence LABEL1 [LABEL2 ...] (the header; label names follow
//                                                                       the six fixed columns)
//   line 3+  one example per line: its name, where it came from (chrom, 0-based start, end, strand; "."
//            where unknown, e.g. a synthetic negative), the DNA sequence as the model reads it (already
//            reverse-complemented for '-' strand regions), then 0 or 1 per label.
// Errors are InputError naming the file and line: a missing or foreign first line, an unknown version, a
// header without the fixed columns or without labels, a row with the wrong number of columns, a label
// other than 0/1, a bad coordinate, an empty sequence.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace genobird::train {

struct LabelledExample {
  std::string name;
  std::string chrom = ".";
  std::int64_t start = -1;  // -1: unknown
  std::int64_t end = -1;
  char strand = '.';
  std::string sequence;
};

struct LabelledDataset {
  std::string task;
  std::vector<std::string> label_names;
  std::vector<LabelledExample> examples;
  std::vector<std::uint8_t> labels;  // [examples, label_names] row-major, 0/1

  std::size_t size() const { return examples.size(); }
  std::size_t num_labels() const { return label_names.size(); }
  std::uint8_t label(std::size_t example, std::size_t index) const { return labels[example * num_labels() + index]; }
  // Appends an example with its labels (one 0/1 byte per label name).
  void add(LabelledExample example, const std::vector<std::uint8_t>& example_labels);
  // The column of one label, for metrics.
  std::vector<std::uint8_t> label_column(std::size_t index) const;
};

constexpr const char* kDatasetMagic = "#genobird-dataset";

// Writes atomically ("-" is stdout, ".gz" bgzip). Throws IoError.
void write_labelled_dataset(const std::string& path, const LabelledDataset& dataset);

// Reads a labelled dataset file (format above). Throws InputError / IoError.
LabelledDataset read_labelled_dataset(const std::string& path);

// Any dataset genobird reads: a DeepSEA bundle file (name ending in ".mat", see deepsea_mat.h) or a
// labelled dataset file.
LabelledDataset read_dataset(const std::string& path);

}  // namespace genobird::train
