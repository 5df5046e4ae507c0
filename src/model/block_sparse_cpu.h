// Fused CPU kernel for BigBird block-sparse attention (fp32), forward and backward.
//
// Computes exactly what block_sparse_attention's gather path computes (same layout, same zero-weight
// duplicated slots, padded keys masked), but one query block at a time: its scores [block, slots*block]
// come from BLAS products on pointers into the key rows themselves (the 3 window blocks are contiguous
// rows, so one product; each global and random block one more), stay in a per-thread buffer while they
// are softmax-ed, and are multiplied by the value rows the same way. Nothing of size
// [batch, heads, blocks, slots*block, head_dim] is ever gathered. The two global query blocks attend to
// every key as rows of full attention.
//
// Parallel over (batch, head, query block) forward; over (batch, head) backward, so that the key and value
// gradients of one head are accumulated by one thread (no races, and the same sums on every run).
//
// Inputs are [batch, heads, n, head_dim] with any strides whose last is 1 (the head-split view of a
// [batch, n, hidden] projection needs no copy); the output is a [batch, heads, n, head_dim] view of a
// [batch, n, heads, head_dim] tensor, so merging the heads back is free. Gradients flow through q, k and v
// when they require them (a custom autograd function keeps the softmax weights for backward, the same
// memory as the gather path's softmax).
//
// BLAS: the kernel calls cblas_sgemm of the BLAS libtorch itself loaded (Debian: libblas.so.3, OpenBLAS),
// found at run time, so genobird links no BLAS of its own. During a call it sets OpenBLAS's process-wide
// thread count to 1 (each small product runs on the calling thread; restored afterwards): do not run
// other BLAS work concurrently in another thread of the same process while it runs.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>

#include "model/sparse_layout.h"

namespace genobird::model {

// Whether this process's BLAS exports cblas_sgemm (false, for example, with a libtorch that links its BLAS
// statically); block_sparse_attention_cpu throws when it does not.
bool block_sparse_cpu_available();

// Block-sparse attention of fp32 CPU tensors, as block_sparse_attention (attention.h); key_mask is a
// [batch, n] bool tensor or undefined. Requires n == layout.n_blocks() * block_size and
// layout.num_heads() == heads. Returns [batch, heads, n, head_dim].
at::Tensor block_sparse_attention_cpu(const at::Tensor& query, const at::Tensor& key, const at::Tensor& value,
                                      const at::Tensor& key_mask, const SparseLayout& layout,
                                      std::int64_t block_size);

}  // namespace genobird::model
