#include "model/model.h"

#include <mutex>
#include <set>

#include "util/error.h"
#include "util/log.h"

namespace genobird::model {
namespace {

std::once_flag full_attention_notice;

bool valid_head_name(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

}  // namespace

std::string classifier_prefix(std::size_t index, const std::string& head_name) {
  return index == 0 ? "classifier" : "classifier_" + head_name;
}

BigBirdModelImpl::BigBirdModelImpl(const BigBirdConfig& config, bool add_pooling_layer) : config_(config) {
  validate(config);
  embeddings = register_module("embeddings", BigBirdEmbeddings(config));
  encoder = register_module("encoder", BigBirdEncoder(config));
  if (add_pooling_layer) pooler = register_module("pooler", torch::nn::Linear(config.hidden_size, config.hidden_size));
}

AttentionMode BigBirdModelImpl::attention_mode(std::int64_t n) const {
  return config_.block_sparse() && n > config_.full_attention_max_tokens() ? AttentionMode::kBlockSparse
                                                                          : AttentionMode::kFull;
}

EncoderOutput BigBirdModelImpl::forward(const at::Tensor& input_ids, const at::Tensor& attention_mask,
                                        const at::Tensor& token_type_ids, std::int64_t layers) {
  TORCH_CHECK(input_ids.dim() == 2, "input_ids must be [batch, n], got ", input_ids.sizes());
  const std::int64_t n = input_ids.size(1);
  at::Tensor hidden = embeddings(input_ids, token_type_ids);  // [batch, n, hidden]
  // [batch, n] bool; left undefined when nothing is padded, which spares attention a masking pass.
  at::Tensor key_mask = attention_mask.defined() ? attention_mask.ne(0) : at::Tensor();
  if (key_mask.defined() && key_mask.all().item<bool>()) key_mask = at::Tensor();
  const at::Tensor real_tokens = key_mask;
  AttentionMode mode = attention_mode(n);
  if (config_.block_sparse() && mode == AttentionMode::kFull) {
    std::call_once(full_attention_notice, [&] {
      LOG_DEBUG("sequences of at most " << config_.full_attention_max_tokens()
                                       << " tokens use full attention (block-sparse needs more than (5 + 2 * "
                                       << config_.num_random_blocks << ") blocks of " << config_.block_size << ")");
    });
  }
  const std::int64_t bs = config_.block_size;
  const std::int64_t padding = mode == AttentionMode::kBlockSparse ? (bs - n % bs) % bs : 0;
  if (padding > 0) {
    // Padded positions are zero vectors and masked as keys, so they never reach a real token.
    hidden = at::constant_pad_nd(hidden, {0, 0, 0, padding});  // [batch, n + padding, hidden]
    at::Tensor real = key_mask.defined() ? key_mask : at::ones({input_ids.size(0), n}, input_ids.options().dtype(at::kBool));
    key_mask = at::constant_pad_nd(real, {0, padding}, 0);  // [batch, n + padding]
  }
  const bool all_layers = layers < 0 || layers >= config_.num_hidden_layers;
  hidden = encoder(hidden, key_mask, mode, layers);
  if (padding > 0) hidden = hidden.narrow(1, 0, n);
  EncoderOutput out;
  out.sequence = hidden;
  out.real = real_tokens;
  if (!pooler.is_empty() && all_layers) out.pooled = at::tanh(pooler(hidden.select(1, 0)));
  return out;
}

GenobirdModelImpl::GenobirdModelImpl(const BigBirdConfig& config, const std::vector<HeadSpec>& heads)
    : config_(config), heads_(heads) {
  std::set<std::string> names;
  for (const auto& head : heads) {
    if (!valid_head_name(head.name))
      throw ModelError("head name \"" + head.name + "\" must be letters, digits and '_'");
    if (!names.insert(head.name).second) throw ModelError("two heads are named \"" + head.name + "\"");
    if (head.kind == HeadKind::kClassification) {
      if (head.labels.empty()) throw ModelError("classification head \"" + head.name + "\" has no labels");
    }
  }
  // Every HuggingFace BigBird task model (BigBirdForMaskedLM included) builds its backbone with the pooler,
  // so a directory loads there with no missing weight whatever its heads.
  bert = register_module("bert", BigBirdModel(config, true));
  // No loss of a model without a classification head reads the pooler: keep it out of training (HuggingFace's
  // optimizers skip it too, as it gets no gradient), so that it is never decayed towards zero either.
  bool has_classifier = false;
  for (const auto& head : heads) has_classifier = has_classifier || head.kind == HeadKind::kClassification;
  if (!has_classifier)
    for (auto& p : bert->pooler->parameters()) p.set_requires_grad(false);
  std::size_t classifier_index = 0;
  for (const auto& head : heads) {
    if (head.kind == HeadKind::kMaskedLm) {
      if (!cls.is_empty()) throw ModelError("a model can have only one MLM head");
      cls = register_module("cls", MaskedLmHead(config));
    } else {
      auto module = ClassificationHead(config, static_cast<std::int64_t>(head.labels.size()), head.pooling);
      classifiers_.emplace(head.name, register_module(classifier_prefix(classifier_index++, head.name), module));
    }
  }
}

EncoderOutput GenobirdModelImpl::encode(const at::Tensor& input_ids, const at::Tensor& attention_mask,
                                        const at::Tensor& token_type_ids, std::int64_t layers) {
  return bert(input_ids, attention_mask, token_type_ids, layers);
}

at::Tensor GenobirdModelImpl::mlm_logits(const EncoderOutput& encoded) {
  if (cls.is_empty()) throw ModelError("the model has no MLM head");
  return cls(encoded.sequence, bert->embeddings->word_embeddings->weight);
}

at::Tensor GenobirdModelImpl::classify(const std::string& head, const EncoderOutput& encoded) {
  auto it = classifiers_.find(head);
  if (it == classifiers_.end()) throw ModelError("the model has no classification head \"" + head + "\"");
  return it->second(encoded.sequence, encoded.real);
}

}  // namespace genobird::model
