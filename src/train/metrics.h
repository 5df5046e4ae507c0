// Metrics of binary (per-label) predictions: AUROC, average precision (AUPRC), and accuracy, precision,
// recall, F1 and MCC at a threshold, per label and summarised over labels (mean, median, per label group).
//
// Conventions, chosen to match scikit-learn so that figures can be compared with published ones:
//   - A prediction is positive when score >= threshold.
//   - AUROC is the Mann-Whitney statistic: the probability that a random positive scores above a random
//     negative, ties counting one half. It is NaN when the labels hold only one class.
//   - Average precision is sum_k (R_k - R_{k-1}) * P_k over the distinct score thresholds taken from the
//     highest down (sklearn.metrics.average_precision_score); NaN when there is no positive.
//   - Precision with no predicted positive, recall with no positive, F1 with precision + recall = 0 and
//     MCC with a zero denominator are 0 (sklearn's zero_division=0).
// Summaries skip NaN values (a label without positives in a test set has no AUROC).
// All functions are pure and thread-safe. Scores and labels must have the same length (std::invalid_argument
// otherwise, a programming error).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace genobird::train {

struct ConfusionCounts {
  std::uint64_t true_positives = 0;
  std::uint64_t false_positives = 0;
  std::uint64_t true_negatives = 0;
  std::uint64_t false_negatives = 0;
};

struct ThresholdMetrics {
  double accuracy = 0;
  double precision = 0;
  double recall = 0;
  double f1 = 0;
  double mcc = 0;
};

// One point of a ROC curve (x = false-positive rate, y = true-positive rate) or of a precision-recall
// curve (x = recall, y = precision), reached by calling positive every score >= threshold.
struct CurvePoint {
  double threshold = 0;
  double x = 0;
  double y = 0;
};

double auroc(const std::vector<float>& scores, const std::vector<std::uint8_t>& labels);
double average_precision(const std::vector<float>& scores, const std::vector<std::uint8_t>& labels);
ConfusionCounts confusion_counts(const std::vector<float>& scores, const std::vector<std::uint8_t>& labels,
                                 double threshold);
ThresholdMetrics threshold_metrics(const ConfusionCounts& counts);

// Curves from the highest threshold down; the ROC curve starts at (0, 0) and ends at (1, 1), the PR curve
// starts at (0, 1) (sklearn's convention) and ends at full recall. Empty when a class is missing.
std::vector<CurvePoint> roc_curve(const std::vector<float>& scores, const std::vector<std::uint8_t>& labels);
std::vector<CurvePoint> pr_curve(const std::vector<float>& scores, const std::vector<std::uint8_t>& labels);

struct LabelMetrics {
  std::string label;
  std::string group;  // label_group(label)
  std::size_t examples = 0;
  std::size_t positives = 0;
  double auroc = 0;
  double auprc = 0;
  ThresholdMetrics at_threshold;
};

// A label's group: the text before its first ':' ("TF:CTCF" -> "TF"), or "" when it has none.
std::string label_group(const std::string& label);

LabelMetrics label_metrics(const std::string& label, const std::vector<float>& scores,
                           const std::vector<std::uint8_t>& labels, double threshold);

// Mean and median of each metric over a set of labels.
struct MetricsSummary {
  std::string group;  // "all", or a label group
  std::size_t labels = 0;
  double mean_auroc = 0, median_auroc = 0;
  double mean_auprc = 0, median_auprc = 0;
  double mean_f1 = 0, median_f1 = 0;
  double mean_mcc = 0, median_mcc = 0;
  double mean_accuracy = 0;
};

// "all" first, then one summary per non-empty label group in name order (only when more than one group
// exists or the single group is not "").
std::vector<MetricsSummary> summarise(const std::vector<LabelMetrics>& per_label);

// Median of the non-NaN values; NaN when there is none.
double median_of(std::vector<double> values);
// Mean of the non-NaN values; NaN when there is none.
double mean_of(const std::vector<double>& values);

}  // namespace genobird::train
