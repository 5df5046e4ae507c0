// DeepSEA's convolutional network (Zhou & Troyanskaya 2015, Nature Methods 12:931, "Methods: DeepSEA
// model"), for the chromatin-profile benchmark's CNN peer (bench_deepsea_cnn):
//   one-hot [batch, 4, window] (rows A, C, G, T; N = all zeros)
//   Conv1d(4 -> 320, k 8) ReLU MaxPool(4) Dropout(0.2)
//   Conv1d(320 -> 480, k 8) ReLU MaxPool(4) Dropout(0.2)
//   Conv1d(480 -> 960, k 8) ReLU Dropout(0.5)
//   flatten, Linear(-> 925) ReLU, Linear(925 -> labels); forward() returns logits (sigmoid in the loss).
// `width_scale` multiplies the three filter counts and the dense width (rounded, at least 1 each), so a
// narrower net can be trained where CPU time is short. No padding ("valid" convolutions, as the paper's
// Torch7 code): the flattened length is worked out from the window and must stay positive.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace genobird::bench {

struct DeepSeaShape {
  std::int64_t window = 1000;  // bp
  std::int64_t labels = 919;
  double width_scale = 1.0;

  std::int64_t conv1() const;  // 320 x width_scale
  std::int64_t conv2() const;  // 480 x width_scale
  std::int64_t conv3() const;  // 960 x width_scale
  std::int64_t dense() const;  // 925 x width_scale
  // Positions left after the three convolutions and two poolings (53 for 1,000 bp); <= 0: window too short.
  std::int64_t conv_length() const;
};

class DeepSeaNetImpl : public torch::nn::Module {
 public:
  // Throws std::invalid_argument when the window is too short for the three convolutions.
  explicit DeepSeaNetImpl(const DeepSeaShape& shape);
  // x: [batch, 4, window] one-hot; returns logits [batch, labels].
  at::Tensor forward(const at::Tensor& x);
  const DeepSeaShape& shape() const { return shape_; }

 private:
  DeepSeaShape shape_;
  torch::nn::Conv1d conv1_{nullptr}, conv2_{nullptr}, conv3_{nullptr};
  torch::nn::Dropout drop1_{nullptr}, drop2_{nullptr}, drop3_{nullptr};
  torch::nn::Linear dense_{nullptr}, out_{nullptr};
};
TORCH_MODULE(DeepSeaNet);

// Base codes of a sequence: A C G T (either case) -> 0 1 2 3, anything else (N) -> 4.
std::vector<std::uint8_t> base_codes(const std::string& sequence);

// One-hot batch [rows.size(), 4, window] from base codes stored row after row (`window` codes each);
// code 4 (N) is all zeros. With reverse_complement, each row is read from its end with A<->T, C<->G.
at::Tensor one_hot(const std::vector<std::uint8_t>& codes, std::int64_t window, const std::vector<std::size_t>& rows,
                   const std::vector<bool>& reverse_complement);

}  // namespace genobird::bench
