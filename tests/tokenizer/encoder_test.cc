// Encoder tests: hand-checked cases, then a differential test against the reference encoder on
// random models (including merge lists where one token is produced by several merges) and on a model
// trained on the lambda phage genome, over random and real sequences with N runs and lowercase.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <unordered_map>

#include "io/sequence_reader.h"
#include "random_bpe_model.h"
#include "reference_bpe.h"
#include "tokenizer/bpe_trainer.h"
#include "tokenizer/tokenizer.h"
#include "word_merger.h"
#include "util/error.h"

namespace genobird::tokenizer {
namespace {

using testing::reference_encode;

// A model from merges written as "LEFT RIGHT"; merged tokens are added to the vocabulary in order.
BpeModel model_from_merges(const std::vector<std::string>& merges) {
  BpeModel model = base_bpe_model();
  auto id_of = [&](const std::string& token) {
    for (std::size_t id = 0; id < model.vocab.size(); ++id)
      if (model.vocab[id] == token) return static_cast<std::int32_t>(id);
    model.vocab.push_back(token);
    return static_cast<std::int32_t>(model.vocab.size() - 1);
  };
  for (const auto& merge : merges) {
    auto space = merge.find(' ');
    std::int32_t left = id_of(merge.substr(0, space));
    std::int32_t right = id_of(merge.substr(space + 1));
    id_of(merge.substr(0, space) + merge.substr(space + 1));
    model.merges.emplace_back(left, right);
  }
  return model;
}

std::vector<std::string> token_texts(const Tokenizer& tokenizer, const Encoding& encoding) {
  std::vector<std::string> texts;
  for (auto id : encoding.ids) texts.push_back(tokenizer.id_to_token(id));
  return texts;
}

std::string normalised(std::string_view seq) {
  std::string out;
  for (char c : seq) out += normalise_base(c);
  return out;
}

// Compares the fast encoder with the reference on one input, with the properties every encoding has.
void expect_same_as_reference(const Tokenizer& tokenizer, const std::string& seq) {
  Encoding encoding = tokenizer.encode(seq);
  auto expected = reference_encode(tokenizer.model(), seq);
  ASSERT_EQ(encoding.ids.size(), expected.size()) << "input " << seq;
  ASSERT_EQ(encoding.offsets.size(), expected.size());
  std::size_t covered = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    ASSERT_EQ(tokenizer.id_to_token(encoding.ids[i]), expected[i].text) << "token " << i << " of " << seq;
    ASSERT_EQ(encoding.offsets[i], (TokenSpan{expected[i].start, expected[i].end}));
    ASSERT_EQ(encoding.offsets[i].start, covered) << "offsets must tile the input";
    covered = encoding.offsets[i].end;
  }
  ASSERT_EQ(covered, seq.size());
  ASSERT_EQ(tokenizer.decode(encoding.ids), normalised(seq));
}

TEST(Encoder, MergesLowestRankFirstAndLeftmostOnTies) {
  Tokenizer tokenizer(model_from_merges({"A A", "C G", "AA A", "A CG"}));
  EXPECT_EQ(token_texts(tokenizer, tokenizer.encode("AAA")), (std::vector<std::string>{"AAA"}));
  EXPECT_EQ(token_texts(tokenizer, tokenizer.encode("AAAA")), (std::vector<std::string>{"AA", "AA"}));
  // A A merges at 0 and 2 first (leftmost first); only then AA A joins the last two.
  EXPECT_EQ(token_texts(tokenizer, tokenizer.encode("AAAAA")), (std::vector<std::string>{"AA", "AAA"}));
  // "A A" (rank 0) wins over "A CG" (rank 3) for the middle A.
  EXPECT_EQ(token_texts(tokenizer, tokenizer.encode("AACG")), (std::vector<std::string>{"AA", "CG"}));
  EXPECT_EQ(token_texts(tokenizer, tokenizer.encode("TACG")), (std::vector<std::string>{"T", "ACG"}));
}

TEST(Encoder, NormalisesCaseAndNonAcgtBytesWithoutDroppingAny) {
  Tokenizer tokenizer(model_from_merges({"A C", "N N"}));
  Encoding encoding = tokenizer.encode("acRYn-AC");
  EXPECT_EQ(token_texts(tokenizer, encoding), (std::vector<std::string>{"AC", "NN", "NN", "AC"}));
  EXPECT_EQ(encoding.offsets, (std::vector<TokenSpan>{{0, 2}, {2, 4}, {4, 6}, {6, 8}}));
}

TEST(Encoder, RunsOfNNeverMergeWithBases) {
  Tokenizer tokenizer(model_from_merges({"A A", "N N"}));
  EXPECT_EQ(token_texts(tokenizer, tokenizer.encode("ANNA")), (std::vector<std::string>{"A", "NN", "A"}));
}

TEST(Encoder, EmptyInputGivesNoTokens) {
  Tokenizer tokenizer(model_from_merges({"A A"}));
  Encoding encoding = tokenizer.encode("");
  EXPECT_TRUE(encoding.ids.empty());
  EXPECT_TRUE(encoding.offsets.empty());
}

TEST(Encoder, SpecialTokenIdsAreFixed) {
  Tokenizer tokenizer(base_bpe_model());
  EXPECT_EQ(tokenizer.token_to_id("[PAD]"), kPadId);
  EXPECT_EQ(tokenizer.token_to_id("[UNK]"), kUnkId);
  EXPECT_EQ(tokenizer.token_to_id("[CLS]"), kClsId);
  EXPECT_EQ(tokenizer.token_to_id("[SEP]"), kSepId);
  EXPECT_EQ(tokenizer.token_to_id("[MASK]"), kMaskId);
  EXPECT_EQ(tokenizer.token_to_id("A"), 5);
  EXPECT_EQ(tokenizer.token_to_id("N"), 9);
  EXPECT_EQ(tokenizer.token_to_id("AC"), -1);
  EXPECT_EQ(tokenizer.vocab_size(), 10u);
}

TEST(Encoder, DecodeSkipsSpecialTokensAndRejectsUnknownIds) {
  Tokenizer tokenizer(model_from_merges({"A C"}));
  EXPECT_EQ(tokenizer.decode({kClsId, 10, 7, kSepId, kPadId}), "ACG");
  EXPECT_THROW(tokenizer.decode({11}), ModelError);
  EXPECT_THROW(tokenizer.decode({-1}), ModelError);
}

TEST(Encoder, TokenProducedByTwoMergesOfDifferentRank) {
  // "AAA" is made by rank 1 and rank 3; after rank 3 makes it, "AAA C" (rank 2) is due before rank 3 goes on.
  Tokenizer tokenizer(model_from_merges({"A A", "AA A", "AAA C", "A AA", "C C"}));
  for (const std::string seq : {"AAAC", "CAAAC", "AAAAC", "AAAAAC", "AAAAAAACAAAC", "ACAAACCAAAAC"}) {
    SCOPED_TRACE(seq);
    expect_same_as_reference(tokenizer, seq);
  }
}

std::string random_sequence(std::mt19937& rng, std::size_t length) {
  static const std::string kLetters = "ACGTACGTACGTacgtNnRY-";
  std::string seq;
  while (seq.size() < length) {
    if (rng() % 40 == 0) {
      seq.append(1 + rng() % 8, rng() % 2 ? 'N' : 'n');
    } else if (rng() % 10 == 0) {
      seq.append(1 + rng() % 6, "ACGT"[rng() % 4]);  // homopolymers exercise overlapping pairs
    } else {
      seq += kLetters[rng() % kLetters.size()];
    }
  }
  seq.resize(length);
  return seq;
}

TEST(EncoderDifferential, RandomModelsOnRandomSequences) {
  std::mt19937 rng(7);
  for (int m = 0; m < 40; ++m) {
    Tokenizer tokenizer(testing::random_bpe_model(rng, 20 + rng() % 200, 12));
    for (int s = 0; s < 100; ++s) {
      std::string seq = random_sequence(rng, rng() % 300);
      ASSERT_NO_FATAL_FAILURE(expect_same_as_reference(tokenizer, seq)) << "model " << m << " sequence " << s;
    }
  }
}

std::string lambda_genome() {
  return io::read_sequences(std::string(GENOBIRD_TEST_DATA) + "/lambda_virus.fa").at(0).seq;
}

TEST(EncoderDifferential, TrainedModelOnRealAndRandomSequences) {
  std::string genome = lambda_genome();
  BpeTrainerOptions options;
  options.vocab_size = 600;
  options.show_progress = false;
  Tokenizer tokenizer(train_bpe({genome}, options));
  std::mt19937 rng(11);
  for (int s = 0; s < 2000; ++s) {
    std::size_t length = 1 + rng() % 400;
    std::size_t start = rng() % (genome.size() - length);
    std::string seq = genome.substr(start, length);
    // Soft-mask a stretch and punch an assembly gap into half of the windows.
    if (s % 2 == 0) {
      std::size_t at = rng() % length;
      for (std::size_t i = at; i < std::min(length, at + 30); ++i) seq[i] = static_cast<char>(seq[i] - 'A' + 'a');
      std::size_t gap = rng() % length;
      for (std::size_t i = gap; i < std::min(length, gap + 1 + rng() % 20); ++i) seq[i] = 'N';
    }
    ASSERT_NO_FATAL_FAILURE(expect_same_as_reference(tokenizer, seq)) << "window " << s;
  }
  for (int s = 0; s < 1000; ++s) {
    ASSERT_NO_FATAL_FAILURE(expect_same_as_reference(tokenizer, random_sequence(rng, rng() % 300)));
  }
}

TEST(EncoderDifferential, WholeGenomeAsOneWord) {
  std::string genome = lambda_genome();
  BpeTrainerOptions options;
  options.vocab_size = 300;
  options.show_progress = false;
  Tokenizer tokenizer(train_bpe({genome.substr(0, 20000)}, options));
  expect_same_as_reference(tokenizer, genome.substr(20000, 5000));
  Encoding whole = tokenizer.encode(genome);
  EXPECT_EQ(tokenizer.decode(whole.ids), genome);
  EXPECT_LT(whole.ids.size(), genome.size() / 2) << "a trained vocabulary compresses the genome it came from";
}

TEST(Encoder, BatchEqualsOneByOneForAnyThreadCount) {
  std::mt19937 rng(3);
  Tokenizer tokenizer(testing::random_bpe_model(rng, 150, 12));
  std::vector<std::string> seqs;
  for (int i = 0; i < 300; ++i) seqs.push_back(random_sequence(rng, rng() % 2000));
  for (int threads : {1, 2, 5}) {
    auto batch = tokenizer.encode_batch(seqs, threads);
    ASSERT_EQ(batch.size(), seqs.size());
    for (std::size_t i = 0; i < seqs.size(); ++i) {
      Encoding single = tokenizer.encode(seqs[i]);
      ASSERT_EQ(batch[i].ids, single.ids) << "threads " << threads << " sequence " << i;
      ASSERT_EQ(batch[i].offsets, single.offsets);
    }
  }
}

}  // namespace
}  // namespace genobird::tokenizer

namespace genobird::tokenizer {
namespace {

// A long run (a chromosome is one) must give the result of merging the whole run in rank order.
std::vector<std::int32_t> merge_whole_run(const Tokenizer& tokenizer, const std::string& run) {
  std::vector<std::int32_t> ids;
  for (char c : run) ids.push_back(base_id(c));
  PairTable pairs(tokenizer.model().merges.size());
  for (std::size_t rank = 0; rank < tokenizer.model().merges.size(); ++rank) {
    auto [left, right] = tokenizer.model().merges[rank];
    std::string joined = tokenizer.id_to_token(left) + tokenizer.id_to_token(right);
    pairs.insert(left, right, MergeRule{static_cast<std::int32_t>(rank), tokenizer.token_to_id(joined)});
  }
  MergeWorkspace workspace;
  WordMerger merger(tokenizer.model().merges, pairs, workspace);
  std::vector<std::int32_t> out;
  merger.merge(ids.data(), static_cast<std::uint32_t>(ids.size()),
               [&](std::int32_t id, std::uint32_t, std::uint32_t) { out.push_back(id); });
  return out;
}

TEST(EncoderLongRuns, EncodingEqualsWholeRunMerging) {
  std::string genome = lambda_genome();
  std::mt19937 rng(17);
  // Repeats and homopolymers make tokens with several producing merges.
  std::string synthetic;
  while (synthetic.size() < 200000) {
    if (rng() % 5 == 0) synthetic.append(1 + rng() % 40, "ACGT"[rng() % 4]);
    else synthetic += genome.substr(rng() % (genome.size() - 300), 1 + rng() % 300);
  }
  for (std::size_t vocab_size : {64u, 1000u, 4000u}) {
    BpeTrainerOptions options;
    options.vocab_size = vocab_size;
    options.show_progress = false;
    Tokenizer tokenizer(train_bpe({genome, synthetic.substr(0, 50000)}, options));
    for (const std::string* run : {&genome, &synthetic}) {
      Encoding encoding = tokenizer.encode(*run);
      ASSERT_EQ(encoding.ids, merge_whole_run(tokenizer, *run)) << "vocabulary " << vocab_size;
      ASSERT_EQ(encoding.offsets.back().end, run->size());
    }
  }
  // A random merge list, where merges of later rank produce tokens that earlier merges use.
  Tokenizer random_tokenizer(testing::random_bpe_model(rng, 300, 12));
  std::string run = random_sequence(rng, 30000);
  for (auto& c : run) c = normalise_base(c) == 'N' ? 'A' : c;
  ASSERT_EQ(random_tokenizer.encode(run).ids, merge_whole_run(random_tokenizer, run));
}

}  // namespace
}  // namespace genobird::tokenizer
