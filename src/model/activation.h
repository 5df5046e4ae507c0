// The activations BigBirdConfig::hidden_act may name, as HuggingFace defines them.
#pragma once

#include <ATen/ATen.h>

#include <string>

namespace genobird::model {

// gelu_new: tanh approximation of GELU; gelu: exact (erf) GELU; relu. The name was validated with the config.
inline at::Tensor activation(const at::Tensor& x, const std::string& name) {
  if (name == "gelu_new") return at::gelu(x, "tanh");
  if (name == "gelu") return at::gelu(x);
  return at::relu(x);
}

}  // namespace genobird::model
