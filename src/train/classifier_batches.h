// A labelled dataset tokenized for a classification head, and the head's predictions over all of it.
//
// Every example is framed as model/classifier_input.h says ([CLS] tokens [SEP], cut to its central tokens
// when longer than the model's positions: chromatin windows are centred on their bin); batches are formed
// so that every example scores as it does alone (model::independent_batches).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <c10/core/Device.h>

#include "model/classifier_input.h"
#include "model/model.h"
#include "tokenizer/tokenizer.h"
#include "train/labelled_data.h"

namespace genobird::train {

struct TokenizedExamples {
  std::vector<model::TokenIds> forward;  // [CLS] ids [SEP] of each sequence
  std::vector<model::TokenIds> reverse;  // the same for its reverse complement (empty if not asked)
  std::size_t truncated = 0;             // examples cut to max_tokens
};

// `max_tokens` counts [CLS] and [SEP]; `threads` >= 1.
TokenizedExamples tokenize_examples(const LabelledDataset& dataset, const tokenizer::Tokenizer& tokenizer,
                                    std::int64_t max_tokens, bool with_reverse, int threads);

using model::parse_rc_mode;
using model::RcMode;

// Sigmoid probabilities of `head` for every example: [examples * labels] row-major. Runs in eval mode
// under inference mode (the model's training flag is restored). With RcMode other than kOff the
// examples must have been tokenized with their reverse complements.
std::vector<float> predict_probabilities(model::GenobirdModelImpl& model, const std::string& head,
                                         const TokenizedExamples& examples, std::int64_t batch_size,
                                         const c10::Device& device, RcMode rc);

}  // namespace genobird::train
