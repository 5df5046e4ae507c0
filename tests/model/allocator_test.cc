// The CPU tensor cache: a second batch of the same large activations reuses the blocks the first one
// freed instead of faulting fresh pages in; small tensors bypass it; stopping it frees what it holds.
// ctest runs each test case in its own process, so each starts with c10's default allocator.
#include "model/allocator.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <ATen/ATen.h>

#include <vector>

namespace genobird::model {
namespace {

long minor_faults() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

// Six activations of 16 MiB (a 16384-token x 256 layer), alive together, then freed. Returns their sum.
double one_batch() {
  std::vector<at::Tensor> activations;
  double sum = 0;
  for (int i = 0; i < 6; ++i) {
    activations.push_back(at::full({16384, 256}, static_cast<double>(i), at::kFloat));
    sum += activations.back().sum().item<double>();
  }
  return sum;
}

constexpr double kBatchSum = 16384.0 * 256 * (0 + 1 + 2 + 3 + 4 + 5);
constexpr long kBatchPages = 6 * 16 * 1024 / 4;  // 24,576 pages of 4 KiB

TEST(CpuTensorCache, SecondBatchReusesFreedBlocks) {
  use_cpu_tensor_cache();
  EXPECT_EQ(one_batch(), kBatchSum);
  const CpuTensorCacheStats after_first = cpu_tensor_cache_stats();
  EXPECT_EQ(after_first.cached_bytes, 6u * 16 * 1024 * 1024);
  const long before = minor_faults();
  EXPECT_EQ(one_batch(), kBatchSum);  // reused blocks hold the old values until written: still correct
  EXPECT_LT(minor_faults() - before, kBatchPages / 10);
  const CpuTensorCacheStats after_second = cpu_tensor_cache_stats();
  EXPECT_EQ(after_second.reused - after_first.reused, 6u);
  EXPECT_EQ(after_second.fresh, after_first.fresh);
}

TEST(CpuTensorCache, WithoutTheCacheEveryBatchFaultsAgain) {
  // The control for the test above: with c10's default allocator the second batch faults its pages in.
  one_batch();
  const long before = minor_faults();
  one_batch();
  EXPECT_GT(minor_faults() - before, kBatchPages / 2);
}

TEST(CpuTensorCache, SmallTensorsBypassTheCache) {
  use_cpu_tensor_cache();
  const CpuTensorCacheStats before = cpu_tensor_cache_stats();
  { at::Tensor small = at::ones({1000}, at::kFloat); }
  const CpuTensorCacheStats after = cpu_tensor_cache_stats();
  EXPECT_EQ(after.cached_bytes, before.cached_bytes);
  EXPECT_EQ(after.fresh, before.fresh);
}

TEST(CpuTensorCache, LimitAndStop) {
  use_cpu_tensor_cache(40u << 20);  // room for two of the six 16 MiB blocks
  one_batch();
  EXPECT_EQ(cpu_tensor_cache_stats().cached_bytes, 32u << 20);
  stop_cpu_tensor_cache();
  EXPECT_EQ(cpu_tensor_cache_stats().cached_bytes, 0u);
  one_batch();  // freed straight back while stopped
  EXPECT_EQ(cpu_tensor_cache_stats().cached_bytes, 0u);
}

}  // namespace
}  // namespace genobird::model
