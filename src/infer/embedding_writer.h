// Output files of `genobird embed`, chosen by the name of the output:
//   *.npy          a NumPy array (format 1.0, little-endian, C order), float32 or float16 (`half`): one row per
//                  record, or per token with per_token. Beside it, OUT.tsv (the .npy name with .tsv) holds the
//                  rows' names and coordinates, row for row, under a header: the record columns, then, per
//                  token, `token` (0-based index in its record: 0 where a record's rows begin), `token_start`
//                  and `token_end` (the token's bp span in the record's sequence, 0-based half-open).
//   *.safetensors  tensors `embeddings` [rows, dim] (F32 or F16), `records` (U8: the UTF-8 text of a TSV with
//                  a header and one line per record, the record columns), with per_token also `offsets`
//                  (I64 [records + 1]: record r's rows are offsets[r] .. offsets[r + 1] - 1) and `token_spans`
//                  (I64 [rows, 2]: bp start and end); `__metadata__` holds `metadata` (pooling, layer, model).
//   anything else  TSV ("-" is stdout, *.gz bgzip): the header and columns of the .npy's companion file,
//                  then e0 .. e{dim-1} with 7 significant digits (float32 only).
// Rows stream to disk (the .npy and .safetensors data are spooled beside the output and assembled by
// commit()), so memory stays flat whatever the number of records. Files appear at their paths only on
// commit(); a failed run leaves none. Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "tokenizer/tokenizer.h"

namespace genobird::infer {

struct EmbeddingLayout {
  std::int64_t dim = 0;
  bool per_token = false;     // rows are tokens (--pool none), each with its bp span
  bool half = false;          // float16 values (.npy and .safetensors only)
  std::string record_header;  // tab-joined names of the record columns
  std::map<std::string, std::string> metadata;  // safetensors __metadata__
};

class EmbeddingWriter {
 public:
  virtual ~EmbeddingWriter() = default;
  // One record: its tab-joined columns, its rows ([rows][dim] floats) and, with per_token, one span per row.
  virtual void add(const std::string& columns, const float* rows, std::size_t row_count,
                   const tokenizer::TokenSpan* spans) = 0;
  // Writes whatever is left and moves every file onto its path. Throws IoError.
  virtual void commit() = 0;
};

// Throws UsageError for `half` with TSV output.
std::unique_ptr<EmbeddingWriter> open_embedding_writer(const std::string& path, const EmbeddingLayout& layout);

// The companion TSV of a .npy output: the name with ".npy" replaced by ".tsv".
std::string npy_companion_path(const std::string& npy_path);

}  // namespace genobird::infer
