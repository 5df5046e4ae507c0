#include "train/metrics_log.h"

#include <cmath>
#include <fstream>
#include <stdexcept>

#include "util/error.h"
#include "util/output_file.h"

namespace genobird::train {

std::string format_metric(double value) {
  if (std::isnan(value)) return "NA";
  char text[64];
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15)
    std::snprintf(text, sizeof text, "%.0f", value);
  else
    std::snprintf(text, sizeof text, "%.8g", value);
  return text;
}

std::string MetricsLog::header() const {
  std::string line = "step";
  for (const auto& column : columns_) line += "\t" + column;
  return line;
}

MetricsLog::MetricsLog(const std::string& path, std::vector<std::string> columns, std::int64_t resume_step)
    : path_(path), columns_(std::move(columns)) {
  std::string kept = header() + "\n";
  if (resume_step >= 0) {
    std::ifstream in(path);
    std::string line;
    std::uint64_t line_number = 0;
    while (in && std::getline(in, line)) {
      ++line_number;
      if (line_number == 1) {
        if (line != header())
          throw InputError(path, 1, "metrics header is '" + line + "', expected '" + header() + "'");
        continue;
      }
      std::int64_t step = 0;
      try {
        step = std::stoll(line.substr(0, line.find('\t')));
      } catch (const std::exception&) {
        throw InputError(path, line_number, "expected a step number in the first column, found '" + line + "'");
      }
      if (step > resume_step) break;
      kept += line + "\n";
    }
  }
  // Rewrite atomically, then append: a kill between the two leaves either the old or the trimmed file.
  OutputFile rewritten(path);
  rewritten << kept;
  rewritten.commit();
  file_ = std::fopen(path.c_str(), "a");
  if (file_ == nullptr) throw IoError(with_errno("cannot append to " + path));
}

MetricsLog::~MetricsLog() {
  if (file_ != nullptr) std::fclose(file_);
}

void MetricsLog::append(std::int64_t step, const std::vector<double>& values) {
  if (values.size() != columns_.size())
    throw std::invalid_argument("metrics row has " + std::to_string(values.size()) + " values for " +
                                std::to_string(columns_.size()) + " columns");
  std::string line = std::to_string(step);
  for (double value : values) line += "\t" + format_metric(value);
  line += "\n";
  if (std::fputs(line.c_str(), file_) < 0 || std::fflush(file_) != 0)
    throw IoError(with_errno("cannot write " + path_));
}

}  // namespace genobird::train
