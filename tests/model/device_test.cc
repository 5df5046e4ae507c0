#include "model/device.h"

#include <ATen/ATen.h>
#include <ATen/autocast_mode.h>
#include <gtest/gtest.h>

#include "util/error.h"

namespace genobird::model {
namespace {

TEST(Device, NamesResolve) {
  EXPECT_EQ(resolve_device("cpu"), c10::Device(c10::kCPU));
  EXPECT_EQ(resolve_device("auto").is_cuda(), at::hasCUDA());
  EXPECT_THROW(resolve_device("gpu"), UsageError);
  EXPECT_THROW(resolve_device("cudax"), UsageError);
  if (!at::hasCUDA()) {
    EXPECT_THROW(resolve_device("cuda"), ModelError);
    EXPECT_THROW(resolve_device("cuda:1"), ModelError);
  }
}

TEST(Device, AutocastGuardLeavesTheCpuInFloat32) {
  Bf16AutocastGuard guard(c10::Device(c10::kCPU));
  at::Tensor a = at::randn({4, 4});
  EXPECT_EQ(at::matmul(a, a).scalar_type(), at::kFloat);
}

}  // namespace
}  // namespace genobird::model
