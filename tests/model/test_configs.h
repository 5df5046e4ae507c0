// Small configurations shared by the model tests (fast on two cores).
#pragma once

#include "model/config.h"

namespace genobird::model {

// 2 layers x hidden 16, 2 heads, block 8, r 1: block-sparse above (5 + 2) * 8 = 56 tokens.
inline BigBirdConfig tiny_test_config() {
  BigBirdConfig c;
  c.vocab_size = 40;
  c.hidden_size = 16;
  c.num_hidden_layers = 2;
  c.num_attention_heads = 2;
  c.intermediate_size = 32;
  c.max_position_embeddings = 256;
  c.block_size = 8;
  c.num_random_blocks = 1;
  return c;
}

}  // namespace genobird::model
