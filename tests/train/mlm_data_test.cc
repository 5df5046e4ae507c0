#include "train/mlm_data.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "io/sequence.h"
#include "scratch_dir.h"
#include "util/error.h"

namespace genobird::train {
namespace {

namespace fs = std::filesystem;

const std::string kTokenizer = std::string(GENOBIRD_TEST_DATA) + "/lambda_bpe512.json";
const std::string kLambda = std::string(GENOBIRD_TEST_DATA) + "/lambda_virus.fa";

std::string write_fasta(const std::string& name, const std::vector<std::pair<std::string, std::string>>& records) {
  const fs::path path = test::scratch_dir() / name;
  std::ofstream out(path);
  for (const auto& [id, seq] : records) out << ">" << id << "\n" << seq << "\n";
  return path.string();
}

std::string random_bases(std::size_t n, std::uint64_t seed) {
  SplitMix64 rng(seed);
  std::string s(n, 'A');
  for (auto& c : s) c = "ACGT"[rng.below(4)];
  return s;
}

TEST(Masking, FractionsMatchBertRecipe) {
  SplitMix64 rng(7);
  const std::int64_t vocab = 512, mask_id = 4, first = 5;
  std::int64_t maskable_total = 0, selected = 0, as_mask = 0, as_random = 0, kept = 0;
  for (int trial = 0; trial < 400; ++trial) {
    std::vector<std::int64_t> ids(256);
    std::vector<bool> maskable(256, true);
    maskable[0] = maskable[255] = false;  // [CLS], [SEP]
    for (auto& id : ids) id = first + static_cast<std::int64_t>(rng.below(vocab - first));
    ids[0] = 2;
    ids[255] = 3;
    const std::vector<std::int64_t> original = ids;
    std::vector<std::int64_t> labels;
    const std::int64_t n = mask_tokens(ids, labels, maskable, mask_id, first, vocab, rng);
    EXPECT_EQ(ids[0], 2);
    EXPECT_EQ(ids[255], 3);
    EXPECT_EQ(labels[0], kIgnoreLabel);
    std::int64_t counted = 0;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (labels[i] == kIgnoreLabel) {
        EXPECT_EQ(ids[i], original[i]);
        continue;
      }
      ++counted;
      EXPECT_EQ(labels[i], original[i]);
      EXPECT_GE(ids[i], mask_id);
      EXPECT_LT(ids[i], vocab);
      if (ids[i] == mask_id) ++as_mask;
      else if (ids[i] == original[i]) ++kept;
      else ++as_random;
    }
    EXPECT_EQ(counted, n);
    maskable_total += 254;
    selected += n;
  }
  // 101,600 maskable tokens: binomial standard deviations are ~0.1% of the fractions checked here.
  EXPECT_NEAR(static_cast<double>(selected) / maskable_total, 0.15, 0.005);
  EXPECT_NEAR(static_cast<double>(as_mask) / selected, 0.8, 0.01);
  // A random replacement equal to the original (1 in 507) counts as kept.
  EXPECT_NEAR(static_cast<double>(as_random) / selected, 0.1, 0.01);
  EXPECT_NEAR(static_cast<double>(kept) / selected, 0.1, 0.01);
}

TEST(GenomeWindows, GenomeShorterThanOneWindowIsAnInputError) {
  const std::string fasta = write_fasta("short.fa", {{"tiny", random_bases(300, 1)}});
  try {
    GenomeWindows windows(GenomeWindowSource{{fasta}, {}, {}}, 500, 0.05);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("longest is 300 bp, a window is 500 bp"), std::string::npos) << e.what();
  }
  EXPECT_THROW(GenomeWindows(GenomeWindowSource{{fasta + ".missing"}, {}, {}}, 100, 0.05), InputError);
  EXPECT_THROW(GenomeWindows(GenomeWindowSource{{fasta}, {}, {"chr9"}}, 100, 0.05), InputError);
}

TEST(GenomeWindows, SkipsNHeavyWindowsAndSamplesBothStrandsByLength) {
  // "gappy" is half N: every window touching its N half has > 5% N and must be redrawn.
  const std::string clean = random_bases(3000, 2);
  const std::string gappy = random_bases(1500, 3) + std::string(1500, 'N');
  const std::string fasta = write_fasta("mixed.fa", {{"clean", clean}, {"gappy", gappy}});
  GenomeWindows windows(GenomeWindowSource{{fasta}, {}, {}}, 200, 0.05);
  WindowReader reader(windows);
  SplitMix64 rng(11);
  int reverse = 0, from_gappy = 0;
  for (int i = 0; i < 2000; ++i) {
    Window w;
    const std::string bases = reader.draw(rng, w);
    ASSERT_EQ(bases.size(), 200u);
    EXPECT_LE(std::count(bases.begin(), bases.end(), 'N'), 10);
    reverse += w.reverse;
    const auto& name = windows.sequences()[w.sequence].name;
    from_gappy += name == "gappy";
    if (name == "gappy") {
      EXPECT_LE(w.start + 200, 1500u + 10u);
    }
    const std::string forward = (name == "clean" ? clean : gappy).substr(w.start, 200);
    EXPECT_EQ(bases, w.reverse ? io::reverse_complement(forward) : forward);
  }
  EXPECT_NEAR(reverse / 2000.0, 0.5, 0.05);
  // Valid starts: 2801 in clean, about 1311 N-poor ones in gappy.
  EXPECT_NEAR(from_gappy / 2000.0, 1311.0 / 4112.0, 0.05);

  GenomeWindows only_clean(GenomeWindowSource{{fasta}, {"clean"}, {}}, 200, 0.05);
  EXPECT_EQ(only_clean.sequences().size(), 1u);
  GenomeWindows without_clean(GenomeWindowSource{{fasta}, {}, {"clean"}}, 200, 0.05);
  EXPECT_EQ(without_clean.sequences()[0].name, "gappy");
}

class MlmExamples : public ::testing::Test {
 protected:
  MlmExamples()
      : tokenizer_(tokenizer::Tokenizer::load(kTokenizer)),
        windows_(GenomeWindowSource{{kLambda}, {}, {}}, estimate_window_bp(tokenizer_, kLambda, 64), 0.05),
        maker_(windows_, tokenizer_, 64, 42, kTrainStream) {}

  tokenizer::Tokenizer tokenizer_;
  GenomeWindows windows_;
  MlmExampleMaker maker_;
};

TEST_F(MlmExamples, FramedTokenizedAndMaskedFromTheWindow) {
  WindowReader reader(windows_);
  for (std::uint64_t index = 0; index < 20; ++index) {
    MlmExample example = maker_.make(index, reader);
    ASSERT_EQ(example.input_ids.size(), 64u);
    EXPECT_EQ(example.input_ids[0], tokenizer::kClsId);
    EXPECT_EQ(example.real_tokens, 64) << "the window margin should fill every example";
    EXPECT_EQ(example.labels[63], kIgnoreLabel);
    // Unmasking gives tokens whose text is the start of the window's bases.
    std::vector<std::int32_t> body;
    for (std::size_t i = 1; i + 1 < 64; ++i)
      body.push_back(static_cast<std::int32_t>(example.labels[i] != kIgnoreLabel ? example.labels[i] : example.input_ids[i]));
    EXPECT_EQ(example.input_ids[63], tokenizer::kSepId);
    const std::string bases = reader.fetch(example.window);
    const std::string text = tokenizer_.decode(body);
    EXPECT_EQ(bases.compare(0, text.size(), text), 0);
  }
}

TEST_F(MlmExamples, AnExampleDependsOnlyOnItsIndex) {
  WindowReader a(windows_), b(windows_);
  MlmExample first = maker_.make(5, a);
  maker_.make(6, a);
  MlmExample again = maker_.make(5, b);
  EXPECT_EQ(first.input_ids, again.input_ids);
  EXPECT_EQ(first.labels, again.labels);
  EXPECT_NE(maker_.make(7, b).input_ids, first.input_ids);
  MlmExampleMaker valid(windows_, tokenizer_, 64, 42, kValidStream);
  EXPECT_NE(valid.make(5, b).input_ids, first.input_ids);
}

// Two ranks with batch 2 see exactly the examples of one process with batch 4, micro-batch by micro-batch,
// whatever the number of worker threads.
TEST_F(MlmExamples, LoaderShardsRanksLikeOneLargeBatch) {
  MlmLoaderOptions one;
  one.batch_size = 4;
  one.workers = 2;
  MlmBatchLoader single(maker_, one, 3);
  std::vector<MlmBatchLoader*> ranks;
  MlmLoaderOptions r0 = one, r1 = one;
  r0.batch_size = r1.batch_size = 2;
  r0.world_size = r1.world_size = 2;
  r1.rank = 1;
  r0.workers = 1;
  r1.workers = 3;
  MlmBatchLoader rank0(maker_, r0, 3), rank1(maker_, r1, 3);
  for (int m = 0; m < 4; ++m) {
    MlmBatch whole = single.next();
    MlmBatch a = rank0.next(), b = rank1.next();
    EXPECT_TRUE(at::equal(whole.input_ids, at::cat({a.input_ids, b.input_ids})));
    EXPECT_TRUE(at::equal(whole.labels, at::cat({a.labels, b.labels})));
    EXPECT_TRUE(at::equal(whole.attention_mask, at::cat({a.attention_mask, b.attention_mask})));
    EXPECT_EQ(whole.masked, a.masked + b.masked);
    EXPECT_EQ(whole.masked, whole.labels.ne(kIgnoreLabel).sum().item<std::int64_t>());
  }
  // Micro-batch 3 of one process is examples 12..15.
  WindowReader reader(windows_);
  MlmBatchLoader again(maker_, one, 3);
  EXPECT_TRUE(at::equal(again.next().input_ids, maker_.make_batch({12, 13, 14, 15}, reader).input_ids));
}

}  // namespace
}  // namespace genobird::train
