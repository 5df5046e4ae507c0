#include "deepsea_net.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <torch/nn/functional/pooling.h>

namespace genobird::bench {
namespace {

constexpr std::int64_t kKernel = 8, kPool = 4;

std::int64_t scaled(std::int64_t width, double scale) {
  return std::max<std::int64_t>(1, std::llround(static_cast<double>(width) * scale));
}

}  // namespace

std::int64_t DeepSeaShape::conv1() const { return scaled(320, width_scale); }
std::int64_t DeepSeaShape::conv2() const { return scaled(480, width_scale); }
std::int64_t DeepSeaShape::conv3() const { return scaled(960, width_scale); }
std::int64_t DeepSeaShape::dense() const { return scaled(925, width_scale); }

std::int64_t DeepSeaShape::conv_length() const {
  std::int64_t n = window - kKernel + 1;  // conv1
  n = n / kPool - kKernel + 1;            // pool, conv2
  n = n / kPool - kKernel + 1;            // pool, conv3
  return n;
}

DeepSeaNetImpl::DeepSeaNetImpl(const DeepSeaShape& shape) : shape_(shape) {
  if (shape.conv_length() <= 0)
    throw std::invalid_argument("a " + std::to_string(shape.window) +
                                " bp window is too short for DeepSEA's three convolutions (at least 151 bp)");
  if (shape.labels <= 0) throw std::invalid_argument("DeepSEA network needs at least one label");
  conv1_ = register_module("conv1", torch::nn::Conv1d(torch::nn::Conv1dOptions(4, shape.conv1(), kKernel)));
  conv2_ = register_module("conv2", torch::nn::Conv1d(torch::nn::Conv1dOptions(shape.conv1(), shape.conv2(), kKernel)));
  conv3_ = register_module("conv3", torch::nn::Conv1d(torch::nn::Conv1dOptions(shape.conv2(), shape.conv3(), kKernel)));
  drop1_ = register_module("drop1", torch::nn::Dropout(0.2));
  drop2_ = register_module("drop2", torch::nn::Dropout(0.2));
  drop3_ = register_module("drop3", torch::nn::Dropout(0.5));
  dense_ = register_module("dense", torch::nn::Linear(shape.conv3() * shape.conv_length(), shape.dense()));
  out_ = register_module("out", torch::nn::Linear(shape.dense(), shape.labels));
}

at::Tensor DeepSeaNetImpl::forward(const at::Tensor& x) {
  namespace F = torch::nn::functional;
  at::Tensor h = drop1_(F::max_pool1d(at::relu(conv1_(x)), F::MaxPool1dFuncOptions(kPool)));  // [b, c1, L1]
  h = drop2_(F::max_pool1d(at::relu(conv2_(h)), F::MaxPool1dFuncOptions(kPool)));              // [b, c2, L2]
  h = drop3_(at::relu(conv3_(h)));                                                             // [b, c3, L3]
  h = at::relu(dense_(h.flatten(1)));                                                          // [b, dense]
  return out_(h);                                                                              // [b, labels]
}

std::vector<std::uint8_t> base_codes(const std::string& sequence) {
  std::vector<std::uint8_t> codes(sequence.size());
  for (std::size_t i = 0; i < sequence.size(); ++i) {
    switch (sequence[i]) {
      case 'A': case 'a': codes[i] = 0; break;
      case 'C': case 'c': codes[i] = 1; break;
      case 'G': case 'g': codes[i] = 2; break;
      case 'T': case 't': codes[i] = 3; break;
      default: codes[i] = 4;
    }
  }
  return codes;
}

at::Tensor one_hot(const std::vector<std::uint8_t>& codes, std::int64_t window, const std::vector<std::size_t>& rows,
                   const std::vector<bool>& reverse_complement) {
  const auto batch = static_cast<std::int64_t>(rows.size());
  at::Tensor x = at::zeros({batch, 4, window}, at::kFloat);  // [batch, 4, window]
  auto a = x.accessor<float, 3>();
  for (std::int64_t b = 0; b < batch; ++b) {
    const std::uint8_t* row = codes.data() + rows[static_cast<std::size_t>(b)] * static_cast<std::size_t>(window);
    const bool rc = reverse_complement[static_cast<std::size_t>(b)];
    for (std::int64_t j = 0; j < window; ++j) {
      // The reverse complement of A C G T (0 1 2 3) is T G C A (3 2 1 0): code 3 - c, read from the end.
      const std::uint8_t c = rc ? row[window - 1 - j] : row[j];
      if (c < 4) a[b][rc ? 3 - c : c][j] = 1.0f;
    }
  }
  return x;
}

}  // namespace genobird::bench
