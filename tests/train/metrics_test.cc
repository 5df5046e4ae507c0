#include "train/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace genobird::train {
namespace {

using Scores = std::vector<float>;
using Labels = std::vector<std::uint8_t>;

// Exact AUROC by counting every positive-negative pair (ties count one half).
double auroc_by_pairs(const Scores& s, const Labels& y) {
  double wins = 0, pairs = 0;
  for (std::size_t i = 0; i < s.size(); ++i)
    for (std::size_t j = 0; j < s.size(); ++j)
      if (y[i] && !y[j]) {
        pairs += 1;
        wins += s[i] > s[j] ? 1.0 : s[i] == s[j] ? 0.5 : 0.0;
      }
  return wins / pairs;
}

// Average precision as the mean, over positives, of the precision of calling positive everything that
// scores at least as high as that positive.
double ap_by_positives(const Scores& s, const Labels& y) {
  double sum = 0;
  int positives = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!y[i]) continue;
    ++positives;
    double called = 0, correct = 0;
    for (std::size_t j = 0; j < s.size(); ++j)
      if (s[j] >= s[i]) {
        called += 1;
        correct += y[j];
      }
    sum += correct / called;
  }
  return sum / positives;
}

// MCC as the Pearson correlation of the 0/1 prediction and label vectors.
double mcc_by_correlation(const Scores& s, const Labels& y, double threshold) {
  double n = static_cast<double>(s.size()), mp = 0, my = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    mp += s[i] >= threshold;
    my += y[i];
  }
  mp /= n;
  my /= n;
  double cov = 0, vp = 0, vy = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    double p = (s[i] >= threshold) - mp, t = y[i] - my;
    cov += p * t;
    vp += p * p;
    vy += t * t;
  }
  return vp > 0 && vy > 0 ? cov / std::sqrt(vp * vy) : 0.0;
}

TEST(Metrics, HandComputedSmallExample) {
  // sklearn's documented example: roc_auc_score = 0.75, average_precision_score = 0.8333.
  Scores s = {0.1f, 0.4f, 0.35f, 0.8f};
  Labels y = {0, 0, 1, 1};
  EXPECT_DOUBLE_EQ(auroc(s, y), 0.75);
  EXPECT_NEAR(average_precision(s, y), (1.0 + 2.0 / 3.0) / 2.0, 1e-12);
  // Threshold 0.38: predicted positive {0.4, 0.8}: TP 1, FP 1, TN 1, FN 1.
  ConfusionCounts c = confusion_counts(s, y, 0.38);
  EXPECT_EQ(c.true_positives, 1u);
  EXPECT_EQ(c.false_positives, 1u);
  EXPECT_EQ(c.true_negatives, 1u);
  EXPECT_EQ(c.false_negatives, 1u);
  ThresholdMetrics m = threshold_metrics(c);
  EXPECT_DOUBLE_EQ(m.accuracy, 0.5);
  EXPECT_DOUBLE_EQ(m.precision, 0.5);
  EXPECT_DOUBLE_EQ(m.recall, 0.5);
  EXPECT_DOUBLE_EQ(m.f1, 0.5);
  EXPECT_DOUBLE_EQ(m.mcc, 0.0);
}

TEST(Metrics, HandComputedCounts) {
  // TP 6, FP 2, TN 9, FN 3: precision 0.75, recall 2/3, F1 12/17, MCC (54-6)/sqrt(8*9*11*12).
  ConfusionCounts c{6, 2, 9, 3};
  ThresholdMetrics m = threshold_metrics(c);
  EXPECT_DOUBLE_EQ(m.accuracy, 15.0 / 20.0);
  EXPECT_DOUBLE_EQ(m.precision, 0.75);
  EXPECT_DOUBLE_EQ(m.recall, 2.0 / 3.0);
  EXPECT_NEAR(m.f1, 12.0 / 17.0, 1e-12);
  EXPECT_NEAR(m.mcc, 48.0 / std::sqrt(8.0 * 9.0 * 11.0 * 12.0), 1e-12);
}

TEST(Metrics, DegenerateCases) {
  EXPECT_TRUE(std::isnan(auroc({0.1f, 0.2f}, {1, 1})));
  EXPECT_TRUE(std::isnan(average_precision({0.1f, 0.2f}, {0, 0})));
  EXPECT_DOUBLE_EQ(auroc({0.5f, 0.5f, 0.5f}, {1, 0, 0}), 0.5);  // all tied
  EXPECT_DOUBLE_EQ(auroc({0.9f, 0.1f}, {1, 0}), 1.0);
  EXPECT_DOUBLE_EQ(auroc({0.1f, 0.9f}, {1, 0}), 0.0);
  ThresholdMetrics none = threshold_metrics(confusion_counts({0.1f, 0.2f}, {1, 0}, 0.5));  // nothing called
  EXPECT_DOUBLE_EQ(none.precision, 0.0);
  EXPECT_DOUBLE_EQ(none.f1, 0.0);
  EXPECT_DOUBLE_EQ(none.mcc, 0.0);
  EXPECT_THROW(auroc({0.1f}, {1, 0}), std::invalid_argument);
}

TEST(Metrics, MatchIndependentReferencesOnRandomSets) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    std::size_t n = 2 + rng() % 60;
    Scores s(n);
    Labels y(n);
    // Coarse scores make many ties, the hard case for the sweep.
    for (std::size_t i = 0; i < n; ++i) {
      y[i] = rng() % 3 == 0;
      s[i] = static_cast<float>(rng() % 10) / 10.0f + (y[i] ? 0.15f : 0.0f);
    }
    bool both = std::count(y.begin(), y.end(), 1) > 0 && std::count(y.begin(), y.end(), 0) > 0;
    if (!both) continue;
    EXPECT_NEAR(auroc(s, y), auroc_by_pairs(s, y), 1e-12) << "trial " << trial;
    EXPECT_NEAR(average_precision(s, y), ap_by_positives(s, y), 1e-12) << "trial " << trial;
    EXPECT_NEAR(threshold_metrics(confusion_counts(s, y, 0.5)).mcc, mcc_by_correlation(s, y, 0.5), 1e-12);
  }
}

TEST(Metrics, CurvesEndAtCornersAndIntegrateToAuroc) {
  Scores s = {0.9f, 0.8f, 0.8f, 0.3f, 0.2f, 0.1f};
  Labels y = {1, 0, 1, 1, 0, 0};
  auto roc = roc_curve(s, y);
  ASSERT_GE(roc.size(), 2u);
  EXPECT_DOUBLE_EQ(roc.front().x, 0.0);
  EXPECT_DOUBLE_EQ(roc.back().x, 1.0);
  EXPECT_DOUBLE_EQ(roc.back().y, 1.0);
  double area = 0;
  for (std::size_t i = 1; i < roc.size(); ++i) area += (roc[i].x - roc[i - 1].x) * (roc[i].y + roc[i - 1].y) / 2;
  EXPECT_NEAR(area, auroc_by_pairs(s, y), 1e-12);
  auto pr = pr_curve(s, y);
  EXPECT_DOUBLE_EQ(pr.back().x, 1.0);
  EXPECT_DOUBLE_EQ(pr.back().y, 0.5);  // everything called: precision = prevalence
}

TEST(Metrics, SummaryMeanMedianAndGroups) {
  std::vector<LabelMetrics> per_label(4);
  const char* names[] = {"TF:a", "TF:b", "DNase:c", "TF:d"};
  double aurocs[] = {0.9, 0.7, 0.6, std::nan("")};
  for (int i = 0; i < 4; ++i) {
    per_label[i].label = names[i];
    per_label[i].group = label_group(names[i]);
    per_label[i].auroc = aurocs[i];
  }
  auto summary = summarise(per_label);
  ASSERT_EQ(summary.size(), 3u);
  EXPECT_EQ(summary[0].group, "all");
  EXPECT_EQ(summary[0].labels, 4u);
  EXPECT_NEAR(summary[0].mean_auroc, (0.9 + 0.7 + 0.6) / 3, 1e-12);  // NaN skipped
  EXPECT_NEAR(summary[0].median_auroc, 0.7, 1e-12);
  EXPECT_EQ(summary[1].group, "DNase");
  EXPECT_EQ(summary[2].group, "TF");
  EXPECT_NEAR(summary[2].median_auroc, 0.8, 1e-12);
  EXPECT_EQ(label_group("plain"), "");
}

}  // namespace
}  // namespace genobird::train
