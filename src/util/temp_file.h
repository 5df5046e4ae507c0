// Temporary files beside an output path, for atomic outputs (written whole, then renamed onto the path).
#pragma once

#include <string>

namespace genobird {

// Creates an empty temporary file beside `path` ("PATH.tmp.XXXXXX", the name shortened when it would pass the
// file-name limit) with the permissions a plain open() would give, stores its name in `temp_path`, registers it
// for removal on interruption (interrupt_cleanup.h) and returns its descriptor. OutputFile writes through it;
// writers that must open their file by name (htslib's VCF/BCF writer, libBigWig) close it and reopen the name,
// and call unregister_temp_path(temp_path) once it is renamed into place or removed. Throws IoError, also when
// `path` cannot be written (check_output_path).
int open_temp_beside(const std::string& path, std::string& temp_path);

}  // namespace genobird
