// Small models shared by the trainer tests.
#pragma once

#include <vector>

#include "model/model.h"
#include "model/test_configs.h"

namespace genobird::train {

inline std::vector<model::HeadSpec> mlm_heads() {
  return {model::HeadSpec{"mlm", model::HeadKind::kMaskedLm, {}, true}};
}

inline model::GenobirdModel tiny_mlm_model() { return model::GenobirdModel(model::tiny_test_config(), mlm_heads()); }

}  // namespace genobird::train
