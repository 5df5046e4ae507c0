// bench_promoter_baseline: the k-mer baseline of the promoter benchmark (tools/bench/heads/promoter_dm3.sh).
//
// Logistic regression on the counts of every k-mer, k = 4..6 (256 + 1024 + 4096 features), trained by
// AdaGrad on the training file with an L2 penalty chosen on the validation file (mean AUROC), then scored
// on the test file: AUROC, AUPRC, and F1, MCC, accuracy at probability 0.5 — the figures genobird evaluate
// reports for a fine-tuned model on the same files.
//   bench_promoter_baseline --train T.tsv --valid V.tsv --test X.tsv [--epochs N] [--seed N]
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "train/labelled_data.h"
#include "train/metrics.h"

namespace {

using genobird::train::LabelledDataset;

constexpr int kMinK = 4, kMaxK = 6;

int base_code(char c) {
  switch (c) {
    case 'A': case 'a': return 0;
    case 'C': case 'c': return 1;
    case 'G': case 'g': return 2;
    case 'T': case 't': return 3;
    default: return -1;
  }
}

// Sparse k-mer count vector: (feature index, count) pairs; feature blocks for k = 4, 5, 6 follow each other.
using Features = std::vector<std::pair<int, float>>;

Features kmer_counts(const std::string& seq) {
  std::vector<float> dense;
  Features out;
  int offset = 0;
  for (int k = kMinK; k <= kMaxK; ++k) {
    const int size = 1 << (2 * k);
    dense.assign(static_cast<std::size_t>(size), 0.0f);
    for (std::size_t i = 0; i + static_cast<std::size_t>(k) <= seq.size(); ++i) {
      int code = 0;
      bool ok = true;
      for (int j = 0; j < k && ok; ++j) {
        int b = base_code(seq[i + static_cast<std::size_t>(j)]);
        ok = b >= 0;
        code = code * 4 + b;
      }
      if (ok) dense[static_cast<std::size_t>(code)] += 1;
    }
    for (int f = 0; f < size; ++f)
      if (dense[static_cast<std::size_t>(f)] != 0) out.emplace_back(offset + f, dense[static_cast<std::size_t>(f)]);
    offset += size;
  }
  return out;
}

constexpr int kFeatures = 256 + 1024 + 4096;

struct Model {
  std::vector<double> w = std::vector<double>(kFeatures + 1, 0.0);  // last: bias
  double score(const Features& x) const {
    double z = w[kFeatures];
    for (auto [f, v] : x) z += w[static_cast<std::size_t>(f)] * v;
    return 1.0 / (1.0 + std::exp(-z));
  }
};

Model train(const std::vector<Features>& x, const std::vector<std::uint8_t>& y, double l2, int epochs, unsigned seed) {
  Model m;
  std::vector<double> g2(kFeatures + 1, 1e-8);
  const double lr = 0.05;
  std::vector<std::size_t> order(x.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937_64 rng(seed);
  for (int e = 0; e < epochs; ++e) {
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
    for (std::size_t i : order) {
      const double err = m.score(x[i]) - y[i];
      for (auto [f, v] : x[i]) {
        const auto k = static_cast<std::size_t>(f);
        const double g = err * v + l2 * m.w[k];
        g2[k] += g * g;
        m.w[k] -= lr * g / std::sqrt(g2[k]);
      }
      g2[kFeatures] += err * err;
      m.w[kFeatures] -= lr * err / std::sqrt(g2[kFeatures]);
    }
  }
  return m;
}

struct Split {
  std::vector<Features> x;
  std::vector<std::uint8_t> y;
};

Split load(const std::string& path) {
  LabelledDataset d = genobird::train::read_labelled_dataset(path);
  Split s;
  for (std::size_t i = 0; i < d.size(); ++i) {
    s.x.push_back(kmer_counts(d.examples[i].sequence));
    s.y.push_back(d.label(i, 0));
  }
  return s;
}

std::vector<float> scores(const Model& m, const Split& s) {
  std::vector<float> out;
  for (const auto& x : s.x) out.push_back(static_cast<float>(m.score(x)));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string train_path, valid_path, test_path;
  int epochs = 10;
  unsigned seed = 42;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--train") train_path = argv[i + 1];
    else if (a == "--valid") valid_path = argv[i + 1];
    else if (a == "--test") test_path = argv[i + 1];
    else if (a == "--epochs") epochs = std::atoi(argv[i + 1]);
    else if (a == "--seed") seed = static_cast<unsigned>(std::atoi(argv[i + 1]));
    else {
      std::fprintf(stderr, "bench_promoter_baseline: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  if (train_path.empty() || valid_path.empty() || test_path.empty()) {
    std::fprintf(stderr, "usage: bench_promoter_baseline --train T.tsv --valid V.tsv --test X.tsv [--epochs N] [--seed N]\n");
    return 2;
  }
  try {
    Split tr = load(train_path), va = load(valid_path), te = load(test_path);
    double best_auroc = -1, best_l2 = 0;
    Model best;
    for (double l2 : {0.0, 1e-5, 1e-4, 1e-3}) {
      Model m = train(tr.x, tr.y, l2, epochs, seed);
      double a = genobird::train::auroc(scores(m, va), va.y);
      std::printf("baseline l2 %g: validation AUROC %.4f\n", l2, a);
      if (a > best_auroc) {
        best_auroc = a;
        best_l2 = l2;
        best = m;
      }
    }
    auto s = scores(best, te);
    auto t = genobird::train::threshold_metrics(genobird::train::confusion_counts(s, te.y, 0.5));
    std::printf("model\ttest_examples\tauroc\tauprc\taccuracy\tf1\tmcc\n");
    std::printf("kmer4-6_logistic(l2=%g)\t%zu\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\n", best_l2, te.y.size(),
                genobird::train::auroc(s, te.y), genobird::train::average_precision(s, te.y), t.accuracy, t.f1, t.mcc);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_promoter_baseline: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
