// Where a model runs, and the numeric mode of its forward passes.
#pragma once

#include <c10/core/Device.h>

#include <string>

namespace genobird::model {

// "cpu", "cuda", "cuda:N" or "auto" (CUDA when available). Throws UsageError for anything else, and
// ModelError for CUDA on a machine or build without it.
c10::Device resolve_device(const std::string& name);

// While alive on a CUDA device, matrix products run under bf16 autocast (weights stay fp32); on the CPU it
// does nothing (CPU stays fp32). Autocast state is thread-local: create the guard on the thread that runs
// the forward pass.
class Bf16AutocastGuard {
 public:
  explicit Bf16AutocastGuard(const c10::Device& device);
  ~Bf16AutocastGuard();
  Bf16AutocastGuard(const Bf16AutocastGuard&) = delete;
  Bf16AutocastGuard& operator=(const Bf16AutocastGuard&) = delete;

 private:
  bool active_ = false;
  bool was_enabled_ = false;
};

}  // namespace genobird::model
