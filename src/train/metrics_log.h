// metrics.tsv: the training log of a run directory, one header row then one row per logged step.
//
// The first column is always `step`; the other columns are fixed when the log is opened (pretraining:
// loss, masked_accuracy, perplexity, lr, tokens_per_s, ...). Values are written with 8 significant
// digits; an integral value is written without a decimal point. A value that was not measured at that
// step (e.g. validation loss between validation rounds) is written as "NA".
//
// Resuming: opening with resume_step >= 0 keeps the rows of an existing file up to and including that
// step and drops later ones (written after the checkpoint the run resumes from, so they would otherwise
// appear twice); the header must match. Each row is flushed as it is written, so a killed run leaves every
// completed row. Errors: IoError when the file cannot be written, InputError (file, line) when an existing
// file does not have the expected header.
//
// Not thread-safe; only rank 0 of a data-parallel run writes it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

namespace genobird::train {

class MetricsLog {
 public:
  // A value that means "not measured at this step".
  static constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

  // `columns` excludes "step". resume_step < 0 starts a new file (replacing any old one).
  MetricsLog(const std::string& path, std::vector<std::string> columns, std::int64_t resume_step = -1);
  ~MetricsLog();
  MetricsLog(const MetricsLog&) = delete;
  MetricsLog& operator=(const MetricsLog&) = delete;

  // One row; `values` has one entry per column. Throws IoError on a write error, std::invalid_argument
  // for a wrong number of values.
  void append(std::int64_t step, const std::vector<double>& values);

  const std::vector<std::string>& columns() const { return columns_; }
  const std::string& path() const { return path_; }

 private:
  std::string header() const;

  std::string path_;
  std::vector<std::string> columns_;
  std::FILE* file_ = nullptr;
};

// One value as metrics.tsv writes it ("NA" for NaN).
std::string format_metric(double value);

}  // namespace genobird::train
