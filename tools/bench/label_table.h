// The per-label test table and the predictions file that the chromatin-profile peers print alike
// (bench_deepsea_cnn, bench_promoter_baseline on multi-label data), so their figures and files line up
// row for row with each other and with `genobird evaluate`'s metrics (train/metrics.h).
//
// Table (stdout): a header `label positives examples auroc auprc`, one row per label in the dataset's
// order, then a `mean` row: the mean AUROC and mean AUPRC over the labels whose test examples hold both
// classes (its positives and examples columns are the totals over all labels and the example count). A
// label with one class only prints NA for both figures.
// Predictions file: a header `name LABEL1 ...` then one row per test example, in file order, its name and
// one probability per label (9 significant digits: the float exactly).
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "train/labelled_data.h"

namespace genobird::bench {

// scores[k][i]: the probability of label k for test example i.
using LabelScores = std::vector<std::vector<float>>;

// Writes the table above to `out`. Throws std::invalid_argument when scores do not match the dataset.
void print_label_table(std::FILE* out, const train::LabelledDataset& test, const LabelScores& scores);

// Writes the predictions file atomically (util/output_file.h); "-" is stdout. Throws IoError.
void write_predictions(const std::string& path, const train::LabelledDataset& test, const LabelScores& scores);

}  // namespace genobird::bench
