// The thread count of OpenBLAS, the BLAS that Debian's libtorch loads, looked up at run time so that code
// without torch (and builds whose libtorch uses another BLAS) need not link it.
#pragma once

namespace genobird {

// OpenBLAS's current thread count, or 0 when OpenBLAS is not loaded in this process.
int blas_threads();

// Sets OpenBLAS's thread count; does nothing when OpenBLAS is not loaded.
void set_blas_threads(int threads);

}  // namespace genobird
