// What a model directory says about a model's heads (genobird.json), without torch: the kinds, the
// labels and the pooling of each head, read and written by model_metadata.h.
#pragma once

#include <string>
#include <vector>

namespace genobird::model {

enum class Pooling { kFirst, kMean };
// "cls" or "mean"; parse_pooling throws ModelError for anything else.
const char* pooling_name(Pooling pooling);
Pooling parse_pooling(const std::string& name);

enum class HeadKind { kMaskedLm, kClassification };

// One head of a model, as listed in genobird.json.
struct HeadSpec {
  std::string name;  // "mlm", "promoter", "chromatin": letters, digits and '_'
  HeadKind kind = HeadKind::kClassification;
  std::vector<std::string> labels;  // classification: one output per label
  bool multi_label = true;          // independent sigmoids (true) or one softmax over labels (false)
  // classification: what the head reads. kFirst is HuggingFace's BigBirdForSequenceClassification (the
  // [CLS] token); kMean averages the real tokens, which sums evidence from anywhere in a long window linearly.
  Pooling pooling = Pooling::kFirst;
};

}  // namespace genobird::model
