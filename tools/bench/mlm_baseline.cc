// mlm_baseline: what masked-token prediction reaches without a neural network, on exactly the validation
// examples `genobird pretrain` scores (same windows, same masking: the same seed, --seq-len and
// --valid-windows give the same examples, mlm_data.h).
//
// Held-out examples (train/mlm_evaluation.h), given one of two ways:
//   --valid-genome FA... --valid-windows N   as `genobird pretrain --valid-genome ... --valid-windows N`
//   --fasta FA --windows N [--mask-rate R]    as `genobird evaluate --fasta FA --windows N --mask-rate R`
// with the same --seq-len and --seed: the same windows and masked positions as the model was scored on, so
// a learning curve can set the model's held-out accuracy beside the n-gram's on the same tokens. With
// --fasta, --seq-len must be given (evaluate's default depends on the model).
//
// Two predictors, both counted on the training genomes (every sequence tokenized whole, both strands, as
// pretraining samples them):
//   most frequent   p(c) = unigram frequency; predicts the most frequent token everywhere.
//   bidirectional   the masked token from its left and right neighbour tokens as the model sees them
//   n-gram          (a neighbour may itself be [MASK] or a random token): recursive Dirichlet smoothing
//                   p(c | l, r) = (n(l, c, r) + b * q(c)) / (n(l, ., r) + b), with q(c) the mean of the
//                   smoothed left and right bigram estimates p(c | l) and p(c | r) (each smoothed towards
//                   the unigram the same way); neighbours that are special tokens drop out.
// The smoothing strength b is scanned over a grid and the best accuracy and the best perplexity are each
// reported at their own best b, which favours the baseline.
//
// Output: TSV on stdout, two rows per predictor: predictor, positions, masked_tokens, accuracy, perplexity,
// smoothing. positions "all" is every masked position, as the trainer's valid_accuracy/valid_perplexity;
// "mask_shown" only those whose input shows [MASK], as its valid_mask_accuracy/valid_mask_perplexity
// (at the others a model can copy the visible token; these predictors never look at it).
#include <boost/program_options.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "io/indexable_fasta.h"
#include "io/sequence.h"
#include "io/sequence_reader.h"
#include "tokenizer/tokenizer.h"
#include "train/genome_windows.h"
#include "train/mlm_data.h"
#include "train/mlm_evaluation.h"
#include "train/pretrainer.h"
#include "util/error.h"

namespace po = boost::program_options;
using namespace genobird;

namespace {

struct Query {
  std::int32_t left, right, target;  // left/right: -1 when the neighbour is a special token
  bool shows_mask;                   // the input shows [MASK] at the position
};

// Accuracy and perplexity over the queries (all, or only those showing [MASK]) from per-query hits and
// negative log-likelihoods.
struct Score {
  double accuracy, perplexity;
  std::size_t count;
};
Score score(const std::vector<Query>& queries, const std::vector<char>& hit, const std::vector<double>& nll,
            bool mask_shown_only) {
  double correct = 0, total_nll = 0;
  std::size_t count = 0;
  for (std::size_t i = 0; i < queries.size(); ++i) {
    if (mask_shown_only && !queries[i].shows_mask) continue;
    correct += hit[i];
    total_nll += nll[i];
    ++count;
  }
  return {correct / static_cast<double>(count), std::exp(total_nll / static_cast<double>(count)), count};
}

std::uint64_t pair_key(std::int64_t a, std::int64_t b) { return (static_cast<std::uint64_t>(a) << 32) | static_cast<std::uint64_t>(b); }

}  // namespace

int main(int argc, char** argv) {
  const train::PretrainOptions pretrain_defaults;
  const train::MlmEvaluationOptions evaluate_defaults;
  std::vector<std::string> genomes, valid_genomes;
  std::string tokenizer_path, fasta;
  std::int64_t seq_len = pretrain_defaults.seq_len, valid_windows = pretrain_defaults.valid_windows,
               windows = evaluate_defaults.windows;
  unsigned long seed = pretrain_defaults.seed;
  double max_n_fraction = pretrain_defaults.max_n_fraction;
  train::MaskingOptions masking;
  po::options_description options("mlm_baseline options");
  options.add_options()("help,h", "this help")
      ("genome", po::value(&genomes)->multitoken()->required(), "training genome FASTAs (as given to pretrain)")
      ("valid-genome", po::value(&valid_genomes)->multitoken(), "held-out genome FASTAs (as given to pretrain)")
      ("fasta", po::value(&fasta), "held-out FASTA (as given to genobird evaluate --fasta); instead of --valid-genome")
      ("tokenizer", po::value(&tokenizer_path)->required(), "tokenizer.json (the model's)")
      ("seq-len", po::value(&seq_len)->default_value(seq_len), "tokens per window, as given to pretrain or evaluate")
      ("valid-windows", po::value(&valid_windows)->default_value(valid_windows), "validation windows, as given to pretrain")
      ("windows", po::value(&windows)->default_value(windows), "with --fasta: windows, as given to evaluate")
      ("mask-rate", po::value(&masking.mask_fraction)->default_value(masking.mask_fraction, "0.15"),
       "with --fasta: as given to evaluate")
      ("max-n-fraction", po::value(&max_n_fraction)->default_value(max_n_fraction), "as given to pretrain or evaluate")
      ("seed", po::value(&seed)->default_value(seed), "as given to pretrain or evaluate");
  try {
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, options), vm);
    if (vm.count("help")) {
      std::cout << options;
      return 0;
    }
    po::notify(vm);
    if (valid_genomes.empty() == fasta.empty())
      throw po::error("give the held-out sequence as --valid-genome (pretrain's validation) or --fasta (evaluate's)");
    if (!fasta.empty() && vm["seq-len"].defaulted())
      throw po::error("--fasta needs the --seq-len given to (or chosen by) genobird evaluate");
    if (!fasta.empty() && !vm["valid-windows"].defaulted()) throw po::error("--fasta takes --windows, as evaluate does");
    if (fasta.empty() && (!vm["windows"].defaulted() || !vm["mask-rate"].defaulted()))
      throw po::error("--windows and --mask-rate go with --fasta; pretrain's validation uses --valid-windows and 15% masking");
    if (!(masking.mask_fraction > 0 && masking.mask_fraction <= 1)) throw po::error("--mask-rate must be in (0, 1]");
    std::optional<io::IndexableFasta> fasta_copy;  // a plain gzip --fasta is read decompressed, as evaluate does
    if (!fasta.empty()) {
      valid_genomes = {fasta_copy.emplace(fasta).path()};
      valid_windows = windows;
    }

    const tokenizer::Tokenizer tokenizer = tokenizer::Tokenizer::load(tokenizer_path);
    const std::int64_t vocab = static_cast<std::int64_t>(tokenizer.vocab_size());
    const std::int32_t first_ordinary = tokenizer::kMaskId + 1;

    // The held-out examples, exactly as the trainer and `genobird evaluate --fasta` make them.
    const train::GenomeWindows held_out = train::held_out_windows(tokenizer, valid_genomes, seq_len, max_n_fraction);
    const train::MlmExampleMaker maker(held_out, tokenizer, seq_len, seed, train::kValidStream, masking);
    train::WindowReader reader(held_out);
    std::vector<Query> queries;
    std::unordered_set<std::uint64_t> needed_contexts;
    for (std::int64_t i = 0; i < valid_windows; ++i) {
      train::MlmExample example = maker.make(static_cast<std::uint64_t>(i), reader);
      for (std::size_t p = 1; p + 1 < example.labels.size(); ++p) {
        if (example.labels[p] == train::kIgnoreLabel) continue;
        auto neighbour = [&](std::int64_t id) { return id >= first_ordinary ? static_cast<std::int32_t>(id) : -1; };
        Query q{neighbour(example.input_ids[p - 1]), neighbour(example.input_ids[p + 1]),
                static_cast<std::int32_t>(example.labels[p]), example.input_ids[p] == tokenizer::kMaskId};
        queries.push_back(q);
        if (q.left >= 0 && q.right >= 0) needed_contexts.insert(pair_key(q.left, q.right));
      }
    }

    // Counts on the training genomes, both strands. Trigrams only for the contexts the queries need.
    std::vector<double> unigram(static_cast<std::size_t>(vocab), 0.0);
    std::vector<std::uint32_t> left_bigram(static_cast<std::size_t>(vocab * vocab), 0);  // [l * V + c]
    std::vector<std::uint32_t> right_bigram(static_cast<std::size_t>(vocab * vocab), 0);  // [r * V + c]
    std::unordered_map<std::uint64_t, std::unordered_map<std::int32_t, std::uint32_t>> trigram;  // (l, r) -> c -> n
    double total = 0;
    for (const auto& path : genomes) {
      io::SequenceReader sequences(path, {true});
      io::SequenceRecord record;
      while (sequences.next(record)) {
        for (int strand = 0; strand < 2; ++strand) {
          if (strand == 1) io::reverse_complement_inplace(record.seq);
          const std::vector<std::int32_t> ids = tokenizer.encode(record.seq).ids;
          for (std::size_t i = 0; i < ids.size(); ++i) {
            const std::int32_t c = ids[i];
            unigram[static_cast<std::size_t>(c)] += 1;
            total += 1;
            if (i > 0) ++left_bigram[static_cast<std::size_t>(ids[i - 1] * vocab + c)];
            if (i + 1 < ids.size()) ++right_bigram[static_cast<std::size_t>(ids[i + 1] * vocab + c)];
            if (i > 0 && i + 1 < ids.size()) {
              auto it = needed_contexts.find(pair_key(ids[i - 1], ids[i + 1]));
              if (it != needed_contexts.end()) ++trigram[*it][c];
            }
          }
        }
      }
    }
    std::vector<double> left_total(static_cast<std::size_t>(vocab), 0), right_total(static_cast<std::size_t>(vocab), 0);
    for (std::int64_t a = 0; a < vocab; ++a)
      for (std::int64_t c = 0; c < vocab; ++c) {
        left_total[static_cast<std::size_t>(a)] += left_bigram[static_cast<std::size_t>(a * vocab + c)];
        right_total[static_cast<std::size_t>(a)] += right_bigram[static_cast<std::size_t>(a * vocab + c)];
      }
    // Unigram with add-one smoothing over the ordinary tokens (special tokens are never targets).
    const double ordinary = static_cast<double>(vocab - first_ordinary);
    std::vector<double> p1(static_cast<std::size_t>(vocab), 0.0);
    for (std::int64_t c = first_ordinary; c < vocab; ++c)
      p1[static_cast<std::size_t>(c)] = (unigram[static_cast<std::size_t>(c)] + 1) / (total + ordinary);

    std::printf("predictor\tpositions\tmasked_tokens\taccuracy\tperplexity\tsmoothing\n");
    const char* kPositions[2] = {"all", "mask_shown"};
    std::vector<char> hit(queries.size());
    std::vector<double> nll(queries.size());
    {
      const auto best = std::max_element(p1.begin(), p1.end()) - p1.begin();
      for (std::size_t i = 0; i < queries.size(); ++i) {
        hit[i] = queries[i].target == best;
        nll[i] = -std::log(p1[static_cast<std::size_t>(queries[i].target)]);
      }
      for (int subset = 0; subset < 2; ++subset) {
        const Score s = score(queries, hit, nll, subset == 1);
        std::printf("most_frequent\t%s\t%zu\t%.6f\t%.3f\t-\n", kPositions[subset], s.count, s.accuracy, s.perplexity);
      }
    }
    // Best accuracy and best perplexity over b, each at its own b, for each subset of positions.
    Score best[2] = {{0, INFINITY, 0}, {0, INFINITY, 0}};
    double best_accuracy_b[2] = {0, 0}, best_perplexity_b[2] = {0, 0};
    std::vector<double> q_mix(static_cast<std::size_t>(vocab));
    for (double b : {0.1, 0.3, 1.0, 3.0, 10.0, 30.0}) {
      for (std::size_t i = 0; i < queries.size(); ++i) {
        const Query& q = queries[i];
        // Smoothed bigram estimates from each available side, averaged.
        int sides = 0;
        std::fill(q_mix.begin(), q_mix.end(), 0.0);
        for (int side = 0; side < 2; ++side) {
          const std::int32_t n = side == 0 ? q.left : q.right;
          if (n < 0) continue;
          ++sides;
          const auto& counts = side == 0 ? left_bigram : right_bigram;
          const double denominator = (side == 0 ? left_total : right_total)[static_cast<std::size_t>(n)] + b;
          for (std::int64_t c = first_ordinary; c < vocab; ++c)
            q_mix[static_cast<std::size_t>(c)] +=
                (counts[static_cast<std::size_t>(n * vocab + c)] + b * p1[static_cast<std::size_t>(c)]) / denominator;
        }
        if (sides == 0) q_mix = p1;
        else for (auto& v : q_mix) v /= sides;
        const std::unordered_map<std::int32_t, std::uint32_t>* context = nullptr;
        double context_total = 0;
        if (q.left >= 0 && q.right >= 0) {
          auto it = trigram.find(pair_key(q.left, q.right));
          if (it != trigram.end()) {
            context = &it->second;
            for (const auto& item : it->second) context_total += item.second;
          }
        }
        auto probability = [&](std::int32_t c) {
          double n = 0;
          if (context != nullptr) {
            auto it = context->find(c);
            if (it != context->end()) n = it->second;
          }
          return (n + b * q_mix[static_cast<std::size_t>(c)]) / (context_total + b);
        };
        std::int32_t argmax = first_ordinary;
        double top = -1;
        for (std::int32_t c = first_ordinary; c < vocab; ++c) {
          const double p = probability(c);
          if (p > top) top = p, argmax = c;
        }
        hit[i] = argmax == q.target;
        nll[i] = -std::log(probability(q.target));
      }
      for (int subset = 0; subset < 2; ++subset) {
        const Score s = score(queries, hit, nll, subset == 1);
        best[subset].count = s.count;
        if (s.accuracy > best[subset].accuracy) best[subset].accuracy = s.accuracy, best_accuracy_b[subset] = b;
        if (s.perplexity < best[subset].perplexity) best[subset].perplexity = s.perplexity, best_perplexity_b[subset] = b;
        std::fprintf(stderr, "mlm_baseline: bidirectional n-gram, b = %g, %s positions: accuracy %.6f, perplexity %.3f\n",
                     b, kPositions[subset], s.accuracy, s.perplexity);
      }
    }
    for (int subset = 0; subset < 2; ++subset)
      std::printf("bidirectional_ngram\t%s\t%zu\t%.6f\t%.3f\tb=%g (accuracy), b=%g (perplexity)\n", kPositions[subset],
                  best[subset].count, best[subset].accuracy, best[subset].perplexity, best_accuracy_b[subset],
                  best_perplexity_b[subset]);
    return 0;
  } catch (const po::error& e) {
    std::cerr << "mlm_baseline: error: " << e.what() << "\n" << options;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "mlm_baseline: error: " << e.what() << "\n";
    return 1;
  }
}
