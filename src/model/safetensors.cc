#include "model/safetensors.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <limits>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/safetensors_header.h"
#include "util/error.h"
#include "util/limits.h"
#include "util/output_file.h"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "safetensors data is little-endian; so must the host be");

namespace genobird::model {
namespace {

// A header beyond this is not a weights file but an attack or an accident (real ones are kilobytes).
constexpr std::uint64_t kMaxHeaderBytes = limits::kMaxSafetensorsHeaderBytes;

struct DtypeName {
  const char* name;
  at::ScalarType type;
};
constexpr DtypeName kDtypes[] = {{"F64", at::kDouble}, {"F32", at::kFloat}, {"F16", at::kHalf},
                                 {"BF16", at::kBFloat16}, {"I64", at::kLong}, {"I32", at::kInt},
                                 {"I16", at::kShort},     {"I8", at::kChar},  {"U8", at::kByte},
                                 {"BOOL", at::kBool}};

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw FormatError(path + ": not a valid safetensors file: " + what);
}

at::ScalarType scalar_type(const std::string& dtype) {
  for (const auto& d : kDtypes)
    if (dtype == d.name) return d.type;
  throw FormatError("unsupported safetensors dtype " + dtype);
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

  const std::uint64_t data_size = file_size - 8 - header_length;
  SafetensorsHeader parsed = parse_safetensors_header(header, data_size, path);
  SafetensorsContents contents;
  contents.metadata = std::move(parsed.metadata);

  const std::uint64_t data_start = 8 + header_length;
  for (const auto& e : parsed.entries) {
    at::Tensor tensor = at::empty(e.shape, at::TensorOptions().dtype(scalar_type(e.dtype)));  // size checked against the file above
    in.seekg(static_cast<std::streamoff>(data_start + e.begin));
    if (e.end > e.begin && !in.read(static_cast<char*>(tensor.data_ptr()), static_cast<std::streamsize>(e.end - e.begin)))
      throw IoError(with_errno("cannot read tensor \"" + e.name + "\" of " + path));
    if (tensor.scalar_type() == at::kBool && tensor.numel() > 0 && tensor.view(at::kByte).gt(1).any().item<bool>())
      fail(path, "tensor \"" + e.name + "\" holds BOOL bytes other than 0 and 1");
    // NaN or infinite weights make every score NaN (or silently wrong); such a file is damaged or comes
    // from a diverged run, and no command can use it.
    if (c10::isFloatingType(tensor.scalar_type()) && tensor.numel() > 0) {
      const std::int64_t bad = tensor.isfinite().logical_not().sum().item<std::int64_t>();
      if (bad > 0)
        fail(path, "tensor \"" + e.name + "\" holds " + std::to_string(bad) + " NaN or infinite value" +
                       (bad == 1 ? "" : "s") + " (a damaged file or a diverged training run)");
    }
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
