#include "label_table.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string_view>

#include "train/metrics.h"
#include "util/output_file.h"

namespace genobird::bench {
namespace {

void check_shape(const train::LabelledDataset& test, const LabelScores& scores) {
  if (scores.size() != test.num_labels()) throw std::invalid_argument("label scores: one column per label expected");
  for (const auto& column : scores)
    if (column.size() != test.size()) throw std::invalid_argument("label scores: one score per example expected");
}

std::string figure(double value) {
  if (std::isnan(value)) return "NA";
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", value);
  return text;
}

}  // namespace

void print_label_table(std::FILE* out, const train::LabelledDataset& test, const LabelScores& scores) {
  check_shape(test, scores);
  std::vector<double> aurocs, auprcs;
  std::size_t all_positives = 0;
  std::fprintf(out, "label\tpositives\texamples\tauroc\tauprc\n");
  for (std::size_t k = 0; k < test.num_labels(); ++k) {
    const std::vector<std::uint8_t> truth = test.label_column(k);
    std::size_t positives = 0;
    for (std::uint8_t y : truth) positives += y;
    all_positives += positives;
    // Both figures need both classes; a label without them is left out of the mean (NaN is skipped).
    const bool both = positives > 0 && positives < truth.size();
    const double roc = both ? train::auroc(scores[k], truth) : NAN;
    const double pr = both ? train::average_precision(scores[k], truth) : NAN;
    aurocs.push_back(roc);
    auprcs.push_back(pr);
    std::fprintf(out, "%s\t%zu\t%zu\t%s\t%s\n", test.label_names[k].c_str(), positives, truth.size(),
                 figure(roc).c_str(), figure(pr).c_str());
  }
  std::fprintf(out, "mean\t%zu\t%zu\t%s\t%s\n", all_positives, test.size(), figure(train::mean_of(aurocs)).c_str(),
               figure(train::mean_of(auprcs)).c_str());
}

void write_predictions(const std::string& path, const train::LabelledDataset& test, const LabelScores& scores) {
  check_shape(test, scores);
  OutputFile out(path);
  out << "name";
  for (const auto& name : test.label_names) out << '\t' << name;
  out << '\n';
  char number[32];
  for (std::size_t i = 0; i < test.size(); ++i) {
    out << test.examples[i].name;
    for (const auto& column : scores) {
      // Nine significant digits give the float back exactly: the ranking, ties and metrics recomputed from
      // the file are the table's, down to the tiny probabilities a confident model gives its negatives.
      std::snprintf(number, sizeof number, "\t%.9g", static_cast<double>(column[i]));
      out << std::string_view(number);
    }
    out << '\n';
  }
  out.commit();
}

}  // namespace genobird::bench
