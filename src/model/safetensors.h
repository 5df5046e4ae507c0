// Reading and writing safetensors files (https://github.com/huggingface/safetensors), the weight format
// HuggingFace reads. Layout:
//   bytes 0..7      N, the header length, unsigned 64-bit little-endian
//   bytes 8..8+N    a JSON object {"NAME": {"dtype": "F32", "shape": [d0, d1, ...], "data_offsets": [b, e]}, ...,
//                   "__metadata__": {"format": "pt"}}, padded with spaces
//   the rest        raw little-endian row-major tensor data; tensor NAME is bytes [b, e) of it
// The data offsets of all tensors must tile the data area exactly (no gap, no overlap, nothing after).
//
// The reader checks everything before it allocates: a truncated or hostile file (absurd header length,
// offsets outside the file, sizes that disagree with shape x dtype, shapes whose product overflows, unknown
// dtypes, a header that is not JSON) is a FormatError naming the file and the tensor, never a crash or a
// huge allocation. Supported dtypes: F64 F32 F16 BF16 I64 I32 I16 I8 U8 BOOL.
#pragma once

#include <ATen/ATen.h>

#include <map>
#include <string>

namespace genobird::model {

struct SafetensorsContents {
  std::map<std::string, at::Tensor> tensors;  // CPU, contiguous, in the file's dtype
  std::map<std::string, std::string> metadata;
};

// Throws IoError if the file cannot be opened or read, FormatError if it is not a valid safetensors file.
SafetensorsContents read_safetensors(const std::string& path);

// Writes atomically (temporary file + rename). Tensors may live on any device; they are copied to the CPU.
// Throws ModelError for an unsupported dtype or an empty or reserved name, IoError on write failure.
void write_safetensors(const std::string& path, const std::map<std::string, at::Tensor>& tensors,
                       const std::map<std::string, std::string>& metadata = {{"format", "pt"}});

// The safetensors name of a dtype ("F32") and back; throw ModelError / FormatError for unsupported ones.
std::string safetensors_dtype_name(at::ScalarType type);

}  // namespace genobird::model
