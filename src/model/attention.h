// Scaled dot-product attention over [batch, heads, n, head_dim] tensors: full, and BigBird block-sparse.
//
// Both take `key_mask`, a [batch, n] bool tensor (true: a real token, false: padding) or an undefined
// tensor for "no padding". Padded keys get exactly zero weight. Queries at padded positions still get an
// output (attending to the real keys); callers discard it.
//
// Pass an undefined key_mask when nothing is padded: masking costs a full pass over the scores.
//
// Block-sparse attention (Zaheer et al. 2020) is computed block by block, never as an n x n matrix:
//   - the middle query blocks' key and value blocks (window, globals, random; see SparseLayout) are
//     gathered into [batch, heads, n_blocks-2, slots*block, head_dim] tensors and attended to with one
//     batched matrix product each way;
//   - the two global query blocks (first, last) attend to every key as ordinary rows of full attention.
// Time and memory are O(n * slots * block * head_dim). On CUDA with libtorch 2.x both parts go through
// at::scaled_dot_product_attention (fused kernels); elsewhere through matmul + softmax. fp32 CPU tensors go
// to the fused CPU kernel of block_sparse_cpu.h instead (same numbers, no gathered copies), unless the
// gather path is asked for: it stays the reference the fused kernel is tested against. (That kernel sets
// OpenBLAS's process-wide thread count to 1 while it runs; see block_sparse_cpu.h.)
#pragma once

#include <ATen/ATen.h>

#include "model/sparse_layout.h"

namespace genobird::model {

// softmax(q k^T / sqrt(d) + mask) v, with dropout on the weights when dropout_p > 0.
// Returns [batch, heads, n, head_dim].
at::Tensor full_attention(const at::Tensor& query, const at::Tensor& key, const at::Tensor& value,
                          const at::Tensor& key_mask, double dropout_p);

// Which implementation computes block-sparse attention.
enum class BlockSparseKernel {
  kAuto,      // the fused CPU kernel for fp32 CPU tensors (when the BLAS allows it), the gather path otherwise
  kGather,    // gathered key/value blocks and batched matrix products, on any device
  kFusedCpu,  // block_sparse_attention_cpu (block_sparse_cpu.h); throws for other tensors
};

// Block-sparse attention with `layout` (layout.num_heads() must equal the heads of `query`).
// Requires n == layout.n_blocks() * block_size. Returns [batch, heads, n, head_dim].
at::Tensor block_sparse_attention(const at::Tensor& query, const at::Tensor& key, const at::Tensor& value,
                                  const at::Tensor& key_mask, const SparseLayout& layout, std::int64_t block_size,
                                  BlockSparseKernel kernel = BlockSparseKernel::kAuto);

}  // namespace genobird::model
