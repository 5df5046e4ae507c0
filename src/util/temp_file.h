// Temporary files beside an output path, for atomic outputs (written whole, then renamed onto the path).
#pragma once

#include <string>

namespace genobird {

// Creates an empty temporary file beside `path` ("PATH.tmp.XXXXXX") with the permissions a plain open() would
// give, stores its name in `temp_path` and returns its descriptor. OutputFile writes through it; writers that
// must open their file by name (htslib's VCF/BCF writer, libBigWig) close it and reopen the name. Throws IoError.
int open_temp_beside(const std::string& path, std::string& temp_path);

}  // namespace genobird
