#include "train/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>

namespace genobird::train {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void check_sizes(const std::vector<float>& scores, const std::vector<std::uint8_t>& labels) {
  if (scores.size() != labels.size())
    throw std::invalid_argument("metrics: " + std::to_string(scores.size()) + " scores but " +
                                std::to_string(labels.size()) + " labels");
}

// Cumulative true/false positives at each distinct score, highest score first: entry k counts every
// example scoring >= thresholds[k].
struct ThresholdSweep {
  std::vector<double> thresholds;
  std::vector<std::uint64_t> true_positives;
  std::vector<std::uint64_t> false_positives;
  std::uint64_t positives = 0;
  std::uint64_t negatives = 0;
};

ThresholdSweep sweep(const std::vector<float>& scores, const std::vector<std::uint8_t>& labels) {
  check_sizes(scores, labels);
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  ThresholdSweep s;
  std::uint64_t tp = 0, fp = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (labels[order[i]]) ++tp; else ++fp;
    bool last_of_tie = i + 1 == order.size() || scores[order[i + 1]] != scores[order[i]];
    if (last_of_tie) {
      s.thresholds.push_back(scores[order[i]]);
      s.true_positives.push_back(tp);
      s.false_positives.push_back(fp);
    }
  }
  s.positives = tp;
  s.negatives = fp;
  return s;
}

double ratio(double numerator, double denominator) { return denominator > 0 ? numerator / denominator : 0.0; }

}  // namespace

double auroc(const std::vector<float>& scores, const std::vector<std::uint8_t>& labels) {
  ThresholdSweep s = sweep(scores, labels);
  if (s.positives == 0 || s.negatives == 0) return kNaN;
  // Trapezoids between consecutive points of the ROC curve: a tied group contributes the triangle that
  // counts its positive-negative pairs one half, which is the Mann-Whitney statistic.
  double area = 0;
  std::uint64_t prev_tp = 0, prev_fp = 0;
  for (std::size_t k = 0; k < s.thresholds.size(); ++k) {
    double d_fp = static_cast<double>(s.false_positives[k] - prev_fp);
    area += d_fp * (static_cast<double>(prev_tp) + static_cast<double>(s.true_positives[k])) / 2.0;
    prev_tp = s.true_positives[k];
    prev_fp = s.false_positives[k];
  }
  return area / (static_cast<double>(s.positives) * static_cast<double>(s.negatives));
}

double average_precision(const std::vector<float>& scores, const std::vector<std::uint8_t>& labels) {
  ThresholdSweep s = sweep(scores, labels);
  if (s.positives == 0) return kNaN;
  double ap = 0;
  std::uint64_t prev_tp = 0;
  for (std::size_t k = 0; k < s.thresholds.size(); ++k) {
    double precision = static_cast<double>(s.true_positives[k]) /
                       static_cast<double>(s.true_positives[k] + s.false_positives[k]);
    ap += static_cast<double>(s.true_positives[k] - prev_tp) / static_cast<double>(s.positives) * precision;
    prev_tp = s.true_positives[k];
  }
  return ap;
}

ConfusionCounts confusion_counts(const std::vector<float>& scores, const std::vector<std::uint8_t>& labels,
                                 double threshold) {
  check_sizes(scores, labels);
  ConfusionCounts c;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    bool predicted = scores[i] >= threshold;
    if (labels[i]) {
      if (predicted) ++c.true_positives; else ++c.false_negatives;
    } else {
      if (predicted) ++c.false_positives; else ++c.true_negatives;
    }
  }
  return c;
}

ThresholdMetrics threshold_metrics(const ConfusionCounts& c) {
  const double tp = static_cast<double>(c.true_positives), fp = static_cast<double>(c.false_positives);
  const double tn = static_cast<double>(c.true_negatives), fn = static_cast<double>(c.false_negatives);
  ThresholdMetrics m;
  m.accuracy = ratio(tp + tn, tp + fp + tn + fn);
  m.precision = ratio(tp, tp + fp);
  m.recall = ratio(tp, tp + fn);
  m.f1 = ratio(2 * m.precision * m.recall, m.precision + m.recall);
  double denominator = std::sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
  m.mcc = ratio(tp * tn - fp * fn, denominator);
  return m;
}

std::vector<CurvePoint> roc_curve(const std::vector<float>& scores, const std::vector<std::uint8_t>& labels) {
  ThresholdSweep s = sweep(scores, labels);
  std::vector<CurvePoint> curve;
  if (s.positives == 0 || s.negatives == 0) return curve;
  curve.push_back({std::numeric_limits<double>::infinity(), 0.0, 0.0});
  for (std::size_t k = 0; k < s.thresholds.size(); ++k)
    curve.push_back({s.thresholds[k], static_cast<double>(s.false_positives[k]) / static_cast<double>(s.negatives),
                     static_cast<double>(s.true_positives[k]) / static_cast<double>(s.positives)});
  return curve;
}

std::vector<CurvePoint> pr_curve(const std::vector<float>& scores, const std::vector<std::uint8_t>& labels) {
  ThresholdSweep s = sweep(scores, labels);
  std::vector<CurvePoint> curve;
  if (s.positives == 0 || s.negatives == 0) return curve;
  curve.push_back({std::numeric_limits<double>::infinity(), 0.0, 1.0});
  for (std::size_t k = 0; k < s.thresholds.size(); ++k) {
    double predicted = static_cast<double>(s.true_positives[k] + s.false_positives[k]);
    curve.push_back({s.thresholds[k], static_cast<double>(s.true_positives[k]) / static_cast<double>(s.positives),
                     static_cast<double>(s.true_positives[k]) / predicted});
  }
  return curve;
}

std::string label_group(const std::string& label) {
  std::size_t colon = label.find(':');
  return colon == std::string::npos ? std::string() : label.substr(0, colon);
}

LabelMetrics label_metrics(const std::string& label, const std::vector<float>& scores,
                           const std::vector<std::uint8_t>& labels, double threshold) {
  LabelMetrics m;
  m.label = label;
  m.group = label_group(label);
  m.examples = labels.size();
  m.positives = static_cast<std::size_t>(std::count_if(labels.begin(), labels.end(), [](std::uint8_t v) { return v != 0; }));
  m.auroc = auroc(scores, labels);
  m.auprc = average_precision(scores, labels);
  m.at_threshold = threshold_metrics(confusion_counts(scores, labels, threshold));
  return m;
}

double mean_of(const std::vector<double>& values) {
  double sum = 0;
  std::size_t n = 0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    sum += v;
    ++n;
  }
  return n ? sum / static_cast<double>(n) : kNaN;
}

double median_of(std::vector<double> values) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }), values.end());
  if (values.empty()) return kNaN;
  std::sort(values.begin(), values.end());
  std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

namespace {

MetricsSummary summarise_group(const std::string& group, const std::vector<const LabelMetrics*>& members) {
  std::vector<double> auroc_values, auprc_values, f1_values, mcc_values, accuracy_values;
  for (const auto* m : members) {
    auroc_values.push_back(m->auroc);
    auprc_values.push_back(m->auprc);
    f1_values.push_back(m->at_threshold.f1);
    mcc_values.push_back(m->at_threshold.mcc);
    accuracy_values.push_back(m->at_threshold.accuracy);
  }
  MetricsSummary s;
  s.group = group;
  s.labels = members.size();
  s.mean_auroc = mean_of(auroc_values);
  s.median_auroc = median_of(auroc_values);
  s.mean_auprc = mean_of(auprc_values);
  s.median_auprc = median_of(auprc_values);
  s.mean_f1 = mean_of(f1_values);
  s.median_f1 = median_of(f1_values);
  s.mean_mcc = mean_of(mcc_values);
  s.median_mcc = median_of(mcc_values);
  s.mean_accuracy = mean_of(accuracy_values);
  return s;
}

}  // namespace

std::vector<MetricsSummary> summarise(const std::vector<LabelMetrics>& per_label) {
  std::vector<const LabelMetrics*> all;
  std::map<std::string, std::vector<const LabelMetrics*>> groups;
  for (const auto& m : per_label) {
    all.push_back(&m);
    groups[m.group].push_back(&m);
  }
  std::vector<MetricsSummary> out = {summarise_group("all", all)};
  bool grouped = groups.size() > 1 || (groups.size() == 1 && !groups.begin()->first.empty());
  if (grouped)
    for (const auto& [group, members] : groups) out.push_back(summarise_group(group.empty() ? "(none)" : group, members));
  return out;
}

}  // namespace genobird::train
