// Trainer tests: exact merge lists on corpora small enough to check by hand, the tie rule, the N policy,
// determinism across thread counts, and large vocabularies.
#include <gtest/gtest.h>

#include <random>

#include "io/sequence_reader.h"
#include "tokenizer/bpe_trainer.h"
#include "tokenizer/tokenizer.h"
#include "util/error.h"

namespace genobird::tokenizer {
namespace {

std::vector<std::string> merge_texts(const BpeModel& model) {
  std::vector<std::string> texts;
  for (auto [left, right] : model.merges) {
    texts.push_back(model.vocab[static_cast<std::size_t>(left)] + " " + model.vocab[static_cast<std::size_t>(right)]);
  }
  return texts;
}

BpeTrainerOptions quiet_options(std::size_t vocab_size, std::uint64_t min_frequency = 2) {
  BpeTrainerOptions options;
  options.vocab_size = vocab_size;
  options.min_frequency = min_frequency;
  options.show_progress = false;
  return options;
}

TEST(Trainer, ExactMergesOfARepeat) {
  // ACACAC: A C occurs 3 times, C A twice -> "A C"; then AC AC twice (overlapping) -> "AC AC";
  // then ACAC AC occurs once, below min_frequency 2.
  BpeModel model = train_bpe({"ACACAC"}, quiet_options(100));
  EXPECT_EQ(merge_texts(model), (std::vector<std::string>{"A C", "AC AC"}));
  EXPECT_EQ(model.vocab.size(), 12u);
  EXPECT_EQ(model.vocab[10], "AC");
  EXPECT_EQ(model.vocab[11], "ACAC");
}

TEST(Trainer, CountsAcrossSequencesButNotAcrossTheirEnds) {
  // G T occurs once in each of two sequences; T G would only occur across the boundary.
  BpeModel model = train_bpe({"GT", "GT"}, quiet_options(100));
  EXPECT_EQ(merge_texts(model), (std::vector<std::string>{"G T"}));
}

TEST(Trainer, TiesGoToTheSmallerLeftThenRightToken) {
  // Every pair occurs once: A A < A C < C C by the tie rule, then AA C < C C, then AAC C.
  BpeModel model = train_bpe({"AACC"}, quiet_options(100, 1));
  EXPECT_EQ(merge_texts(model), (std::vector<std::string>{"A A", "AA C", "AAC C"}));
}

TEST(Trainer, OverlappingPairsMergeLeftToRight) {
  // AAAAA: A A counted 4 times; merged left to right -> AA AA A; then AA AA (once) and AA A (once):
  // tie -> left "AA" equal, right "A" < "AA" -> "AA A"; then AA AAA.
  BpeModel model = train_bpe({"AAAAA"}, quiet_options(100, 1));
  EXPECT_EQ(merge_texts(model), (std::vector<std::string>{"A A", "AA A", "AA AAA"}));
}

TEST(Trainer, RunsOfNMergeAmongThemselvesOnly) {
  BpeModel model = train_bpe({"ANNNNA", "annnna"}, quiet_options(100));
  EXPECT_EQ(merge_texts(model), (std::vector<std::string>{"N N", "NN NN"}));
}

TEST(Trainer, LowercaseAndIupacAreNormalisedFirst) {
  BpeModel upper = train_bpe({"ACGTNNACGTNNACGT"}, quiet_options(50));
  BpeModel mixed = train_bpe({"acgtRYacGTnnACgt"}, quiet_options(50));
  EXPECT_EQ(merge_texts(upper), merge_texts(mixed));
}

TEST(Trainer, StopsBelowMinFrequencyAndHonoursMaxTokenLength) {
  BpeTrainerOptions options = quiet_options(1000);
  options.max_token_length = 3;
  BpeModel model = train_bpe({"ACGTACGTACGTACGT"}, options);
  for (const auto& token : model.vocab) EXPECT_LE(token.size(), 6u) << token;  // specials are 5-6 bytes
  for (std::size_t id = kNumBaseTokens; id < model.vocab.size(); ++id) EXPECT_LE(model.vocab[id].size(), 3u);
  EXPECT_LT(model.vocab.size(), 1000u);
}

std::string lambda_genome() {
  return io::read_sequences(std::string(GENOBIRD_TEST_DATA) + "/lambda_virus.fa").at(0).seq;
}

TEST(Trainer, SameResultWithAnyThreadCount) {
  std::string genome = lambda_genome();
  std::vector<std::string> pieces;
  for (std::size_t i = 0; i < genome.size(); i += 3000) pieces.push_back(genome.substr(i, 3000));
  BpeTrainerOptions one = quiet_options(800);
  BpeTrainerOptions many = one;
  many.threads = 4;
  BpeModel a = train_bpe(pieces, one);
  BpeModel b = train_bpe(pieces, many);
  EXPECT_EQ(a.vocab, b.vocab);
  EXPECT_EQ(a.merges, b.merges);
  EXPECT_EQ(a.vocab.size(), 800u);
  EXPECT_NO_THROW(check_bpe_model(a, "trained"));
}

TEST(Trainer, ReadsFastaAndBamAndHonoursMaxBases) {
  std::string data = GENOBIRD_TEST_DATA;
  BpeTrainerOptions options = quiet_options(200);
  options.max_bases = 10000;
  BpeModel from_fasta = train_bpe_from_files({data + "/lambda_virus.fa"}, options);
  BpeModel from_prefix = train_bpe({lambda_genome().substr(0, 10000)}, quiet_options(200));
  EXPECT_EQ(from_fasta.merges, from_prefix.merges);
  BpeModel from_bam = train_bpe_from_files({data + "/lambda_reads.bam"}, options);
  EXPECT_EQ(from_bam.vocab.size(), 200u);
}

TEST(Trainer, LargeVocabularyOf32000) {
  std::mt19937 rng(5);
  std::string corpus(3'000'000, 'A');
  for (auto& base : corpus) base = "ACGT"[rng() % 4];
  BpeTrainerOptions options = quiet_options(32000);
  options.threads = 2;
  Tokenizer tokenizer(train_bpe({corpus}, options));
  EXPECT_EQ(tokenizer.vocab_size(), 32000u);
  std::string probe = corpus.substr(1000, 5000);
  EXPECT_EQ(tokenizer.decode(tokenizer.encode(probe).ids), probe);
}

TEST(Trainer, RejectsUnusableOptions) {
  EXPECT_THROW(train_bpe({"ACGT"}, quiet_options(9)), UsageError);
  EXPECT_THROW(train_bpe({"ACGT"}, quiet_options(100, 0)), UsageError);
}

}  // namespace
}  // namespace genobird::tokenizer
