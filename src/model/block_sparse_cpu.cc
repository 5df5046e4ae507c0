#include "model/block_sparse_cpu.h"

#include <dlfcn.h>

#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <vector>

#include "util/blas_threads.h"

namespace genobird::model {
namespace {

constexpr float kMaskedScore = std::numeric_limits<float>::lowest();  // as the gather path: exp gives 0

// CBLAS enumerators, fixed by the CBLAS standard (cblas.h).
constexpr int kRowMajor = 101, kNoTrans = 111, kTrans = 112;

using SgemmFn = void (*)(int, int, int, int, int, int, float, const float*, int, const float*, int, float, float*,
                         int);
// cblas_sgemm of the BLAS libtorch loaded, looked up once (null when that BLAS has no CBLAS interface).
SgemmFn sgemm() {
  static const SgemmFn found = reinterpret_cast<SgemmFn>(dlsym(RTLD_DEFAULT, "cblas_sgemm"));
  return found;
}

// OpenBLAS threads every product above a tiny size; called from each of our threads at once it would
// oversubscribe the cores and serialise on its level-3 lock. Our products are small and already run in
// parallel, so each runs on the calling thread while this guard lives.
class SingleThreadedBlas {
 public:
  SingleThreadedBlas() : previous_(blas_threads()) {
    if (previous_ > 1) set_blas_threads(1);
  }
  ~SingleThreadedBlas() {
    if (previous_ > 1) set_blas_threads(previous_);
  }
  SingleThreadedBlas(const SingleThreadedBlas&) = delete;
  SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;

 private:
  int previous_ = 0;
};

// Row-major products, C[m x n] = alpha * op(A) op(B) + beta * C, with leading dimensions (row strides).
void gemm(bool trans_a, bool trans_b, std::int64_t m, std::int64_t n, std::int64_t k, float alpha, const float* a,
          std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c, std::int64_t ldc) {
  sgemm()(kRowMajor, trans_a ? kTrans : kNoTrans, trans_b ? kTrans : kNoTrans, static_cast<int>(m),
               static_cast<int>(n), static_cast<int>(k), alpha, a, static_cast<int>(lda), b, static_cast<int>(ldb),
               beta, c, static_cast<int>(ldc));
}

// A [batch, heads, n, dim] tensor with unit stride in dim: rows of one (batch, head) are `row` apart.
struct HeadRows {
  float* data;
  std::int64_t batch, head, row;
  float* at(std::int64_t b, std::int64_t h, std::int64_t r) const { return data + b * batch + h * head + r * row; }
};

HeadRows head_rows(const at::Tensor& t) { return {t.data_ptr<float>(), t.stride(0), t.stride(1), t.stride(2)}; }

// Contiguous key rows [key_row, key_row + rows) whose scores go to columns [column, column + rows).
struct KeyRun {
  std::int64_t key_row, rows, column;
};

struct Problem {
  HeadRows q, k, v;
  const bool* key_mask;  // [batch, n], true: a real token; nullptr: no padding
  const SparseLayout* layout;
  std::int64_t batch, heads, n, dim, block, n_blocks, middle, width;  // width = slots * block
  float scale;

  // The key runs of middle query block `i` (1 .. n_blocks-2) of `head`: the window as one run, then
  // one run per global and random slot, in SparseLayout's slot order.
  void key_runs(std::int64_t head, std::int64_t i, std::vector<KeyRun>& runs) const {
    runs.clear();
    runs.push_back({(i - 1) * block, SparseLayout::kWindowSlots * block, 0});
    for (std::int64_t s = SparseLayout::kWindowSlots; s < layout->slots(); ++s)
      runs.push_back({layout->key_block(head, i, s) * block, block, s * block});
  }
};

// Gives masked score columns the gather path's masked score: duplicated slots of middle row `i` (i > 0)
// and padded keys. scores: [block, width] (width = n for the global rows, i = 0 there).
void mask_scores(const Problem& p, std::int64_t b, std::int64_t i, const std::vector<KeyRun>& runs, float* scores,
                 std::int64_t width, std::vector<unsigned char>& allowed) {
  allowed.assign(static_cast<std::size_t>(width), 1);
  bool any_masked = false;
  for (std::int64_t s = 0; i > 0 && s < p.layout->slots(); ++s)
    if (!p.layout->slot_is_unique(i, s)) {
      std::fill_n(allowed.begin() + s * p.block, p.block, 0);
      any_masked = true;
    }
  if (p.key_mask) {
    const bool* real = p.key_mask + b * p.n;
    for (const KeyRun& run : runs)
      for (std::int64_t j = 0; j < run.rows; ++j)
        if (!real[run.key_row + j]) {
          allowed[static_cast<std::size_t>(run.column + j)] = 0;
          any_masked = true;
        }
  }
  if (!any_masked) return;
  for (std::int64_t r = 0; r < p.block; ++r) {
    float* row = scores + r * width;
    for (std::int64_t c = 0; c < width; ++c) row[c] = allowed[static_cast<std::size_t>(c)] ? row[c] : kMaskedScore;
  }
}

// probs[rows x cols] = softmax of each row of scores, through ATen's vectorised kernel (this translation
// unit is built for the baseline instruction set; ATen's kernels dispatch to AVX2/AVX-512).
void softmax_rows(float* scores, float* probs, std::int64_t rows, std::int64_t cols) {
  at::Tensor in = at::from_blob(scores, {rows, cols}, at::kFloat);
  at::Tensor out = at::from_blob(probs, {rows, cols}, at::kFloat);
  at::_softmax_out(out, in, 1, false);
}

// grad[rows x cols] := probs * (grad - sum_j probs_j grad_j): the softmax backward, in place.
void softmax_backward_rows(const float* probs, float* grad, std::int64_t rows, std::int64_t cols) {
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* p = probs + r * cols;
    float* g = grad + r * cols;
    // Eight running sums: the compiler may vectorise them, one sum would be a chain of dependent adds.
    float partial[8] = {};
    std::int64_t c = 0;
    for (; c + 8 <= cols; c += 8)
      for (int lane = 0; lane < 8; ++lane) partial[lane] += p[c + lane] * g[c + lane];
    float dot = 0;
    for (float sum : partial) dot += sum;
    for (; c < cols; ++c) dot += p[c] * g[c];
    for (c = 0; c < cols; ++c) g[c] = p[c] * (g[c] - dot);
  }
}

// Runs work(item, scratch) for every item in [0, count) on all threads, each thread taking the next item
// when it is free. A static split would make every thread wait for the slowest share; on a machine shared
// with other work, a thread that loses its core then delays the whole pass by its whole share, and here by
// at most one item. Scratch is default-constructed once per thread.
template <typename Scratch, typename Work>
void for_each_item(std::int64_t count, Work&& work) {
  std::atomic<std::int64_t> next{0};
  const std::int64_t threads = std::max<std::int64_t>(1, std::min<std::int64_t>(at::get_num_threads(), count));
  at::parallel_for(0, threads, 1, [&](std::int64_t, std::int64_t) {
    Scratch scratch;
    for (std::int64_t item; (item = next.fetch_add(1)) < count;) work(item, scratch);
  });
}

struct ForwardScratch {
  std::vector<float> scores, probs;  // [rows, width] each
  std::vector<KeyRun> runs;
  std::vector<unsigned char> allowed;
};

// Query blocks per softmax call in the middle: amortises ATen's per-call cost, small enough to stay in cache.
constexpr std::int64_t kMiddleGroup = 4;

// The global query blocks 0 and n_blocks-1 of (batch, head) = divmod(item / 2, heads), which attend to all n
// keys. saved: [batch, heads, 2, block, n] or nullptr.
void forward_global(const Problem& p, std::int64_t item, const HeadRows& out, float* saved, ForwardScratch& s) {
  const std::int64_t tile = p.block * p.n;
  const std::int64_t h = item / 2 % p.heads, b = item / 2 / p.heads;
  const std::int64_t query_row = item % 2 == 0 ? 0 : p.n - p.block;
  s.scores.resize(static_cast<std::size_t>(std::max<std::int64_t>(tile, kMiddleGroup * p.block * p.width)));
  gemm(false, true, p.block, p.n, p.dim, p.scale, p.q.at(b, h, query_row), p.q.row, p.k.at(b, h, 0), p.k.row, 0.0f,
       s.scores.data(), p.n);
  s.runs.assign(1, KeyRun{0, p.n, 0});
  mask_scores(p, b, 0, s.runs, s.scores.data(), p.n, s.allowed);
  float* probs = saved ? saved + item * tile : nullptr;
  if (!probs) {
    s.probs.resize(s.scores.size());
    probs = s.probs.data();
  }
  softmax_rows(s.scores.data(), probs, p.block, p.n);
  gemm(false, false, p.block, p.dim, p.n, 1.0f, probs, p.n, p.v.at(b, h, 0), p.v.row, 0.0f, out.at(b, h, query_row),
       out.row);
}

// Middle query blocks t = first .. first+count-1 of the [batch, heads, middle] order (query block t % middle + 1).
// saved: [batch, heads, middle, block, width] or nullptr (inference: the weights live in the scratch).
void forward_middle(const Problem& p, std::int64_t first, std::int64_t count, const HeadRows& out, float* saved,
                    ForwardScratch& s) {
  const std::int64_t tile = p.block * p.width;
  s.scores.resize(static_cast<std::size_t>(std::max<std::int64_t>(p.block * p.n, kMiddleGroup * tile)));
  for (std::int64_t t = first; t < first + count; ++t) {
    const std::int64_t i = t % p.middle + 1, h = t / p.middle % p.heads, b = t / p.middle / p.heads;
    float* scores = s.scores.data() + (t - first) * tile;
    p.key_runs(h, i, s.runs);
    for (const KeyRun& run : s.runs)
      gemm(false, true, p.block, run.rows, p.dim, p.scale, p.q.at(b, h, i * p.block), p.q.row,
           p.k.at(b, h, run.key_row), p.k.row, 0.0f, scores + run.column, p.width);
    mask_scores(p, b, i, s.runs, scores, p.width, s.allowed);
  }
  float* probs = saved ? saved + first * tile : nullptr;
  if (!probs) {
    s.probs.resize(s.scores.size());
    probs = s.probs.data();
  }
  softmax_rows(s.scores.data(), probs, count * p.block, p.width);
  for (std::int64_t t = first; t < first + count; ++t) {
    const std::int64_t i = t % p.middle + 1, h = t / p.middle % p.heads, b = t / p.middle / p.heads;
    const float* w = probs + (t - first) * tile;
    p.key_runs(h, i, s.runs);
    for (std::size_t r = 0; r < s.runs.size(); ++r)
      gemm(false, false, p.block, p.dim, s.runs[r].rows, 1.0f, w + s.runs[r].column, p.width,
           p.v.at(b, h, s.runs[r].key_row), p.v.row, r == 0 ? 0.0f : 1.0f, out.at(b, h, i * p.block), out.row);
  }
}

// All query blocks: the global ones first (the largest items, so that no thread is left with one at the end),
// then the middle ones in groups of kMiddleGroup.
void forward_all(const Problem& p, const HeadRows& out, float* saved_middle, float* saved_global) {
  const std::int64_t globals = p.batch * p.heads * 2, middles = p.batch * p.heads * p.middle;
  const std::int64_t groups = (middles + kMiddleGroup - 1) / kMiddleGroup;
  for_each_item<ForwardScratch>(globals + groups, [&](std::int64_t item, ForwardScratch& s) {
    if (item < globals) return forward_global(p, item, out, saved_global, s);
    const std::int64_t first = (item - globals) * kMiddleGroup;
    forward_middle(p, first, std::min(kMiddleGroup, middles - first), out, saved_middle, s);
  });
}

struct BackwardScratch {
  std::vector<float> d_scores;  // [block, max(n, width)]
  std::vector<KeyRun> runs;
};

// Gradients of one (batch, head) from the saved weights; d_key and d_value must start at zero.
void backward_head(const Problem& p, std::int64_t b, std::int64_t h, const HeadRows& d_out, const float* saved_middle,
                   const float* saved_global, const HeadRows& d_query, const HeadRows& d_key, const HeadRows& d_value,
                   std::vector<float>& d_scores, std::vector<KeyRun>& runs) {
  const std::int64_t bh = b * p.heads + h;
  for (std::int64_t g = 0; g < 2; ++g) {
    const std::int64_t row = g == 0 ? 0 : p.n - p.block;
    const float* w = saved_global + (bh * 2 + g) * p.block * p.n;
    const float* d_o = d_out.at(b, h, row);
    const float* q = p.q.at(b, h, row);
    float* ds = d_scores.data();
    gemm(false, true, p.block, p.n, p.dim, 1.0f, d_o, d_out.row, p.v.at(b, h, 0), p.v.row, 0.0f, ds, p.n);
    softmax_backward_rows(w, ds, p.block, p.n);
    gemm(false, false, p.block, p.dim, p.n, p.scale, ds, p.n, p.k.at(b, h, 0), p.k.row, 0.0f, d_query.at(b, h, row),
         d_query.row);
    gemm(true, false, p.n, p.dim, p.block, p.scale, ds, p.n, q, p.q.row, 1.0f, d_key.at(b, h, 0), d_key.row);
    gemm(true, false, p.n, p.dim, p.block, 1.0f, w, p.n, d_o, d_out.row, 1.0f, d_value.at(b, h, 0), d_value.row);
  }
  for (std::int64_t i = 1; i <= p.middle; ++i) {
    const std::int64_t row = i * p.block;
    const float* w = saved_middle + (bh * p.middle + i - 1) * p.block * p.width;
    const float* d_o = d_out.at(b, h, row);
    const float* q = p.q.at(b, h, row);
    float* ds = d_scores.data();
    p.key_runs(h, i, runs);
    for (const KeyRun& run : runs)
      gemm(false, true, p.block, run.rows, p.dim, 1.0f, d_o, d_out.row, p.v.at(b, h, run.key_row), p.v.row, 0.0f,
           ds + run.column, p.width);
    softmax_backward_rows(w, ds, p.block, p.width);
    for (std::size_t r = 0; r < runs.size(); ++r) {
      const KeyRun& run = runs[r];
      gemm(false, false, p.block, p.dim, run.rows, p.scale, ds + run.column, p.width, p.k.at(b, h, run.key_row),
           p.k.row, r == 0 ? 0.0f : 1.0f, d_query.at(b, h, row), d_query.row);
      gemm(true, false, run.rows, p.dim, p.block, p.scale, ds + run.column, p.width, q, p.q.row, 1.0f,
           d_key.at(b, h, run.key_row), d_key.row);
      gemm(true, false, run.rows, p.dim, p.block, 1.0f, w + run.column, p.width, d_o, d_out.row, 1.0f,
           d_value.at(b, h, run.key_row), d_value.row);
    }
  }
}

// [batch, heads, n, dim] with unit stride in dim: the kernel's pointer arithmetic needs no more.
at::Tensor usable(const at::Tensor& t) { return t.stride(3) == 1 && t.stride(2) >= t.size(3) ? t : t.contiguous(); }

Problem make_problem(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const at::Tensor& key_mask,
                     const SparseLayout& layout, std::int64_t block) {
  Problem p{head_rows(q), head_rows(k), head_rows(v), key_mask.defined() ? key_mask.data_ptr<bool>() : nullptr,
            &layout, q.size(0), q.size(1), q.size(2), q.size(3), block, layout.n_blocks(), layout.middle_blocks(),
            layout.slots() * block, static_cast<float>(1.0 / std::sqrt(static_cast<double>(q.size(3))))};
  return p;
}

// Runs the forward kernel; fills saved_middle / saved_global when they are defined. Returns
// [batch, n, heads, dim].
at::Tensor run_forward(const Problem& p, const at::Tensor& saved_middle, const at::Tensor& saved_global,
                   const at::TensorOptions& options) {
  at::Tensor out = at::empty({p.batch, p.n, p.heads, p.dim}, options);  // [batch, n, heads, dim]
  HeadRows rows = head_rows(out.transpose(1, 2));
  SingleThreadedBlas single_threaded;
  forward_all(p, rows, saved_middle.defined() ? saved_middle.data_ptr<float>() : nullptr,
              saved_global.defined() ? saved_global.data_ptr<float>() : nullptr);
  return out;
}

class BlockSparseCpuFunction : public torch::autograd::Function<BlockSparseCpuFunction> {
 public:
  // Returns [batch, n, heads, dim] (the caller transposes: a view made here would be a custom
  // function's view output, which autograd restricts).
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& query, const at::Tensor& key,
                            const at::Tensor& value, const c10::optional<at::Tensor>& optional_key_mask,
                            const SparseLayout& layout, std::int64_t block) {
    const at::Tensor key_mask = optional_key_mask.value_or(at::Tensor());
    Problem p = make_problem(query, key, value, key_mask, layout, block);
    // [batch, heads, middle, block, slots * block] and [batch, heads, 2, block, n]: the softmax weights.
    at::Tensor saved_middle = at::empty({p.batch, p.heads, p.middle, p.block, p.width}, query.options());
    at::Tensor saved_global = at::empty({p.batch, p.heads, 2, p.block, p.n}, query.options());
    at::Tensor out = run_forward(p, saved_middle, saved_global, query.options());
    ctx->save_for_backward({query, key, value, key_mask, saved_middle, saved_global});
    ctx->saved_data["key_blocks"] = layout.key_blocks();
    ctx->saved_data["n_blocks"] = layout.n_blocks();
    ctx->saved_data["random_blocks"] = layout.num_random_blocks();
    ctx->saved_data["block"] = block;
    return out;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const at::Tensor &query = saved[0], &key = saved[1], &value = saved[2], &key_mask = saved[3];
    const SparseLayout layout(ctx->saved_data["n_blocks"].toInt(), ctx->saved_data["random_blocks"].toInt(),
                              query.size(1), ctx->saved_data["key_blocks"].toIntVector());
    Problem p = make_problem(query, key, value, key_mask, layout, ctx->saved_data["block"].toInt());
    // [batch, n, heads, dim] each; viewed as [batch, heads, n, dim] for the kernel and for autograd.
    at::Tensor d_out = grads[0].contiguous();
    at::Tensor d_query = at::empty({p.batch, p.n, p.heads, p.dim}, query.options());
    at::Tensor d_key = at::zeros({p.batch, p.n, p.heads, p.dim}, query.options());
    at::Tensor d_value = at::zeros({p.batch, p.n, p.heads, p.dim}, query.options());
    const HeadRows d_out_rows = head_rows(d_out.transpose(1, 2)), d_query_rows = head_rows(d_query.transpose(1, 2)),
                   d_key_rows = head_rows(d_key.transpose(1, 2)), d_value_rows = head_rows(d_value.transpose(1, 2));
    const float* saved_middle = saved[4].data_ptr<float>();
    const float* saved_global = saved[5].data_ptr<float>();
    SingleThreadedBlas single_threaded;
    for_each_item<BackwardScratch>(p.batch * p.heads, [&](std::int64_t t, BackwardScratch& s) {
      s.d_scores.resize(static_cast<std::size_t>(p.block * std::max(p.n, p.width)));
      backward_head(p, t / p.heads, t % p.heads, d_out_rows, saved_middle, saved_global, d_query_rows, d_key_rows,
                    d_value_rows, s.d_scores, s.runs);
    });
    return {d_query.transpose(1, 2), d_key.transpose(1, 2), d_value.transpose(1, 2), at::Tensor(), at::Tensor(),
            at::Tensor()};
  }
};

}  // namespace

bool block_sparse_cpu_available() { return sgemm() != nullptr; }

at::Tensor block_sparse_attention_cpu(const at::Tensor& query, const at::Tensor& key, const at::Tensor& value,
                                      const at::Tensor& key_mask, const SparseLayout& layout,
                                      std::int64_t block_size) {
  TORCH_CHECK(block_sparse_cpu_available(), "block_sparse_attention_cpu: the loaded BLAS has no cblas_sgemm");
  TORCH_CHECK(query.device().is_cpu() && query.scalar_type() == at::kFloat,
              "block_sparse_attention_cpu: needs fp32 CPU tensors, got ", query.scalar_type(), " on ", query.device());
  TORCH_CHECK(query.size(2) == layout.n_blocks() * block_size, "block_sparse_attention_cpu: n = ", query.size(2),
              " is not the layout's ", layout.n_blocks(), " blocks of ", block_size);
  TORCH_CHECK(query.size(1) == layout.num_heads(), "block_sparse_attention_cpu: ", query.size(1),
              " heads but the layout has ", layout.num_heads());
  at::Tensor q = usable(query), k = usable(key), v = usable(value);
  at::Tensor mask = key_mask.defined() ? key_mask.contiguous() : key_mask;
  const bool needs_grad =
      at::GradMode::is_enabled() && (query.requires_grad() || key.requires_grad() || value.requires_grad());
  at::Tensor out;  // [batch, n, heads, dim]
  if (needs_grad) {
    // An undefined tensor argument would trip autograd's input bookkeeping; no mask goes in as nullopt.
    c10::optional<at::Tensor> optional_mask;
    if (mask.defined()) optional_mask = mask;
    out = BlockSparseCpuFunction::apply(q, k, v, optional_mask, layout, block_size);
  } else {
    out = run_forward(make_problem(q, k, v, mask, layout, block_size), at::Tensor(), at::Tensor(), q.options());
  }
  return out.transpose(1, 2);  // [batch, heads, n, dim]
}

}  // namespace genobird::model
