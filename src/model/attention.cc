#include "model/attention.h"

#include "model/block_sparse_cpu.h"

#include <torch/version.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace genobird::model {
namespace {

constexpr float kMaskedScore = std::numeric_limits<float>::lowest();

// softmax(q k^T + masked) v for any number of leading batch dims; `allowed` broadcasts against the scores
// (true: the key takes part). `query` must already carry the 1/sqrt(d) scale.
at::Tensor attend(const at::Tensor& scaled_query, const at::Tensor& key, const at::Tensor& value,
                  const at::Tensor& allowed, double dropout_p) {
  at::Tensor scores = at::matmul(scaled_query, key.transpose(-1, -2));
  if (allowed.defined()) scores.masked_fill_(allowed.logical_not(), kMaskedScore);
  at::Tensor weights = at::softmax(scores, -1);
  if (dropout_p > 0) weights = at::dropout(weights, dropout_p, /*train=*/true);
  return at::matmul(weights.to(value.scalar_type()), value);
}

#if TORCH_VERSION_MAJOR >= 2
// libtorch 2.x's fused kernels (flash / memory-efficient) pay off on CUDA; on CPU the matmul path with
// OpenBLAS is the one that was measured.
bool use_fused(const at::Tensor& query) { return query.is_cuda(); }

at::Tensor fused_attend(const at::Tensor& query, const at::Tensor& key, const at::Tensor& value,
                        const at::Tensor& allowed, double dropout_p) {
  c10::optional<at::Tensor> mask;
  if (allowed.defined()) mask = allowed;
  return at::scaled_dot_product_attention(query, key, value, mask, dropout_p, /*is_causal=*/false);
}
#endif

void check_qkv(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const at::Tensor& key_mask) {
  TORCH_CHECK(q.dim() == 4 && q.sizes() == k.sizes() && q.sizes() == v.sizes(),
              "attention: query, key and value must be [batch, heads, n, head_dim] of one shape; got ", q.sizes(),
              ", ", k.sizes(), ", ", v.sizes());
  TORCH_CHECK(!key_mask.defined() ||
                  (key_mask.dim() == 2 && key_mask.size(0) == q.size(0) && key_mask.size(1) == q.size(2) &&
                   key_mask.scalar_type() == at::kBool),
              "attention: key_mask must be a bool [batch, n] tensor");
}

}  // namespace

at::Tensor full_attention(const at::Tensor& query, const at::Tensor& key, const at::Tensor& value,
                          const at::Tensor& key_mask, double dropout_p) {
  check_qkv(query, key, value, key_mask);
  // [batch, 1, 1, n]: the same keys for every head and query.
  at::Tensor allowed = key_mask.defined() ? key_mask.unsqueeze(1).unsqueeze(2) : at::Tensor();
#if TORCH_VERSION_MAJOR >= 2
  if (use_fused(query)) return fused_attend(query, key, value, allowed, dropout_p);
#endif
  const double scale = 1.0 / std::sqrt(static_cast<double>(query.size(3)));
  return attend(query * scale, key, value, allowed, dropout_p);
}

at::Tensor block_sparse_attention(const at::Tensor& query, const at::Tensor& key, const at::Tensor& value,
                                  const at::Tensor& key_mask, const SparseLayout& layout, std::int64_t block_size,
                                  BlockSparseKernel kernel) {
  check_qkv(query, key, value, key_mask);
  const bool fused_cpu_applies =
      query.device().is_cpu() && query.scalar_type() == at::kFloat && block_sparse_cpu_available();
  if (kernel == BlockSparseKernel::kFusedCpu || (kernel == BlockSparseKernel::kAuto && fused_cpu_applies))
    return block_sparse_attention_cpu(query, key, value, key_mask, layout, block_size);
  const std::int64_t batch = query.size(0), heads = query.size(1), n = query.size(2), dim = query.size(3);
  const std::int64_t n_blocks = layout.n_blocks(), middle = layout.middle_blocks(), slots = layout.slots();
  TORCH_CHECK(n == n_blocks * block_size, "block_sparse_attention: n = ", n, " is not the layout's ", n_blocks,
              " blocks of ", block_size);
  TORCH_CHECK(heads == layout.num_heads(), "block_sparse_attention: ", heads, " heads but the layout has ",
              layout.num_heads());

  // Gather indices: row (head * n_blocks + key block) of the [batch, heads * n_blocks, block * dim] view.
  const auto& key_blocks = layout.key_blocks();
  at::Tensor block_index = at::tensor(at::ArrayRef<std::int64_t>(key_blocks), at::kLong);  // [heads*middle*slots]
  at::Tensor head_offset = at::arange(heads, at::kLong).mul_(n_blocks).repeat_interleave(middle * slots);
  at::Tensor flat_index = (block_index + head_offset).to(query.device());

  // [batch, heads, middle, 1, slots * block]: the padding mask of every gathered key.
  at::Tensor gathered_mask;
  if (key_mask.defined())
    gathered_mask = key_mask.reshape({batch, n_blocks, block_size})
                        .index_select(1, block_index.to(query.device()))
                        .view({batch, heads, middle, 1, slots * block_size});

  auto gather = [&](const at::Tensor& t) {
    // [batch, heads * n_blocks, block * dim] -> [batch, heads, middle, slots * block, dim]
    return t.reshape({batch, heads * n_blocks, block_size * dim})
        .index_select(1, flat_index)
        .view({batch, heads, middle, slots * block_size, dim});
  };
  at::Tensor gathered_key = gather(key);
  at::Tensor gathered_value = gather(value);
  // [batch, heads, middle, block, dim]
  at::Tensor middle_query = query.narrow(2, block_size, middle * block_size).reshape({batch, heads, middle, block_size, dim});
  // [batch, heads, 2 * block, dim]: the two global query blocks, which see everything.
  at::Tensor global_query = at::cat({query.narrow(2, 0, block_size), query.narrow(2, n - block_size, block_size)}, 2);
  at::Tensor global_allowed = key_mask.defined() ? key_mask.unsqueeze(1).unsqueeze(2) : at::Tensor();

  at::Tensor middle_out, global_out;
#if TORCH_VERSION_MAJOR >= 2
  if (use_fused(query)) {
    // [batch, heads, middle, 1, slots * block]: duplicated slots (SparseLayout::slot_is_unique) and padding.
    at::Tensor allowed = at::ones({batch, heads, middle, 1, slots * block_size}, query.options().dtype(at::kBool));
    allowed.select(2, 0).narrow(-1, SparseLayout::kWindowSlots * block_size, block_size).fill_(false);
    allowed.select(2, middle - 1).narrow(-1, (SparseLayout::kWindowSlots + 1) * block_size, block_size).fill_(false);
    if (gathered_mask.defined()) allowed.logical_and_(gathered_mask);
    auto flat = [&](const at::Tensor& t) { return t.reshape({batch, heads * middle, t.size(3), t.size(4)}); };
    middle_out = fused_attend(flat(middle_query), flat(gathered_key), flat(gathered_value), flat(allowed), 0.0)
                     .view({batch, heads, middle, block_size, dim});
    global_out = fused_attend(global_query, key, value, global_allowed, 0.0);
  }
#endif
  if (!middle_out.defined()) {
    const double scale = 1.0 / std::sqrt(static_cast<double>(dim));
    // [batch, heads, middle, block, slots * block]
    at::Tensor scores = at::matmul(middle_query * scale, gathered_key.transpose(-1, -2));
    // Duplicated slots (SparseLayout::slot_is_unique) get no weight: only two rows, so fill just those.
    scores.select(2, 0).narrow(-1, SparseLayout::kWindowSlots * block_size, block_size).fill_(kMaskedScore);
    scores.select(2, middle - 1).narrow(-1, (SparseLayout::kWindowSlots + 1) * block_size, block_size).fill_(kMaskedScore);
    if (gathered_mask.defined()) scores.masked_fill_(gathered_mask.logical_not(), kMaskedScore);
    middle_out = at::matmul(at::softmax(scores, -1), gathered_value);
    global_out = attend(global_query * scale, key, value, global_allowed, 0.0);
  }
  // [batch, heads, n, dim]
  return at::cat({global_out.narrow(2, 0, block_size), middle_out.reshape({batch, heads, middle * block_size, dim}),
                  global_out.narrow(2, block_size, block_size)},
                 2);
}

}  // namespace genobird::model
