#include "model/safetensors.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <limits>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/output_file.h"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "safetensors data is little-endian; so must the host be");

namespace genobird::model {
namespace {

// A header beyond this is not a weights file but an attack or an accident (real ones are kilobytes).
constexpr std::uint64_t kMaxHeaderBytes = 100u << 20;

struct DtypeName {
  const char* name;
  at::ScalarType type;
};
constexpr DtypeName kDtypes[] = {{"F64", at::kDouble}, {"F32", at::kFloat}, {"F16", at::kHalf},
                                 {"BF16", at::kBFloat16}, {"I64", at::kLong}, {"I32", at::kInt},
                                 {"I16", at::kShort},     {"I8", at::kChar},  {"U8", at::kByte},
                                 {"BOOL", at::kBool}};

struct Entry {
  std::string name;
  at::ScalarType type;
  std::vector<std::int64_t> shape;
  std::uint64_t begin, end;
};

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw FormatError(path + ": not a valid safetensors file: " + what);
}

std::uint64_t get_offset(const std::string& path, const std::string& name, const nlohmann::json& value) {
  if (!value.is_number_unsigned()) fail(path, "tensor \"" + name + "\": data_offsets must be non-negative integers");
  return value.get<std::uint64_t>();
}

Entry parse_entry(const std::string& path, const std::string& name, const nlohmann::json& spec) {
  const std::string where = "tensor \"" + name + "\": ";
  if (name.empty()) fail(path, "empty tensor name");
  if (!spec.is_object() || spec.size() != 3 || !spec.contains("dtype") || !spec.contains("shape") ||
      !spec.contains("data_offsets"))
    fail(path, where + "expected {\"dtype\", \"shape\", \"data_offsets\"}, found " + spec.dump());
  Entry entry;
  entry.name = name;
  const auto& dtype = spec["dtype"];
  if (!dtype.is_string()) fail(path, where + "dtype must be a string");
  bool known = false;
  for (const auto& d : kDtypes)
    if (dtype.get<std::string>() == d.name) {
      entry.type = d.type;
      known = true;
    }
  if (!known) fail(path, where + "unsupported dtype " + dtype.dump());

  const auto& shape = spec["shape"];
  if (!shape.is_array() || shape.size() > 16) fail(path, where + "shape must be an array of at most 16 sizes");
  std::uint64_t bytes = at::elementSize(entry.type);
  for (const auto& dim : shape) {
    if (!dim.is_number_unsigned()) fail(path, where + "shape entries must be non-negative integers");
    auto size = dim.get<std::uint64_t>();
    if (size > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) ||
        __builtin_mul_overflow(bytes, size, &bytes))
      fail(path, where + "shape " + shape.dump() + " is too large");
    entry.shape.push_back(static_cast<std::int64_t>(size));
  }
  const auto& offsets = spec["data_offsets"];
  if (!offsets.is_array() || offsets.size() != 2) fail(path, where + "data_offsets must be [begin, end]");
  entry.begin = get_offset(path, name, offsets[0]);
  entry.end = get_offset(path, name, offsets[1]);
  if (entry.end < entry.begin) fail(path, where + "data_offsets end before they begin");
  if (entry.end - entry.begin != bytes)
    fail(path, where + "data_offsets span " + std::to_string(entry.end - entry.begin) + " bytes but " +
                   dtype.get<std::string>() + " " + shape.dump() + " needs " + std::to_string(bytes));
  return entry;
}

}  // namespace

std::string safetensors_dtype_name(at::ScalarType type) {
  for (const auto& d : kDtypes)
    if (d.type == type) return d.name;
  throw ModelError(std::string("safetensors has no dtype for ") + c10::toString(type));
}

SafetensorsContents read_safetensors(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(with_errno("cannot open " + path));
  in.seekg(0, std::ios::end);
  const auto file_size = static_cast<std::uint64_t>(in.tellg());
  in.seekg(0);
  if (file_size < 8) fail(path, "shorter than the 8-byte header length (" + std::to_string(file_size) + " bytes)");
  unsigned char length_bytes[8];
  in.read(reinterpret_cast<char*>(length_bytes), 8);
  std::uint64_t header_length = 0;
  for (int i = 7; i >= 0; --i) header_length = (header_length << 8) | length_bytes[i];
  if (header_length > file_size - 8)
    fail(path, "header length " + std::to_string(header_length) + " exceeds the file's remaining " +
                   std::to_string(file_size - 8) + " bytes");
  if (header_length > kMaxHeaderBytes) fail(path, "header length " + std::to_string(header_length) + " is absurd");
  std::string header(header_length, '\0');
  if (!in.read(header.data(), static_cast<std::streamsize>(header_length))) throw IoError(with_errno("cannot read " + path));

  nlohmann::json json;
  try {
    json = nlohmann::json::parse(header);
  } catch (const nlohmann::json::exception& e) {
    fail(path, std::string("header is not JSON: ") + e.what());
  }
  if (!json.is_object()) fail(path, "header is not a JSON object");

  SafetensorsContents contents;
  std::vector<Entry> entries;
  for (auto it = json.begin(); it != json.end(); ++it) {
    if (it.key() == "__metadata__") {
      if (!it->is_object()) fail(path, "__metadata__ must be an object of strings");
      for (auto m = it->begin(); m != it->end(); ++m) {
        if (!m->is_string()) fail(path, "__metadata__ value of \"" + m.key() + "\" is not a string");
        contents.metadata[m.key()] = m->get<std::string>();
      }
      continue;
    }
    entries.push_back(parse_entry(path, it.key(), *it));
  }

  // The offsets must tile [0, data size) exactly.
  const std::uint64_t data_size = file_size - 8 - header_length;
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  std::uint64_t expected_begin = 0;
  for (const auto& e : entries) {
    if (e.begin != expected_begin)
      fail(path, "tensor \"" + e.name + "\" starts at data offset " + std::to_string(e.begin) + ", expected " +
                     std::to_string(expected_begin) + (e.begin < expected_begin ? " (overlap)" : " (gap)"));
    if (e.end > data_size)
      fail(path, "tensor \"" + e.name + "\" ends at data offset " + std::to_string(e.end) +
                     " beyond the data's " + std::to_string(data_size) + " bytes (truncated file?)");
    expected_begin = e.end;
  }
  if (expected_begin != data_size)
    fail(path, std::to_string(data_size - expected_begin) + " bytes after the last tensor's data");

  const std::uint64_t data_start = 8 + header_length;
  for (const auto& e : entries) {
    at::Tensor tensor = at::empty(e.shape, at::TensorOptions().dtype(e.type));  // size checked against the file above
    in.seekg(static_cast<std::streamoff>(data_start + e.begin));
    if (e.end > e.begin && !in.read(static_cast<char*>(tensor.data_ptr()), static_cast<std::streamsize>(e.end - e.begin)))
      throw IoError(with_errno("cannot read tensor \"" + e.name + "\" of " + path));
    if (e.type == at::kBool && tensor.numel() > 0 && tensor.view(at::kByte).gt(1).any().item<bool>())
      fail(path, "tensor \"" + e.name + "\" holds BOOL bytes other than 0 and 1");
    contents.tensors.emplace(e.name, std::move(tensor));
  }
  return contents;
}

void write_safetensors(const std::string& path, const std::map<std::string, at::Tensor>& tensors,
                       const std::map<std::string, std::string>& metadata) {
  nlohmann::json header = nlohmann::json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::vector<at::Tensor> data;
  std::uint64_t offset = 0;
  for (const auto& [name, tensor] : tensors) {
    if (name.empty() || name == "__metadata__") throw ModelError("safetensors: invalid tensor name \"" + name + "\"");
    at::Tensor cpu = tensor.detach().to(at::kCPU).contiguous();
    auto bytes = static_cast<std::uint64_t>(cpu.nbytes());
    header[name] = {{"dtype", safetensors_dtype_name(cpu.scalar_type())},
                    {"shape", cpu.sizes().vec()},
                    {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
    data.push_back(std::move(cpu));
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');  // keeps the data 8-byte aligned, as the reference writer does
  char length_bytes[8];
  std::uint64_t length = text.size();
  for (int i = 0; i < 8; ++i) length_bytes[i] = static_cast<char>((length >> (8 * i)) & 0xff);

  OutputFile out(path);
  out.write(length_bytes, 8);
  out.write(text);
  for (const auto& tensor : data) out.write(static_cast<const char*>(tensor.data_ptr()), tensor.nbytes());
  out.commit();
}

}  // namespace genobird::model
