// Backtracking encoder tests: the split check against its definition (BPE of the two tokens' joined
// text), tokens that their own merges cannot make, and differential tests against the reference and the
// rank-order merger on trained vocabularies of 4096 and 32000 tokens (ids past the encoder's shared memo),
// random merge lists, N runs, lowercase and chromosome-length runs.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <unordered_map>

#include "io/sequence_reader.h"
#include "random_bpe_model.h"
#include "reference_bpe.h"
#include "tokenizer/bpe_trainer.h"
#include "tokenizer/split_checker.h"
#include "tokenizer/tokenizer.h"
#include "word_merger.h"

namespace genobird::tokenizer {
namespace {

using testing::reference_encode;

PairTable pair_table(const BpeModel& model) {
  std::unordered_map<std::string, std::int32_t> ids;
  for (std::size_t id = 0; id < model.vocab.size(); ++id) ids[model.vocab[id]] = static_cast<std::int32_t>(id);
  PairTable pairs(model.merges.size());
  for (std::size_t rank = 0; rank < model.merges.size(); ++rank) {
    auto [left, right] = model.merges[rank];
    std::string joined = model.vocab[static_cast<std::size_t>(left)] + model.vocab[static_cast<std::size_t>(right)];
    pairs.insert(left, right, MergeRule{static_cast<std::int32_t>(rank), ids.at(joined)});
  }
  return pairs;
}

std::vector<std::string> reference_texts(const BpeModel& model, const std::string& text) {
  std::vector<std::string> texts;
  for (const auto& token : reference_encode(model, text)) texts.push_back(token.text);
  return texts;
}

TEST(SplitChecker, AgreesWithTheDefinitionOnEveryPairOfRandomModels) {
  std::mt19937 rng(23);
  for (int m = 0; m < 12; ++m) {
    BpeModel model = testing::random_bpe_model(rng, 30 + rng() % 60, 10);
    PairTable pairs = pair_table(model);
    SplitChecker checker(model, pairs);
    std::size_t unreachable = 0;
    for (std::size_t t = kFirstBaseId; t < model.vocab.size(); ++t) {
      bool reachable = reference_texts(model, model.vocab[t]) == std::vector<std::string>{model.vocab[t]};
      ASSERT_EQ(checker.reachable(static_cast<std::int32_t>(t)), reachable) << model.vocab[t];
      unreachable += !reachable;
    }
    for (std::size_t t = kFirstBaseId; t < model.vocab.size(); ++t) {
      for (std::size_t u = kFirstBaseId; u < model.vocab.size(); ++u) {
        auto left = static_cast<std::int32_t>(t);
        auto right = static_cast<std::int32_t>(u);
        if (!checker.reachable(left) || !checker.reachable(right)) continue;
        bool expected = reference_texts(model, model.vocab[t] + model.vocab[u]) ==
                        std::vector<std::string>{model.vocab[t], model.vocab[u]};
        ASSERT_EQ(checker.valid_split(left, right), expected)
            << "model " << m << ": " << model.vocab[t] << " | " << model.vocab[u];
      }
    }
    if (m == 11) {
      EXPECT_GT(unreachable, 0u) << "the random models should include unreachable tokens";
    }
  }
}

std::string lambda_genome();

TEST(SplitChecker, MonotoneTableAgreesWithReplayAndDefinitionOnTrainedModels) {
  std::mt19937 rng(41);
  std::string genome = lambda_genome();
  for (std::size_t vocab_size : {64u, 500u}) {
    BpeTrainerOptions options;
    options.vocab_size = vocab_size;
    options.show_progress = false;
    BpeModel model = train_bpe({genome}, options);
    PairTable pairs = pair_table(model);
    SplitChecker checker(model, pairs);
    ASSERT_TRUE(checker.monotone()) << "the trainer's merge lists are rank-monotone";
    std::vector<std::uint64_t> invalid;
    std::size_t n = model.vocab.size();
    std::size_t invalid_pairs = 0;
    for (std::size_t t = kFirstBaseId; t < n; ++t) {
      auto left = static_cast<std::int32_t>(t);
      if (!checker.reachable(left)) continue;
      checker.invalid_followers(left, n, invalid);
      for (std::size_t u = kFirstBaseId; u < n; ++u) {
        auto right = static_cast<std::int32_t>(u);
        if (!checker.reachable(right)) continue;
        bool table_valid = ((invalid[u / 64] >> (u % 64)) & 1) == 0;
        ASSERT_EQ(table_valid, checker.valid_split(left, right)) << model.vocab[t] << " | " << model.vocab[u];
        invalid_pairs += !table_valid;
        if (rng() % 50 == 0) {
          bool expected = reference_texts(model, model.vocab[t] + model.vocab[u]) ==
                          std::vector<std::string>{model.vocab[t], model.vocab[u]};
          ASSERT_EQ(table_valid, expected) << model.vocab[t] << " | " << model.vocab[u];
        }
      }
    }
    EXPECT_GT(invalid_pairs, 0u);
  }
  // "AAA" made at rank 1 and again at rank 3, after "AAA C" (rank 2) used it: not monotone.
  BpeModel model = base_bpe_model();
  model.vocab.insert(model.vocab.end(), {"AA", "AAA", "AAAC", "CC"});
  model.merges = {{5, 5}, {10, 5}, {11, 6}, {5, 10}, {6, 6}};
  EXPECT_FALSE(SplitChecker(model, pair_table(model)).monotone());
}

TEST(BacktrackEncoder, TokenThatItsOwnMergesCannotMakeIsNeverOutput) {
  // "ACG" is made by "A CG" (rank 2), but in "ACG" itself "A C" (rank 0) wins: ACG -> AC G.
  BpeModel model = base_bpe_model();
  model.vocab.insert(model.vocab.end(), {"AC", "CG", "ACG"});
  model.merges = {{5, 6}, {6, 7}, {5, 11}};
  Tokenizer tokenizer(model);
  for (const std::string seq : {"ACG", "TACGT", "ACGACG", "CGACG", "AACGG"}) {
    std::vector<std::string> texts;
    for (auto id : tokenizer.encode(seq).ids) texts.push_back(tokenizer.id_to_token(id));
    EXPECT_EQ(texts, reference_texts(model, seq)) << seq;
  }
}

std::string lambda_genome() {
  return io::read_sequences(std::string(GENOBIRD_TEST_DATA) + "/lambda_virus.fa").at(0).seq;
}

// Windows of `genome` with soft-masked stretches, N runs and IUPAC codes, compared with the reference.
void expect_windows_match_reference(const Tokenizer& tokenizer, const std::string& genome, int windows,
                                    std::mt19937& rng) {
  for (int s = 0; s < windows; ++s) {
    std::size_t length = 1 + rng() % 300;
    std::string seq = genome.substr(rng() % (genome.size() - length), length);
    if (s % 2 == 0) {
      std::size_t at = rng() % length;
      for (std::size_t i = at; i < std::min(length, at + 25); ++i) seq[i] = static_cast<char>(seq[i] - 'A' + 'a');
      std::size_t gap = rng() % length;
      for (std::size_t i = gap; i < std::min(length, gap + 1 + rng() % 15); ++i) seq[i] = "NnRY-"[rng() % 5];
    }
    Encoding encoding = tokenizer.encode(seq);
    auto expected = reference_encode(tokenizer.model(), seq);
    ASSERT_EQ(encoding.ids.size(), expected.size()) << seq;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      ASSERT_EQ(tokenizer.id_to_token(encoding.ids[i]), expected[i].text) << "token " << i << " of " << seq;
      ASSERT_EQ(encoding.offsets[i], (TokenSpan{expected[i].start, expected[i].end}));
    }
  }
}

// The rank-order merge of one long run of A/C/G/T (too long for the reference).
std::vector<std::int32_t> merge_run(const BpeModel& model, const std::string& run) {
  std::vector<std::int32_t> ids;
  for (char c : run) ids.push_back(base_id(c));
  PairTable pairs = pair_table(model);
  MergeWorkspace workspace;
  WordMerger merger(model.merges, pairs, workspace);
  std::vector<std::int32_t> out;
  merger.merge(ids.data(), static_cast<std::uint32_t>(ids.size()),
               [&](std::int32_t id, std::uint32_t, std::uint32_t) { out.push_back(id); });
  return out;
}

// A long run from pieces of the genome, homopolymers and tandem repeats.
std::string synthetic_chromosome(const std::string& genome, std::size_t length, std::mt19937& rng) {
  std::string run;
  while (run.size() < length) {
    switch (rng() % 6) {
      case 0: run.append(1 + rng() % 60, "ACGT"[rng() % 4]); break;
      case 1: {
        std::string unit = genome.substr(rng() % (genome.size() - 8), 1 + rng() % 7);
        for (std::size_t k = rng() % 20; k > 0; --k) run += unit;
        break;
      }
      default: run += genome.substr(rng() % (genome.size() - 500), 1 + rng() % 500);
    }
  }
  run.resize(length);
  return run;
}

TEST(BacktrackEncoderDifferential, TrainedVocabulariesOf301And4096And32000) {
  std::string genome = lambda_genome();
  std::mt19937 rng(29);
  // Random bases give the trainer enough distinct pairs for 32000 tokens; the repeats give long tokens.
  std::string corpus = synthetic_chromosome(genome, 1'000'000, rng);
  std::string random_bases(2'500'000, 'A');
  for (auto& base : random_bases) base = "ACGT"[rng() % 4];
  // 301: rows of the split table that do not start on a byte of the 2-bit table.
  for (std::size_t vocab_size : {301u, 4096u, 32000u}) {
    SCOPED_TRACE(vocab_size);
    BpeTrainerOptions options;
    options.vocab_size = vocab_size;
    options.show_progress = false;
    options.threads = 2;
    Tokenizer tokenizer(train_bpe({corpus, genome, random_bases}, options));
    ASSERT_EQ(tokenizer.vocab_size(), vocab_size);
    // The reference re-reads the merge list for every window, so fewer windows for the large vocabulary.
    int windows = vocab_size > 10000 ? 150 : 1000;
    ASSERT_NO_FATAL_FAILURE(expect_windows_match_reference(tokenizer, genome, windows, rng));
    ASSERT_NO_FATAL_FAILURE(expect_windows_match_reference(tokenizer, corpus, windows, rng));
    // Chromosome-length runs, one of them unseen in training.
    for (const std::string& run : {genome, corpus.substr(0, 400'000), random_bases.substr(0, 300'000),
                                   synthetic_chromosome(genome, 300'000, rng)}) {
      Encoding encoding = tokenizer.encode(run);
      ASSERT_EQ(encoding.ids, merge_run(tokenizer.model(), run));
      ASSERT_EQ(encoding.offsets.back().end, run.size());
    }
  }
}

TEST(BacktrackEncoderDifferential, RandomMergeListsOnLongRuns) {
  std::mt19937 rng(31);
  std::string genome = lambda_genome();
  for (int m = 0; m < 20; ++m) {
    BpeModel model = testing::random_bpe_model(rng, 50 + rng() % 400, 4 + rng() % 14);
    Tokenizer tokenizer(model);
    std::string run = synthetic_chromosome(genome, 20'000 + rng() % 30'000, rng);
    ASSERT_EQ(tokenizer.encode(run).ids, merge_run(model, run)) << "model " << m;
    ASSERT_NO_FATAL_FAILURE(expect_windows_match_reference(tokenizer, genome, 100, rng)) << "model " << m;
  }
}

TEST(BacktrackEncoder, TokenizersUsedInTurnOnOneThreadKeepTheirOwnAnswers) {
  // The split memo is per tokenizer: alternating between two must not mix their answers.
  std::mt19937 rng(37);
  std::string genome = lambda_genome();
  BpeModel first = testing::random_bpe_model(rng, 300, 12);
  BpeModel second = testing::random_bpe_model(rng, 300, 12);
  Tokenizer a(first);
  Tokenizer b(second);
  Tokenizer a_copy = a;
  for (int s = 0; s < 200; ++s) {
    std::string seq = genome.substr(rng() % (genome.size() - 200), 200);
    for (const Tokenizer* tokenizer : {&a, &b, &a_copy}) {
      std::vector<std::string> texts;
      for (auto id : tokenizer->encode(seq).ids) texts.push_back(tokenizer->id_to_token(id));
      ASSERT_EQ(texts, reference_texts(tokenizer->model(), seq)) << seq;
    }
  }
}

}  // namespace
}  // namespace genobird::tokenizer
