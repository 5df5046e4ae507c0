// genobird runs the genome and tokenizer commands itself, without libtorch; every other command line is
// handed over to genobird-torch, the same dispatcher linked with the model libraries.
#pragma once

namespace genobird::cli {

// Replaces this process with genobird-torch, given the same arguments, with OMP_WAIT_POLICY=passive in its
// environment unless the variable is set already. Returns only on failure, with the
// exit status to use after printing why (1: genobird-torch missing or not executable).
int hand_over_to_torch_binary(char** argv);

}  // namespace genobird::cli
