#include "io/indexable_fasta.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <vector>

#include "io/indexed_fasta.h"
#include "io/sequence_reader.h"
#include "util/error.h"
#include "util/interrupt_cleanup.h"

namespace genobird::io {

namespace fs = std::filesystem;

IndexableFasta::IndexableFasta(const std::string& path) : path_(path) {
  if (!is_plain_gzip(path)) return;
  std::string pattern = (fs::temp_directory_path() / "genobird-fasta-XXXXXX").string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  if (::mkdtemp(name.data()) == nullptr) throw IoError(with_errno("cannot create a temporary folder " + pattern));
  temp_dir_ = name.data();
  register_temp_path(temp_dir_);
  try {
    const fs::path copy = fs::path(temp_dir_) / fs::path(path).filename().replace_extension("");
    path_ = copy.string();
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path_.c_str(), "w"), &std::fclose);
    if (file == nullptr) throw IoError(with_errno("cannot write " + path_));
    std::FILE* out = file.get();
    SequenceReader reader(path);
    SequenceRecord record;
    bool ok = true;
    while (ok && reader.next(record)) {
      ok = std::fprintf(out, ">%s\n", record.name.c_str()) >= 0;
      for (std::size_t i = 0; ok && i < record.seq.size(); i += 80) {
        const std::size_t n = std::min<std::size_t>(80, record.seq.size() - i);
        ok = std::fwrite(record.seq.data() + i, 1, n, out) == n && std::fputc('\n', out) != EOF;
      }
    }
    if (std::fclose(file.release()) != 0 || !ok) throw IoError(with_errno("cannot write " + path_));
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(temp_dir_, ignored);
    unregister_temp_path(temp_dir_);
    throw;
  }
}

IndexableFasta::~IndexableFasta() {
  if (temp_dir_.empty()) return;
  std::error_code ignored;
  fs::remove_all(temp_dir_, ignored);
  unregister_temp_path(temp_dir_);
}

}  // namespace genobird::io
