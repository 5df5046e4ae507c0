// Embedding output files read back: the .npy header and data, its companion TSV, safetensors through the
// project's strict reader, TSV text, float16, and no file without commit().
#include <gtest/gtest.h>

#include <c10/util/Half.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "infer/embedding_writer.h"
#include "model/safetensors.h"
#include "scratch_dir.h"
#include "util/error.h"

namespace genobird::infer {
namespace {

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

EmbeddingLayout layout(bool per_token, bool half = false) {
  EmbeddingLayout l;
  l.dim = 3;
  l.per_token = per_token;
  l.half = half;
  l.record_header = "chrom\tstart\tend";
  l.metadata = {{"pool", per_token ? "none" : "mean"}};
  return l;
}

const float kRows[] = {0.5f, -1.25f, 3.0f, 1e-3f, 2.0f, -0.0625f};
const tokenizer::TokenSpan kSpans[] = {{0, 4}, {4, 9}};

void write_two_records(EmbeddingWriter& writer, bool per_token) {
  if (per_token) {
    writer.add("chr1\t10\t19", kRows, 2, kSpans);  // two tokens
    writer.add("chr2\t0\t4", kRows, 1, kSpans);    // one token
  } else {
    writer.add("chr1\t10\t19", kRows, 1, nullptr);
    writer.add("chr2\t0\t4", kRows + 3, 1, nullptr);
  }
  writer.commit();
}

TEST(EmbeddingWriter, NpyHasNumpysHeaderTheRowsAndACompanionTsv) {
  const auto path = test::scratch_dir() / "pooled.npy";
  auto writer = open_embedding_writer(path.string(), layout(false));
  write_two_records(*writer, false);
  const std::string bytes = slurp(path);
  ASSERT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  const std::size_t header = static_cast<unsigned char>(bytes[8]) | static_cast<unsigned char>(bytes[9]) << 8;
  EXPECT_EQ((10 + header) % 64, 0u);
  EXPECT_NE(bytes.find("'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), std::string::npos);
  ASSERT_EQ(bytes.size(), 10 + header + 6 * sizeof(float));
  EXPECT_EQ(std::memcmp(bytes.data() + 10 + header, kRows, sizeof kRows), 0);
  EXPECT_EQ(slurp(test::scratch_dir() / "pooled.tsv"), "chrom\tstart\tend\nchr1\t10\t19\nchr2\t0\t4\n");
}

TEST(EmbeddingWriter, HalfNpyHoldsFloat16) {
  const auto path = test::scratch_dir() / "half.npy";
  auto writer = open_embedding_writer(path.string(), layout(false, true));
  write_two_records(*writer, false);
  const std::string bytes = slurp(path);
  EXPECT_NE(bytes.find("'descr': '<f2'"), std::string::npos);
  const std::size_t header = static_cast<unsigned char>(bytes[8]) | static_cast<unsigned char>(bytes[9]) << 8;
  ASSERT_EQ(bytes.size(), 10 + header + 6 * 2);
  c10::Half first;
  std::memcpy(&first.x, bytes.data() + 10 + header, 2);
  EXPECT_EQ(static_cast<float>(first), 0.5f);
}

TEST(EmbeddingWriter, TokenNpyCompanionSaysWhereRecordsBegin) {
  const auto path = test::scratch_dir() / "tokens.npy";
  auto writer = open_embedding_writer(path.string(), layout(true));
  write_two_records(*writer, true);
  EXPECT_NE(slurp(path).find("'shape': (3, 3)"), std::string::npos);
  EXPECT_EQ(slurp(test::scratch_dir() / "tokens.tsv"),
            "chrom\tstart\tend\ttoken\ttoken_start\ttoken_end\n"
            "chr1\t10\t19\t0\t0\t4\nchr1\t10\t19\t1\t4\t9\nchr2\t0\t4\t0\t0\t4\n");
}

TEST(EmbeddingWriter, SafetensorsReadBackWithRecordsOffsetsAndSpans) {
  const auto path = test::scratch_dir() / "tokens.safetensors";
  auto writer = open_embedding_writer(path.string(), layout(true));
  write_two_records(*writer, true);
  const model::SafetensorsContents contents = model::read_safetensors(path.string());
  const at::Tensor embeddings = contents.tensors.at("embeddings");
  ASSERT_EQ(embeddings.sizes(), (std::vector<std::int64_t>{3, 3}));
  EXPECT_EQ(embeddings[2][1].item<float>(), -1.25f);
  const at::Tensor records = contents.tensors.at("records");
  EXPECT_EQ(std::string(static_cast<const char*>(records.data_ptr()), static_cast<std::size_t>(records.numel())),
            "chrom\tstart\tend\nchr1\t10\t19\nchr2\t0\t4\n");
  const at::Tensor offsets = contents.tensors.at("offsets");
  EXPECT_TRUE(offsets.equal(at::tensor(std::vector<std::int64_t>{0, 2, 3}, at::kLong)));
  const at::Tensor spans = contents.tensors.at("token_spans");
  EXPECT_TRUE(spans.equal(at::tensor(std::vector<std::int64_t>{0, 4, 4, 9, 0, 4}, at::kLong).view({3, 2})));
  EXPECT_EQ(contents.metadata.at("pool"), "none");
}

TEST(EmbeddingWriter, PooledSafetensorsHaveNoTokenTensors) {
  const auto path = test::scratch_dir() / "pooled.safetensors";
  auto writer = open_embedding_writer(path.string(), layout(false, true));
  write_two_records(*writer, false);
  const model::SafetensorsContents contents = model::read_safetensors(path.string());
  EXPECT_EQ(contents.tensors.size(), 2u);
  EXPECT_EQ(contents.tensors.at("embeddings").scalar_type(), at::kHalf);
}

TEST(EmbeddingWriter, TsvCarriesColumnsAndValues) {
  const auto path = test::scratch_dir() / "pooled.tsv.gz.plain.tsv";
  auto writer = open_embedding_writer(path.string(), layout(false));
  write_two_records(*writer, false);
  EXPECT_EQ(slurp(path), "chrom\tstart\tend\te0\te1\te2\nchr1\t10\t19\t0.5\t-1.25\t3\nchr2\t0\t4\t0.001\t2\t-0.0625\n");
  EXPECT_THROW(open_embedding_writer(path.string(), layout(false, true)), UsageError);
}

TEST(EmbeddingWriter, NothingAppearsWithoutCommit) {
  const auto path = test::scratch_dir() / "failed.npy";
  {
    auto writer = open_embedding_writer(path.string(), layout(false));
    writer->add("chr1\t10\t19", kRows, 1, nullptr);
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(test::scratch_dir() / "failed.tsv"));
  for (const auto& entry : std::filesystem::directory_iterator(test::scratch_dir()))
    EXPECT_EQ(entry.path().filename().string().find("failed"), std::string::npos) << entry.path();
}

}  // namespace
}  // namespace genobird::infer
