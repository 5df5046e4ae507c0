// bench_promoter_baseline: the k-mer baseline of the promoter benchmark (tools/bench/heads/promoter_dm3.sh).
//
// Logistic regression on the counts of every k-mer, k = 4..6 (256 + 1024 + 4096 features), trained by
// AdaGrad on the training file with an L2 penalty chosen on the validation file (mean AUROC), then scored
// on the test file: AUROC, AUPRC, and F1, MCC, accuracy at probability 0.5 — the figures genobird evaluate
// reports for a fine-tuned model on the same files. With --rc max a window scores the higher of its two
// strands (as `genobird evaluate --rc max` and `annotate --rc max`). With --genome, --window and --track it
// also writes a bedGraph along every sequence of the genome, bin for bin what `genobird annotate --step S`
// writes (the same windows: infer/windows.h; bins whose window is all N left out), so the two tracks can be
// scored against the same truth (tools/bench/annotate-chr2R.sh).
//   bench_promoter_baseline --train T.tsv --valid V.tsv --test X.tsv [--epochs N] [--seed N] [--rc off|max]
//                           [--genome FA --window BP --step BP --track OUT.bedgraph]
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
  std::vector<Features> x_rc;  // the reverse complements' counts (--rc max only)
  std::vector<std::uint8_t> y;
};

Split load(const std::string& path, bool both_strands) {
  LabelledDataset d = genobird::train::read_labelled_dataset(path);
  Split s;
  for (std::size_t i = 0; i < d.size(); ++i) {
    s.x.push_back(kmer_counts(d.examples[i].sequence));
    if (both_strands) s.x_rc.push_back(kmer_counts(genobird::io::reverse_complement(d.examples[i].sequence)));
    s.y.push_back(d.label(i, 0));
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
  std::string train_path, valid_path, test_path, rc = "off", genome_path, track_path;
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
    else if (a == "--window") window = std::atoll(argv[i + 1]);
    else if (a == "--step") step = std::atoll(argv[i + 1]);
    else {
      std::fprintf(stderr, "bench_promoter_baseline: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  const bool track = !genome_path.empty() || !track_path.empty();
  if (train_path.empty() || valid_path.empty() || test_path.empty() || (rc != "off" && rc != "max") ||
      (track && (genome_path.empty() || track_path.empty() || window <= 0 || step <= 0))) {
    std::fprintf(stderr, "usage: bench_promoter_baseline --train T.tsv --valid V.tsv --test X.tsv [--epochs N] [--seed N] "
                         "[--rc off|max] [--genome FA --window BP --step BP --track OUT.bedgraph]\n");
    return 2;
  }
  const bool both_strands = rc == "max";
  try {
    // With --rc max, training also reads each example's reverse complement (as genobird finetune's
    // augmentation does) and validation and test score both strands.
    Split tr = load(train_path, both_strands), va = load(valid_path, both_strands), te = load(test_path, both_strands);
    tr.x.insert(tr.x.end(), tr.x_rc.begin(), tr.x_rc.end());
    const std::vector<std::uint8_t> labels = tr.y;
    tr.y.insert(tr.y.end(), labels.begin(), labels.end());
    tr.x_rc.clear();
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
    if (track) write_track(best, genome_path, window, static_cast<std::uint64_t>(step), both_strands, track_path);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_promoter_baseline: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
