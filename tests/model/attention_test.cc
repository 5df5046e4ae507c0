// Block-sparse attention against a slow, obviously correct reference: dense attention over the full
// n x n score matrix with an explicit mask holding the same block pattern (and the padding).
#include "model/attention.h"

#include <gtest/gtest.h>
#include <c10/core/InferenceMode.h>

#include "model/block_sparse_cpu.h"

#include <cmath>
#include <limits>
#include <ostream>
#include <string>

namespace genobird::model {

// Test names and GetParam() printouts (ctest names its tests after them) read "gather", not "4-byte object".
static const char* kernel_name(BlockSparseKernel kernel) {
  switch (kernel) {
    case BlockSparseKernel::kAuto: return "auto";
    case BlockSparseKernel::kGather: return "gather";
    case BlockSparseKernel::kFusedCpu: return "fused_cpu";
  }
  return "unknown";
}
static void PrintTo(BlockSparseKernel kernel, std::ostream* out) { *out << kernel_name(kernel); }

namespace {

// "lengths256_200" for per-row lengths, "unpadded" without.
std::string lengths_name(const std::vector<std::int64_t>& lengths) {
  if (lengths.empty()) return "unpadded";
  std::string name = "lengths";
  for (std::size_t i = 0; i < lengths.size(); ++i) name += (i ? "_" : "") + std::to_string(lengths[i]);
  return name;
}

// [heads, n, n] bool: token i may attend to token j under `layout`.
at::Tensor dense_pattern(const SparseLayout& layout, std::int64_t block_size) {
  const std::int64_t nb = layout.n_blocks(), heads = layout.num_heads();
  at::Tensor blocks = at::zeros({heads, nb, nb}, at::kBool);
  auto access = blocks.accessor<bool, 3>();
  for (std::int64_t h = 0; h < heads; ++h)
    for (std::int64_t q = 0; q < nb; ++q)
      for (std::int64_t k = 0; k < nb; ++k) access[h][q][k] = layout.sees(h, q, k);
  return blocks.repeat_interleave(block_size, 1).repeat_interleave(block_size, 2);
}

at::Tensor reference_attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const at::Tensor& allowed) {
  at::Tensor scores = at::matmul(q, k.transpose(-1, -2)) / std::sqrt(static_cast<double>(q.size(3)));
  scores = scores.masked_fill(allowed.logical_not(), -std::numeric_limits<float>::infinity());
  return at::matmul(at::softmax(scores, -1), v);
}

// [batch, n] bool with `lengths[b]` real tokens at the start of row b.
at::Tensor padding_mask(const std::vector<std::int64_t>& lengths, std::int64_t n) {
  at::Tensor mask = at::zeros({static_cast<std::int64_t>(lengths.size()), n}, at::kBool);
  for (std::size_t b = 0; b < lengths.size(); ++b) mask[static_cast<std::int64_t>(b)].narrow(0, 0, lengths[b]).fill_(true);
  return mask;
}

struct Case {
  std::int64_t n_blocks, block_size, random_blocks, heads, dim;
  std::vector<std::int64_t> lengths;  // per batch row; empty: no padding mask, batch 2
};

std::string case_name(const Case& c) {
  return "blocks" + std::to_string(c.n_blocks) + "_size" + std::to_string(c.block_size) + "_random" +
         std::to_string(c.random_blocks) + "_heads" + std::to_string(c.heads) + "_dim" + std::to_string(c.dim) + "_" +
         lengths_name(c.lengths);
}
void PrintTo(const Case& c, std::ostream* out) { *out << case_name(c); }

void expect_close(const at::Tensor& a, const at::Tensor& b, double tolerance, const char* what) {
  double diff = (a - b).abs().max().item<double>();
  EXPECT_LE(diff, tolerance) << what << ": max abs difference " << diff;
}

// Every case runs through both implementations: the gather path and the fused CPU kernel.
class BlockSparseVsDense : public ::testing::TestWithParam<std::tuple<Case, BlockSparseKernel>> {};

TEST_P(BlockSparseVsDense, ForwardAndGradientsMatch) {
  const Case& c = std::get<0>(GetParam());
  const BlockSparseKernel kernel = std::get<1>(GetParam());
  if (kernel == BlockSparseKernel::kFusedCpu && !block_sparse_cpu_available()) GTEST_SKIP() << "no cblas_sgemm";
  at::manual_seed(11);
  const std::int64_t n = c.n_blocks * c.block_size;
  const std::int64_t batch = c.lengths.empty() ? 2 : static_cast<std::int64_t>(c.lengths.size());
  SparseLayout layout = sparse_layout(c.n_blocks, c.random_blocks, c.heads, 3);
  at::Tensor key_mask = c.lengths.empty() ? at::Tensor() : padding_mask(c.lengths, n);

  auto make = [&] { return at::randn({batch, c.heads, n, c.dim}, at::kFloat).requires_grad_(true); };
  at::Tensor q = make(), k = make(), v = make();
  at::Tensor q2 = q.detach().clone().requires_grad_(true), k2 = k.detach().clone().requires_grad_(true),
             v2 = v.detach().clone().requires_grad_(true);
  // [batch, heads, n, n]
  at::Tensor allowed = dense_pattern(layout, c.block_size).unsqueeze(0);
  if (key_mask.defined()) allowed = allowed.logical_and(key_mask.view({batch, 1, 1, n}));

  at::Tensor sparse = block_sparse_attention(q, k, v, key_mask, layout, c.block_size, kernel);
  at::Tensor dense = reference_attention(q2, k2, v2, allowed);
  ASSERT_EQ(sparse.sizes(), dense.sizes());
  // Padded query rows are discarded by callers; compare real rows only, and back-propagate through them.
  at::Tensor row_weight = at::randn({batch, c.heads, n, c.dim});
  if (key_mask.defined()) row_weight = row_weight * key_mask.view({batch, 1, n, 1});
  expect_close(sparse * row_weight.ne(0), dense * row_weight.ne(0), 1e-5, "forward");
  (sparse * row_weight).sum().backward();
  (dense * row_weight).sum().backward();
  expect_close(q.grad(), q2.grad(), 1e-5, "d query");
  expect_close(k.grad(), k2.grad(), 1e-5, "d key");
  expect_close(v.grad(), v2.grad(), 1e-5, "d value");
  if (key_mask.defined() && !key_mask.all().item<bool>()) {
    at::Tensor padded_keys = key_mask.logical_not().view({batch, 1, n, 1});
    EXPECT_EQ(k.grad().masked_select(padded_keys).abs().max().item<float>(), 0.0f) << "padded keys got weight";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, BlockSparseVsDense,
    ::testing::Combine(
        ::testing::Values(Case{5, 4, 0, 1, 8, {}},              // smallest layout, no random blocks
                          Case{8, 4, 3, 2, 8, {}},              // r = 3, the minimum blocks for it
                          Case{11, 8, 2, 3, 16, {}},            // odd block count
                          Case{16, 16, 3, 2, 8, {256, 200}},    // padding in one row
                          Case{9, 4, 1, 2, 4, {36, 13, 5}},     // batch 3, padding into the middle blocks
                          Case{12, 2, 3, 1, 4, {24}},           // block size 2, mask all true
                          Case{7, 8, 0, 3, 8, {56, 50, 9}}),    // r = 0, odd batch and heads, padding
        ::testing::Values(BlockSparseKernel::kGather, BlockSparseKernel::kFusedCpu)),
    [](const ::testing::TestParamInfo<BlockSparseVsDense::ParamType>& info) {
      return case_name(std::get<0>(info.param)) + "_" + kernel_name(std::get<1>(info.param));
    });

// The fused kernel's own backward against autograd through the gather path, on the inputs the encoder
// gives it: head-split views of [batch, n, hidden] projections (row stride hidden, not head_dim).
struct FusedCase {
  std::int64_t batch, heads, n_blocks, block_size, random_blocks, dim;
  std::vector<std::int64_t> lengths;  // per batch row; empty: no padding mask
};

std::string fused_case_name(const FusedCase& c) {
  return "batch" + std::to_string(c.batch) + "_heads" + std::to_string(c.heads) + "_blocks" + std::to_string(c.n_blocks) +
         "_size" + std::to_string(c.block_size) + "_random" + std::to_string(c.random_blocks) + "_dim" +
         std::to_string(c.dim) + "_" + lengths_name(c.lengths);
}
void PrintTo(const FusedCase& c, std::ostream* out) { *out << fused_case_name(c); }

class FusedCpuVsGather : public ::testing::TestWithParam<FusedCase> {};

TEST_P(FusedCpuVsGather, ForwardAndGradientsMatchOnStridedInputs) {
  if (!block_sparse_cpu_available()) GTEST_SKIP() << "no cblas_sgemm";
  const FusedCase& c = GetParam();
  at::manual_seed(23);
  const std::int64_t n = c.n_blocks * c.block_size, hidden = c.heads * c.dim;
  SparseLayout layout = sparse_layout(c.n_blocks, c.random_blocks, c.heads, 1);
  at::Tensor key_mask = c.lengths.empty() ? at::Tensor() : padding_mask(c.lengths, n);
  // [batch, n, 3 * hidden]: one fused projection, split into q, k, v and into heads without copies.
  at::Tensor projected = at::randn({c.batch, n, 3 * hidden}).requires_grad_(true);
  at::Tensor projected2 = projected.detach().clone().requires_grad_(true);
  auto heads_of = [&](const at::Tensor& x, std::int64_t part) {
    return x.narrow(2, part * hidden, hidden).view({c.batch, n, c.heads, c.dim}).transpose(1, 2);
  };
  at::Tensor fused = block_sparse_attention(heads_of(projected, 0), heads_of(projected, 1), heads_of(projected, 2),
                                            key_mask, layout, c.block_size, BlockSparseKernel::kFusedCpu);
  at::Tensor gather = block_sparse_attention(heads_of(projected2, 0), heads_of(projected2, 1), heads_of(projected2, 2),
                                             key_mask, layout, c.block_size, BlockSparseKernel::kGather);
  ASSERT_EQ(fused.sizes(), gather.sizes());
  at::Tensor row_weight = at::randn({c.batch, c.heads, n, c.dim});
  if (key_mask.defined()) row_weight = row_weight * key_mask.view({c.batch, 1, n, 1});
  expect_close(fused * row_weight.ne(0), gather * row_weight.ne(0), 1e-5, "forward");
  (fused * row_weight).sum().backward();
  (gather * row_weight).sum().backward();
  for (std::int64_t part = 0; part < 3; ++part)
    expect_close(projected.grad().narrow(2, part * hidden, hidden), projected2.grad().narrow(2, part * hidden, hidden),
                 1e-5, part == 0 ? "d query" : part == 1 ? "d key" : "d value");

  // Without gradients (inference) the kernel keeps no weights but must give the same output.
  c10::InferenceMode inference;
  at::Tensor q = heads_of(projected.detach(), 0), k = heads_of(projected.detach(), 1), v = heads_of(projected.detach(), 2);
  at::Tensor inferred = block_sparse_attention(q, k, v, key_mask, layout, c.block_size, BlockSparseKernel::kFusedCpu);
  EXPECT_TRUE(at::equal(inferred, fused.detach()));
}

INSTANTIATE_TEST_SUITE_P(Shapes, FusedCpuVsGather,
                         ::testing::Values(FusedCase{1, 1, 5, 4, 0, 8, {}},           // one head, r = 0
                                           FusedCase{3, 5, 9, 8, 2, 4, {}},           // odd batch and heads
                                           FusedCase{2, 3, 10, 16, 3, 16, {160, 37}}, // padding, odd heads
                                           FusedCase{5, 1, 8, 4, 1, 8, {32, 31, 9, 4, 1}}),  // padding in every block
                         [](const ::testing::TestParamInfo<FusedCase>& info) { return fused_case_name(info.param); });

TEST(FusedCpuKernel, RejectsNonFloat) {
  if (!block_sparse_cpu_available()) GTEST_SKIP() << "no cblas_sgemm";
  at::Tensor q = at::randn({1, 1, 32, 4}, at::kDouble);
  EXPECT_THROW(block_sparse_attention(q, q, q, at::Tensor(), sparse_layout(8, 3, 1, 0), 4, BlockSparseKernel::kFusedCpu),
               c10::Error);
}

TEST(FullAttention, MatchesReferenceWithPadding) {
  at::manual_seed(5);
  at::Tensor q = at::randn({2, 3, 20, 8}), k = at::randn({2, 3, 20, 8}), v = at::randn({2, 3, 20, 8});
  at::Tensor key_mask = padding_mask({20, 7}, 20);
  at::Tensor expected = reference_attention(q, k, v, key_mask.view({2, 1, 1, 20}).expand({2, 3, 20, 20}));
  expect_close(full_attention(q, k, v, key_mask, 0.0), expected, 1e-5, "full attention");
  expect_close(full_attention(q, k, v, at::Tensor(), 0.0), reference_attention(q, k, v, at::ones({20, 20}, at::kBool)),
               1e-5, "full attention without mask");
}

class BlockSparseAttention : public ::testing::TestWithParam<BlockSparseKernel> {};

TEST_P(BlockSparseAttention, IgnoresKeysOutsideThePattern) {
  if (GetParam() == BlockSparseKernel::kFusedCpu && !block_sparse_cpu_available()) GTEST_SKIP() << "no cblas_sgemm";
  // Negative control: changing a key block that middle query block q does not see leaves q's output
  // unchanged, but changes the global rows' output.
  at::manual_seed(3);
  const std::int64_t block = 4, n_blocks = 16;
  SparseLayout layout = sparse_layout(n_blocks, 1, 1, 0);
  const std::int64_t q_block = 7;
  std::int64_t unseen = 1;
  while (layout.sees(0, q_block, unseen)) ++unseen;
  at::Tensor q = at::randn({1, 1, n_blocks * block, 4}), k = at::randn({1, 1, n_blocks * block, 4}),
             v = at::randn({1, 1, n_blocks * block, 4});
  at::Tensor before = block_sparse_attention(q, k, v, at::Tensor(), layout, block, GetParam());
  at::Tensor k2 = k.clone(), v2 = v.clone();
  k2.narrow(2, unseen * block, block).normal_();
  v2.narrow(2, unseen * block, block).normal_();
  at::Tensor after = block_sparse_attention(q, k2, v2, at::Tensor(), layout, block, GetParam());
  EXPECT_TRUE(at::equal(before.narrow(2, q_block * block, block), after.narrow(2, q_block * block, block)));
  EXPECT_FALSE(at::allclose(before.narrow(2, 0, block), after.narrow(2, 0, block)));
}

TEST_P(BlockSparseAttention, RejectsLengthNotMatchingLayout) {
  if (GetParam() == BlockSparseKernel::kFusedCpu && !block_sparse_cpu_available()) GTEST_SKIP() << "no cblas_sgemm";
  at::Tensor q = at::randn({1, 1, 30, 4});
  EXPECT_THROW(block_sparse_attention(q, q, q, at::Tensor(), sparse_layout(8, 3, 1, 0), 4, GetParam()), c10::Error);
}

INSTANTIATE_TEST_SUITE_P(Kernels, BlockSparseAttention,
                         ::testing::Values(BlockSparseKernel::kGather, BlockSparseKernel::kFusedCpu),
                         [](const ::testing::TestParamInfo<BlockSparseKernel>& info) {
                           return std::string(kernel_name(info.param));
                         });

}  // namespace
}  // namespace genobird::model
