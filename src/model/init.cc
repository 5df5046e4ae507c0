#include "model/init.h"

#include <ATen/core/grad_mode.h>

namespace genobird::model {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

void initialize_weights(GenobirdModelImpl& model) {
  at::NoGradGuard no_grad;
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

}  // namespace genobird::model
