#include "model/init.h"

#include <ATen/core/grad_mode.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "model/encoder.h"
#include "util/error.h"

namespace genobird::model {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void initialize_normal(GenobirdModelImpl& model) {
  const double std = model.config().initializer_range;
  for (auto& item : model.named_parameters()) {
    const std::string& name = item.key();
    at::Tensor& p = item.value();
    if (name.find("LayerNorm.") != std::string::npos) {
      if (ends_with(name, ".weight")) p.fill_(1.0); else p.zero_();
    } else if (ends_with(name, "bias")) {
      p.zero_();
    } else {
      p.normal_(0.0, std);
    }
  }
  auto& words = model.bert->embeddings->word_embeddings->weight;
  words[model.config().pad_token_id].zero_();
}

// Frequencies from 3/4 pi down to pi/8, evenly spaced on a log scale. High frequencies tell a neighbour
// from its token (pi itself would make sin vanish); leaving out lower ones keeps every other offset well
// below the wanted one (the sum of cosines at any other offset stays under about 40% of its peak for 16 to
// 64 planes), so a small margin in nats needs only a small scale, and the LayerNorm's token-to-token
// variation of scale moves scores little.
std::vector<double> plane_frequencies(std::int64_t planes) {
  std::vector<double> omega(static_cast<std::size_t>(planes));
  const double high = 0.75 * M_PI, low = M_PI / 8;
  const double last = static_cast<double>(std::max<std::int64_t>(planes - 1, 1));
  for (std::int64_t k = 0; k < planes; ++k) omega[k] = high * std::pow(low / high, static_cast<double>(k) / last);
  return omega;
}

// sum_k cos(delta w_k): the score of the key at `delta` from the wanted one, in units of a plane's
// squared norm.
double plane_kernel(const std::vector<double>& omega, std::int64_t delta) {
  double sum = 0;
  for (double w : omega) sum += std::cos(static_cast<double>(delta) * w);
  return sum;
}

void initialize_local_heads(GenobirdModelImpl& model) {
  const BigBirdConfig& c = model.config();
  const std::int64_t hidden = c.hidden_size, heads = c.num_attention_heads, head_dim = hidden / heads;
  const std::int64_t planes = std::min(head_dim, hidden / 2) / 2;
  if (planes == 0) return;  // heads of one dimension: no plane to rotate
  const std::int64_t positions = c.max_position_embeddings;
  const std::vector<double> omega = plane_frequencies(planes);

  // Word and token type embeddings each have variance sigma^2 per dimension outside the planes; the
  // sinusoids of amplitude sigma * sqrt(2) have sigma^2 per dimension inside them. The embeddings'
  // LayerNorm divides by the root of the mean variance, which sets each plane's squared norm.
  const double sigma = c.initializer_range;
  const double amplitude = sigma * std::sqrt(2.0);
  const double mean_variance =
      (2 * sigma * sigma * static_cast<double>(hidden - 2 * planes) + sigma * sigma * static_cast<double>(2 * planes)) /
      static_cast<double>(hidden);
  const double plane_norm2 = amplitude * amplitude / mean_variance;
  model.bert->embeddings->word_embeddings->weight.narrow(1, 0, 2 * planes).zero_();
  // A token type's embedding is added at every position; left in, it would shift every plane off its circle.
  model.bert->embeddings->token_type_embeddings->weight.narrow(1, 0, 2 * planes).zero_();
  at::Tensor position = at::zeros({positions, hidden}, at::kDouble);
  auto p = position.accessor<double, 2>();
  for (std::int64_t i = 0; i < positions; ++i)
    for (std::int64_t k = 0; k < planes; ++k) {
      p[i][2 * k] = amplitude * std::sin(static_cast<double>(i) * omega[k]);
      p[i][2 * k + 1] = amplitude * std::cos(static_cast<double>(i) * omega[k]);
    }
  at::Tensor& position_weight = model.bert->embeddings->position_embeddings->weight;
  position_weight.copy_(position.to(position_weight.scalar_type()));

  // Scale q and k so that the wanted key scores 8 nats above the best other offset, and at least
  // ln(max_position_embeddings) + 4 above a key whose planes are out of phase (score 0), so that it holds
  // most of the weight against every key of the longest input. Scores are divided by sqrt(head_dim).
  double best_other = -static_cast<double>(planes);
  for (std::int64_t delta = 1; delta < positions; ++delta) best_other = std::max(best_other, plane_kernel(omega, delta));
  const double per_unit = plane_norm2 / std::sqrt(static_cast<double>(head_dim));  // score of one kernel unit
  const double scale2 = std::max(8.0 / (per_unit * (plane_kernel(omega, 0) - best_other)),
                                 (std::log(static_cast<double>(positions)) + 4.0) / (per_unit * plane_kernel(omega, 0)));
  const double scale = std::sqrt(scale2);

  auto& attention = model.bert->encoder->layer[0]->as<BigBirdLayerImpl>()->attention->self_attention;
  at::Tensor query = at::zeros({hidden, hidden}, at::kDouble), key = at::zeros({hidden, hidden}, at::kDouble);
  auto q = query.accessor<double, 2>();
  auto k = key.accessor<double, 2>();
  for (std::int64_t h = 0; h < heads; ++h) {
    const double delta = static_cast<double>(local_head_offset(h));
    for (std::int64_t m = 0; m < planes; ++m) {
      // key row pair = the plane of position j - delta: (sin, cos)((j - delta) w) from (sin, cos)(j w).
      const double cs = std::cos(delta * omega[m]), sn = std::sin(delta * omega[m]);
      const std::int64_t row = h * head_dim + 2 * m;
      q[row][2 * m] = scale;
      q[row + 1][2 * m + 1] = scale;
      k[row][2 * m] = scale * cs;
      k[row][2 * m + 1] = -scale * sn;
      k[row + 1][2 * m] = scale * sn;
      k[row + 1][2 * m + 1] = scale * cs;
    }
  }
  attention->query->weight.copy_(query.to(attention->query->weight.scalar_type()));
  attention->key->weight.copy_(key.to(attention->key->weight.scalar_type()));
}

}  // namespace

WeightInit parse_weight_init(const std::string& name) {
  if (name == "normal") return WeightInit::kNormal;
  if (name == "local") return WeightInit::kLocalHeads;
  throw UsageError("--init: expected normal or local, got '" + name + "'");
}

const char* weight_init_name(WeightInit init) { return init == WeightInit::kLocalHeads ? "local" : "normal"; }

std::int64_t local_head_offset(std::int64_t head) {
  const std::int64_t distance = head / 2 + 1;
  return head % 2 == 0 ? -distance : distance;
}

void initialize_weights(GenobirdModelImpl& model, WeightInit init) {
  at::NoGradGuard no_grad;
  initialize_normal(model);
  if (init == WeightInit::kLocalHeads) initialize_local_heads(model);
}

}  // namespace genobird::model
