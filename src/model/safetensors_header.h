// The JSON header of a safetensors file, parsed and checked without torch (so that it can be fuzzed and
// tested alone): see safetensors.h for the layout. Every entry is checked against the size of the data
// area before the caller allocates anything.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace genobird::model {

struct SafetensorsEntry {
  std::string name;
  std::string dtype;                 // "F32", ...
  std::uint64_t element_size = 0;    // bytes
  std::vector<std::int64_t> shape;
  std::uint64_t begin = 0, end = 0;  // byte range within the data area
};

struct SafetensorsHeader {
  std::vector<SafetensorsEntry> entries;  // sorted by data offset; they tile the data area exactly
  std::map<std::string, std::string> metadata;
};

// Byte size of one element of a safetensors dtype; 0 for an unknown dtype.
std::uint64_t safetensors_element_size(const std::string& dtype);

// Parses `header` (the JSON text) of a file whose data area holds `data_size` bytes. Throws FormatError
// naming `path` and the tensor: not JSON, a repeated key (JSON parsers disagree on which one wins, so a
// file with two is ambiguous), bad dtype, shape or offsets, gaps, overlaps or data beyond the file.
SafetensorsHeader parse_safetensors_header(const std::string& header, std::uint64_t data_size, const std::string& path);

}  // namespace genobird::model
