// bench_promoter_baseline: the k-mer baseline of the promoter benchmark (tools/bench/heads/promoter_dm3.sh)
// and, on a multi-label dataset, the k-mer peer of the chromatin-profile benchmark.
//
// Logistic regression on the counts of every k-mer, k = 4..6 (256 + 1024 + 4096 features), trained by
// AdaGrad on the training file with an L2 penalty chosen on the validation file (AUROC), then scored
// on the test file: AUROC, AUPRC, and F1, MCC, accuracy at probability 0.5 — the figures genobird evaluate
// reports for a fine-tuned model on the same files. With --rc max a window scores the higher of its two
// strands (as `genobird evaluate --rc max` and `annotate --rc max`). With --genome, --window and --track it
// also writes a bedGraph along every sequence of the genome, bin for bin what `genobird annotate --step S`
// writes (the same windows: infer/windows.h; bins whose window is all N left out), so the two tracks can be
// scored against the same truth (tools/bench/annotate-chr2R.sh).
//
// A dataset with several labels (`genobird make-dataset chromatin`) gets one model per label, each with its
// own L2 penalty chosen on that label's validation AUROC (progress on stderr); stdout is then the table
// `label positives examples auroc auprc`, one row per label and a `mean` row, as bench_deepsea_cnn prints
// (label_table.h). A one-label dataset keeps the promoter output (a `baseline l2` line per penalty, then the
// `model` table). --predictions writes each test example's probability per label (name, one column per label).
//   bench_promoter_baseline --train T.tsv --valid V.tsv --test X.tsv [--epochs N] [--seed N] [--rc off|max]
//                           [--predictions P.tsv] [--genome FA --window BP --step BP --track OUT.bedgraph]
// --track needs a one-label dataset. Exit status: 0; 1 for bad input; 2 for a bad command line.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "infer/windows.h"
#include "io/indexed_fasta.h"
#include "io/sequence.h"
#include "label_table.h"
#include "train/labelled_data.h"
#include "train/metrics.h"
#include "util/output_file.h"

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
// 16 bits each (5,376 features; a count above 65,535, only possible in a sequence that long, is an error):
// a multi-label run keeps every split's vectors for all its labels, tens of thousands of 1,000 bp windows.
using Features = std::vector<std::pair<std::uint16_t, std::uint16_t>>;

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
    for (int f = 0; f < size; ++f) {
      if (dense[static_cast<std::size_t>(f)] > 65535)
        throw std::runtime_error("a " + std::to_string(k) + "-mer occurs more than 65,535 times in one " +
                                 std::to_string(seq.size()) + " bp sequence: too long for the k-mer baseline");
      if (dense[static_cast<std::size_t>(f)] != 0)
        out.emplace_back(static_cast<std::uint16_t>(offset + f), static_cast<std::uint16_t>(dense[static_cast<std::size_t>(f)]));
    }
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
  LabelledDataset data;        // names, label names and labels
  std::vector<Features> x;
  std::vector<Features> x_rc;  // the reverse complements' counts (--rc max only)
};

Split load(const std::string& path, bool both_strands) {
  Split s;
  s.data = genobird::train::read_labelled_dataset(path);
  for (const auto& example : s.data.examples) {
    s.x.push_back(kmer_counts(example.sequence));
    if (both_strands) s.x_rc.push_back(kmer_counts(genobird::io::reverse_complement(example.sequence)));
  }
  return s;
}

std::vector<float> scores(const Model& m, const Split& s) {
  std::vector<float> out;
  for (std::size_t i = 0; i < s.x.size(); ++i) {
    double p = m.score(s.x[i]);
    if (!s.x_rc.empty()) p = std::max(p, m.score(s.x_rc[i]));
    out.push_back(static_cast<float>(p));
  }
  return out;
}

// The L2 penalties tried; the best on the validation AUROC is kept.
constexpr double kPenalties[] = {0.0, 1e-5, 1e-4, 1e-3};

struct Fitted {
  Model model;
  double l2 = 0;
  double valid_auroc = -1;  // -1: no model yet
};

// Trains one model per penalty for `label` and keeps the best on validation (the first when the validation
// labels hold one class only, and AUROC is NaN). `training` holds the training vectors (both strands' with
// --rc max); their labels are `training_labels`. `report` receives each penalty's validation AUROC.
template <typename Report>
Fitted fit_label(const std::vector<Features>& training, const std::vector<std::uint8_t>& training_labels, const Split& va,
                 std::size_t label, int epochs, unsigned seed, Report report) {
  const std::vector<std::uint8_t> truth = va.data.label_column(label);
  Fitted best;
  for (double l2 : kPenalties) {
    Model m = train(training, training_labels, l2, epochs, seed);
    const double a = genobird::train::auroc(scores(m, va), truth);
    report(l2, a);
    if (best.valid_auroc < 0 || a > best.valid_auroc) best = Fitted{m, l2, a};
  }
  return best;
}

// The training labels of `label`, repeated for the reverse-complement copies when there are any.
std::vector<std::uint8_t> training_labels(const Split& tr, std::size_t label, bool both_strands) {
  std::vector<std::uint8_t> y = tr.data.label_column(label);
  if (both_strands) y.insert(y.end(), y.begin(), y.end());
  return y;
}

// The bedGraph of the model along every sequence of `genome_path`, in annotate's bins and windows.
void write_track(const Model& m, const std::string& genome_path, std::int64_t window, std::uint64_t step, bool both_strands,
                 const std::string& path) {
  namespace infer = genobird::infer;
  genobird::io::IndexedFasta genome(genome_path);
  std::FILE* out = std::fopen(path.c_str(), "w");
  if (!out) throw std::runtime_error("cannot write " + path);
  std::string bases;
  for (const auto& chrom : genome.names()) {
    const std::uint64_t length = genome.length(chrom);
    for (std::uint64_t start = 0; start < length; start += step) {
      const std::uint64_t end = std::min(length, start + step);
      infer::fetch_window(genome, chrom, length, infer::bin_window(start, end, window, length), false, bases);
      if (infer::no_called_base(bases)) continue;
      double p = m.score(kmer_counts(bases));
      if (both_strands) p = std::max(p, m.score(kmer_counts(genobird::io::reverse_complement(bases))));
      std::fprintf(out, "%s\t%llu\t%llu\t%.4f\n", chrom.c_str(), static_cast<unsigned long long>(start),
                   static_cast<unsigned long long>(end), p);
    }
  }
  if (std::fclose(out) != 0) throw std::runtime_error("cannot write " + path);
}

}  // namespace

int main(int argc, char** argv) {
  std::string train_path, valid_path, test_path, rc = "off", genome_path, track_path, predictions_path;
  std::int64_t window = 0, step = 0;
  int epochs = 10;
  unsigned seed = 42;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--train") train_path = argv[i + 1];
    else if (a == "--valid") valid_path = argv[i + 1];
    else if (a == "--test") test_path = argv[i + 1];
    else if (a == "--epochs") epochs = std::atoi(argv[i + 1]);
    else if (a == "--seed") seed = static_cast<unsigned>(std::atoi(argv[i + 1]));
    else if (a == "--rc") rc = argv[i + 1];
    else if (a == "--genome") genome_path = argv[i + 1];
    else if (a == "--track") track_path = argv[i + 1];
    else if (a == "--predictions") predictions_path = argv[i + 1];
    else if (a == "--window") window = std::atoll(argv[i + 1]);
    else if (a == "--step") step = std::atoll(argv[i + 1]);
    else {
      std::fprintf(stderr, "bench_promoter_baseline: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  const bool track = !genome_path.empty() || !track_path.empty();
  if (argc % 2 == 0 || epochs < 1 || train_path.empty() || valid_path.empty() || test_path.empty() || (rc != "off" && rc != "max") ||
      (track && (genome_path.empty() || track_path.empty() || window <= 0 || step <= 0))) {
    std::fprintf(stderr, "usage: bench_promoter_baseline --train T.tsv --valid V.tsv --test X.tsv [--epochs N] [--seed N] "
                         "[--rc off|max] [--predictions P.tsv] [--genome FA --window BP --step BP --track OUT.bedgraph]\n");
    return 2;
  }
  const bool both_strands = rc == "max";
  try {
    if (!predictions_path.empty()) genobird::check_output_path(predictions_path, "--predictions");
    // With --rc max, training also reads each example's reverse complement (as genobird finetune's
    // augmentation does) and validation and test score both strands.
    Split tr = load(train_path, both_strands), va = load(valid_path, both_strands), te = load(test_path, both_strands);
    if (va.data.label_names != tr.data.label_names || te.data.label_names != tr.data.label_names)
      throw std::runtime_error("the labels of " + valid_path + " and " + test_path + " must be those of " + train_path +
                               ", in the same order");
    std::vector<Features> training = std::move(tr.x);
    training.insert(training.end(), tr.x_rc.begin(), tr.x_rc.end());
    tr.x_rc.clear();
    const std::size_t labels = tr.data.num_labels();
    if (track && labels != 1)
      throw std::runtime_error("--track draws one label's model: " + train_path + " has " + std::to_string(labels));
    genobird::bench::LabelScores test_scores;
    if (labels == 1) {
      const Fitted best = fit_label(training, training_labels(tr, 0, both_strands), va, 0, epochs, seed, [](double l2, double a) {
        std::printf("baseline l2 %g: validation AUROC %.4f\n", l2, a);
      });
      auto s = scores(best.model, te);
      const std::vector<std::uint8_t> truth = te.data.label_column(0);
      auto t = genobird::train::threshold_metrics(genobird::train::confusion_counts(s, truth, 0.5));
      std::printf("model\ttest_examples\tauroc\tauprc\taccuracy\tf1\tmcc\n");
      std::printf("kmer4-6_logistic(l2=%g)\t%zu\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\n", best.l2, truth.size(),
                  genobird::train::auroc(s, truth), genobird::train::average_precision(s, truth), t.accuracy, t.f1, t.mcc);
      if (track) write_track(best.model, genome_path, window, static_cast<std::uint64_t>(step), both_strands, track_path);
      test_scores.push_back(std::move(s));
    } else {
      for (std::size_t k = 0; k < labels; ++k) {
        const std::string& name = tr.data.label_names[k];
        const Fitted best = fit_label(training, training_labels(tr, k, both_strands), va, k, epochs, seed, [&](double l2, double a) {
          std::fprintf(stderr, "%s: l2 %g: validation AUROC %.4f\n", name.c_str(), l2, a);
        });
        std::fprintf(stderr, "%s: kept l2 %g\n", name.c_str(), best.l2);
        test_scores.push_back(scores(best.model, te));
      }
      genobird::bench::print_label_table(stdout, te.data, test_scores);
    }
    if (!predictions_path.empty()) genobird::bench::write_predictions(predictions_path, te.data, test_scores);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_promoter_baseline: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
