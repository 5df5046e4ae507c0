// The largest sizes genobird accepts from files and command lines, in one place.
//
// Every size read from an input (a model dimension, a window, a tensor length, a line) is checked against
// these limits, or against the size of the file it comes from, BEFORE anything is allocated for it, so that
// a hostile or corrupt file ends in a clear error instead of gigabytes of allocation or "out of memory".
// The limits are far above what any genomic BigBird uses (HuggingFace's largest BigBird: 4,096 positions,
// 24 layers of 1,024) and far below what would exhaust a machine. docs/formats.md lists them for users.
#pragma once

#include <cstdint>
#include <string>

namespace genobird::limits {

// --- model dimensions (config.json) ---
constexpr std::int64_t kMaxVocabSize = 1'000'000;
constexpr std::int64_t kMaxHiddenSize = 16'384;
constexpr std::int64_t kMaxLayers = 256;
constexpr std::int64_t kMaxAttentionHeads = 256;
constexpr std::int64_t kMaxIntermediateSize = 65'536;
constexpr std::int64_t kMaxPositionEmbeddings = 1'048'576;  // tokens
constexpr std::int64_t kMaxTypeVocabSize = 1'024;
constexpr std::int64_t kMaxBlockSize = 4'096;               // tokens per attention block
// All tensors of a model together: 2^31 float32 values, 8 GiB.
constexpr std::int64_t kMaxParameters = std::int64_t{1} << 31;

// --- windows (genobird.json window_bp, --window, make-dataset --window) ---
constexpr std::int64_t kMaxWindowBp = 10'000'000;  // 10 Mb: beyond any model's max_position_embeddings x bp/token

// --- text inputs ---
// One line of a text format (BED, .fai, token ids, a FASTA line). A FASTA sequence may span any number
// of lines; unwrapped FASTA (a whole chromosome on one line) is read by the streaming readers.
constexpr std::uint64_t kMaxLineBytes = std::uint64_t{1} << 30;  // 1 GiB
// JSON files read whole into memory (tokenizer.json, config.json, genobird.json, checkpoint state.json).
constexpr std::uint64_t kMaxJsonBytes = std::uint64_t{256} << 20;  // 256 MiB
// The JSON header of a .safetensors file (the format's own limit is 100 MB).
constexpr std::uint64_t kMaxSafetensorsHeaderBytes = std::uint64_t{100} << 20;
// Heads of one model (genobird.json).
constexpr std::int64_t kMaxModelHeads = 64;
// Classification labels of one head (genobird.json, config.json id2label, DeepSEA targets).
constexpr std::int64_t kMaxLabels = 100'000;

// Throws InputError(file, 0, "value VALUE of field FIELD in FILE is out of range (max MAX)") when value > max
// (and "(min MIN)" when value < min).
void check_range(std::int64_t value, std::int64_t min, std::int64_t max, const std::string& field, const std::string& file);

// Returns "value VALUE of field FIELD in FILE is out of range (max MAX)": the message of every limit.
std::string out_of_range_message(const std::string& value, const std::string& field, const std::string& file,
                                 const std::string& bound);

// Size of the regular file at `path` in bytes; throws InputError when it is not a regular file (a device,
// a FIFO, a folder) or exceeds `max_bytes`, so that readers of whole files never read without bound.
std::uint64_t checked_file_size(const std::string& path, std::uint64_t max_bytes, const std::string& what);

}  // namespace genobird::limits
