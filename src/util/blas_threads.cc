#include "util/blas_threads.h"

#include <dlfcn.h>

namespace genobird {
namespace {

using GetThreadsFn = int (*)();
using SetThreadsFn = void (*)(int);

struct OpenBlas {
  GetThreadsFn get_threads = reinterpret_cast<GetThreadsFn>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
  SetThreadsFn set_threads = reinterpret_cast<SetThreadsFn>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
};

const OpenBlas& open_blas() {
  static const OpenBlas found;
  return found;
}

}  // namespace

int blas_threads() { return open_blas().get_threads ? open_blas().get_threads() : 0; }

void set_blas_threads(int threads) {
  if (open_blas().set_threads) open_blas().set_threads(threads);
}

}  // namespace genobird
