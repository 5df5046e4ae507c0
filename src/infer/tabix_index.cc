#include "infer/tabix_index.h"

#include <htslib/tbx.h>

#include "util/error.h"

namespace genobird::infer {

void build_tabix_index(const std::string& bgzip_path) {
  if (tbx_index_build(bgzip_path.c_str(), 0, &tbx_conf_bed) != 0)
    throw IoError("cannot build the tabix index " + bgzip_path +
                  ".tbi (tabix needs rows sorted by start within each chromosome: sort the --regions BED)");
}

}  // namespace genobird::infer
