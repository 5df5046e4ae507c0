#include "model/device.h"

#include <ATen/autocast_mode.h>
#include <ATen/Context.h>
#include <torch/version.h>

#include "util/error.h"

namespace genobird::model {

c10::Device resolve_device(const std::string& name) {
  const bool cuda_available = at::hasCUDA();
  if (name == "auto") return cuda_available ? c10::Device(c10::kCUDA, 0) : c10::Device(c10::kCPU);
  if (name == "cpu") return c10::Device(c10::kCPU);
  if (name.rfind("cuda", 0) != 0) throw UsageError("--device must be cpu, cuda, cuda:N or auto, not \"" + name + "\"");
  c10::Device device(c10::kCPU);
  try {
    device = c10::Device(name);
  } catch (const c10::Error&) {
    throw UsageError("--device must be cpu, cuda, cuda:N or auto, not \"" + name + "\"");
  }
  if (!cuda_available) throw ModelError("--device " + name + ": this build or machine has no CUDA");
  return device;
}

Bf16AutocastGuard::Bf16AutocastGuard(const c10::Device& device) {
  if (!device.is_cuda()) return;
  active_ = true;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
  was_enabled_ = at::autocast::is_autocast_enabled(at::kCUDA);
  at::autocast::set_autocast_dtype(at::kCUDA, at::kBFloat16);
  at::autocast::set_autocast_enabled(at::kCUDA, true);
#else
  was_enabled_ = at::autocast::is_enabled();
  at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
  at::autocast::set_enabled(true);
#endif
  at::autocast::increment_nesting();
}

Bf16AutocastGuard::~Bf16AutocastGuard() {
  if (!active_) return;
  // Cast weights are cached while autocast is nested; drop them when the outermost guard ends.
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
  at::autocast::set_autocast_enabled(at::kCUDA, was_enabled_);
#else
  at::autocast::set_enabled(was_enabled_);
#endif
}

}  // namespace genobird::model
