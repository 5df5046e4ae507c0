// DeepSEA bundle reader on MATLAB files written here with matio, in both of the bundle's layouts:
// train.mat (v7.3 / HDF5, samples last) and valid.mat / test.mat (v5, samples first).
#include <gtest/gtest.h>
#include <matio.h>

#include <filesystem>
#include <random>

#include "scratch_dir.h"
#include "train/deepsea_mat.h"
#include "util/error.h"

namespace genobird::train {
namespace {

namespace fs = std::filesystem;

struct Example {
  std::string sequence;
  std::vector<std::uint8_t> labels;
};

std::vector<Example> random_examples(int n, int length, int labels, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<Example> out(static_cast<std::size_t>(n));
  for (auto& e : out) {
    for (int p = 0; p < length; ++p) e.sequence += "ACGTN"[rng() % 5];
    for (int l = 0; l < labels; ++l) e.labels.push_back(rng() % 3 == 0);
  }
  return out;
}

// Writes `examples` as DeepSEA does: x one-hot (rows A, C, G, T; N all zero), y labels; `samples_last`
// selects [length, 4, N] / [labels, N] (train.mat) or [N, 4, length] / [N, labels] (valid/test.mat).
void write_mat(const std::string& path, mat_ft version, const std::string& prefix, const std::vector<Example>& examples,
               bool samples_last) {
  const std::size_t n = examples.size(), length = examples[0].sequence.size(), labels = examples[0].labels.size();
  std::vector<std::uint8_t> x(n * 4 * length, 0), y(n * labels, 0);
  for (std::size_t s = 0; s < n; ++s) {
    for (std::size_t p = 0; p < length; ++p) {
      std::size_t b = std::string("ACGT").find(examples[s].sequence[p]);
      if (b == std::string::npos) continue;
      std::size_t index = samples_last ? p + length * (b + 4 * s) : s + n * (b + 4 * p);  // column-major
      x[index] = 1;
    }
    for (std::size_t l = 0; l < labels; ++l)
      y[samples_last ? l + labels * s : s + n * l] = examples[s].labels[l];
  }
  mat_t* mat = Mat_CreateVer(path.c_str(), nullptr, version);
  ASSERT_NE(mat, nullptr) << "matio cannot create " << path;
  std::size_t x_dims[3] = {samples_last ? length : n, 4, samples_last ? n : length};
  std::size_t y_dims[2] = {samples_last ? labels : n, samples_last ? n : labels};
  matvar_t* xv = Mat_VarCreate((prefix + "xdata").c_str(), MAT_C_UINT8, MAT_T_UINT8, 3, x_dims, x.data(), 0);
  matvar_t* yv = Mat_VarCreate((prefix + "data").c_str(), MAT_C_UINT8, MAT_T_UINT8, 2, y_dims, y.data(), 0);
  ASSERT_EQ(Mat_VarWrite(mat, xv, MAT_COMPRESSION_NONE), 0);
  ASSERT_EQ(Mat_VarWrite(mat, yv, MAT_COMPRESSION_NONE), 0);
  Mat_VarFree(xv);
  Mat_VarFree(yv);
  Mat_Close(mat);
}

void expect_same(const LabelledDataset& d, const std::vector<Example>& examples) {
  ASSERT_EQ(d.size(), examples.size());
  EXPECT_EQ(d.task, "chromatin");
  for (std::size_t s = 0; s < examples.size(); ++s) {
    EXPECT_EQ(d.examples[s].sequence, examples[s].sequence) << "example " << s;
    for (std::size_t l = 0; l < examples[s].labels.size(); ++l) EXPECT_EQ(d.label(s, l), examples[s].labels[l]);
  }
}

class DeepSeaMat : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::scratch_dir() / "mat";
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(DeepSeaMat, ReadsTrainLayoutFromMatlab73) {
  auto examples = random_examples(7, 50, 5, 1);
  const std::string path = (dir_ / "train.mat").string();
  write_mat(path, MAT_FT_MAT73, "train", examples, true);
  LabelledDataset d = read_deepsea_mat(path);
  expect_same(d, examples);
  EXPECT_EQ(d.label_names[0], "profile_1");
  EXPECT_EQ(d.examples[2].name, "train_3");
}

TEST_F(DeepSeaMat, ReadsValidLayoutFromMatlab5AndStopsAtMaxExamples) {
  auto examples = random_examples(9, 40, 3, 2);
  const std::string path = (dir_ / "valid.mat").string();
  write_mat(path, MAT_FT_MAT5, "valid", examples, false);
  expect_same(read_deepsea_mat(path), examples);
  LabelledDataset first = read_deepsea_mat(path, 4);
  examples.resize(4);
  expect_same(first, examples);
  // read_dataset dispatches on the .mat name.
  EXPECT_EQ(read_dataset(path).size(), 9u);
}

TEST_F(DeepSeaMat, NamesTheBundlesProfileGroups) {
  auto names = deepsea_label_names(919);
  EXPECT_EQ(names[0], "DNase:1");
  EXPECT_EQ(names[124], "DNase:125");
  EXPECT_EQ(names[125], "TF:126");
  EXPECT_EQ(names[814], "TF:815");
  EXPECT_EQ(names[815], "HM:816");
  EXPECT_EQ(names[918], "HM:919");
}

TEST_F(DeepSeaMat, RejectsOtherFiles) {
  const std::string text = (dir_ / "not.mat").string();
  FILE* f = std::fopen(text.c_str(), "w");
  std::fputs("not a mat file\n", f);
  std::fclose(f);
  EXPECT_THROW(read_deepsea_mat(text), FormatError);
  // A .mat without the bundle's variables.
  const std::string other = (dir_ / "other.mat").string();
  mat_t* mat = Mat_CreateVer(other.c_str(), nullptr, MAT_FT_MAT5);
  double value = 1;
  std::size_t dims[2] = {1, 1};
  matvar_t* v = Mat_VarCreate("something", MAT_C_DOUBLE, MAT_T_DOUBLE, 2, dims, &value, 0);
  Mat_VarWrite(mat, v, MAT_COMPRESSION_NONE);
  Mat_VarFree(v);
  Mat_Close(mat);
  EXPECT_THROW(read_deepsea_mat(other), FormatError);
}

// Damaged v5 files: each must be refused before anything is allocated for its declared shape (matio itself
// reads a short data element without complaint, filling in whatever bytes follow).
TEST_F(DeepSeaMat, RefusesDataShorterThanItsShapeAndHugeShapes) {
  const std::string good = (dir_ / "good5.mat").string();
  write_mat(good, MAT_FT_MAT5, "valid", random_examples(20, 50, 3, 5), false);
  ASSERT_EQ(read_deepsea_mat(good).size(), 20u);
  // x's dims: header (128) + matrix tag (8) + array flags (16) + dims tag (8), then int32 [N, 4, length].
  constexpr long kLengthDim = 128 + 8 + 16 + 8 + 8;
  auto patched = [&](const std::string& name, std::int32_t length) {
    const std::string path = (dir_ / name).string();
    fs::copy_file(good, path, fs::copy_options::overwrite_existing);
    FILE* f = std::fopen(path.c_str(), "r+b");
    std::fseek(f, kLengthDim, SEEK_SET);
    std::fwrite(&length, sizeof length, 1, f);
    std::fclose(f);
    return path;
  };
  auto message_of = [](const std::string& path) -> std::string {
    try {
      read_deepsea_mat(path);
    } catch (const FormatError& e) {
      return e.what();
    }
    return "accepted";
  };
  EXPECT_NE(message_of(patched("longer.mat", 60)).find("data shorter than its declared shape"), std::string::npos);
  EXPECT_NE(message_of(patched("huge.mat", 2000000000)).find("validxdata"), std::string::npos);
  const std::string truncated = (dir_ / "truncated.mat").string();
  fs::copy_file(good, truncated, fs::copy_options::overwrite_existing);
  fs::resize_file(truncated, fs::file_size(good) - 100);
  EXPECT_NE(message_of(truncated).find("truncated"), std::string::npos) << message_of(truncated);
}

}  // namespace
}  // namespace genobird::train
