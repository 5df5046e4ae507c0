// Round trips, and a catalogue of corrupt files: one hand-made file per failure mode, each of which must be
// rejected with a FormatError that says what is wrong (never a crash or a huge allocation).
#include "model/safetensors.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

#include "scratch_dir.h"
#include "util/error.h"

namespace genobird::model {
namespace {

std::string temp_path(const std::string& name) { return (test::scratch_dir() / name).string(); }

std::string le64(std::uint64_t v) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}

// A file with `header` (as given) and `data` bytes.
std::string file_with(const std::string& header, const std::string& data) {
  return le64(header.size()) + header + data;
}

std::string write_bytes(const std::string& name, const std::string& bytes) {
  std::string path = temp_path(name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

TEST(Safetensors, RoundTripIsExactForEveryDtype) {
  at::manual_seed(2);
  std::map<std::string, at::Tensor> tensors = {
      {"a.weight", at::randn({3, 5})},
      {"b", at::randn({7}, at::kDouble)},
      {"c", at::randn({2, 2}).to(at::kHalf)},
      {"d", at::randn({4}).to(at::kBFloat16)},
      {"e", at::randint(-100, 100, {6}, at::kLong)},
      {"f", at::randint(0, 2, {5}, at::kBool)},
      {"g.scalar", at::tensor(3.5f).view({})},
      {"h.empty", at::zeros({0, 4})},
      {"i", at::randint(0, 255, {3}, at::kByte)},
      {"j", at::randn({4, 3}).t()},  // non-contiguous input
  };
  const std::string path = temp_path("round_trip.safetensors");
  write_safetensors(path, tensors, {{"format", "pt"}, {"note", "x"}});
  SafetensorsContents back = read_safetensors(path);
  ASSERT_EQ(back.tensors.size(), tensors.size());
  for (const auto& [name, t] : tensors) {
    ASSERT_TRUE(back.tensors.count(name)) << name;
    EXPECT_EQ(back.tensors[name].scalar_type(), t.scalar_type()) << name;
    EXPECT_TRUE(at::equal(back.tensors[name], t)) << name;
  }
  EXPECT_EQ(back.metadata.at("format"), "pt");
  EXPECT_EQ(back.metadata.at("note"), "x");
}

TEST(Safetensors, HeaderIsPaddedAndDataTilesTheFile) {
  const std::string path = temp_path("layout.safetensors");
  write_safetensors(path, {{"x", at::ones({3})}, {"y", at::ones({1}, at::kByte)}});
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::uint64_t n = 0;
  std::memcpy(&n, bytes.data(), 8);
  EXPECT_EQ(n % 8, 0u);
  EXPECT_EQ(bytes.size(), 8 + n + 12 + 1);
  EXPECT_NE(bytes.find(R"("x":{"data_offsets":[0,12],"dtype":"F32","shape":[3]})"), std::string::npos);
}

struct Corrupt {
  const char* name;
  std::string bytes;
  const char* message;  // a part of the expected error message
};

const std::string kGood = R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
const std::string kEightBytes(8, '\1');

std::vector<Corrupt> catalogue() {
  return {
      {"empty", "", "shorter than the 8-byte header length"},
      {"short_length", std::string(5, '\0'), "shorter than the 8-byte header length"},
      {"length_past_end", le64(1000) + kGood + kEightBytes, "exceeds the file's remaining"},
      {"length_huge", le64(~0ull) + kGood, "exceeds the file's remaining"},
      {"header_not_json", file_with("{\"t\": [", ""), "header is not JSON"},
      {"header_binary", file_with(std::string("\xff\xfe\x00\x01", 4), ""), "header is not JSON"},
      {"header_array", file_with("[1,2]", ""), "not a JSON object"},
      {"unknown_dtype", file_with(R"({"t":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}})", kEightBytes),
       "unsupported dtype"},
      {"dtype_not_string", file_with(R"({"t":{"dtype":4,"shape":[2],"data_offsets":[0,8]}})", kEightBytes),
       "dtype must be a string"},
      {"negative_shape", file_with(R"({"t":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", kEightBytes),
       "non-negative integers"},
      {"shape_overflow",
       file_with(R"({"t":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,8]}})", kEightBytes),
       "too large"},
      {"size_mismatch", file_with(R"({"t":{"dtype":"F64","shape":[2],"data_offsets":[0,8]}})", kEightBytes),
       "needs 16"},
      {"offsets_reversed", file_with(R"({"t":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}})", kEightBytes),
       "end before they begin"},
      {"offsets_out_of_range", file_with(R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})", kEightBytes),
       "starts at data offset 8, expected 0"},
      {"truncated_data", file_with(kGood, std::string(5, '\0')), "beyond the data's 5 bytes"},
      {"trailing_bytes", file_with(kGood, kEightBytes + "xx"), "2 bytes after the last tensor"},
      {"overlap",
       file_with(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                 kEightBytes),
       "overlap"},
      {"gap",
       file_with(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})",
                 kEightBytes + "1234"),
       "gap"},
      {"missing_offsets", file_with(R"({"t":{"dtype":"F32","shape":[2]}})", kEightBytes), "expected {"},
      {"extra_key", file_with(R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"x":1}})", kEightBytes),
       "expected {"},
      {"offsets_not_numbers", file_with(R"({"t":{"dtype":"F32","shape":[2],"data_offsets":["0","8"]}})", kEightBytes),
       "data_offsets must be non-negative integers"},
      {"metadata_not_strings", file_with(R"({"__metadata__":{"format":1}})", ""), "is not a string"},
      {"bool_not_0_or_1", file_with(R"({"t":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}})", "\x01\x02"),
       "BOOL bytes"},
      {"empty_name", file_with(R"({"":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", kEightBytes),
       "empty tensor name"},
  };
}

TEST(SafetensorsCorrupt, EveryFailureModeIsAFormatError) {
  for (const auto& c : catalogue()) {
    const std::string path = write_bytes(std::string("corrupt_") + c.name + ".safetensors", c.bytes);
    try {
      read_safetensors(path);
      ADD_FAILURE() << c.name << ": accepted";
    } catch (const FormatError& e) {
      std::string message = e.what();
      EXPECT_NE(message.find(c.message), std::string::npos) << c.name << ": " << message;
      EXPECT_NE(message.find(path), std::string::npos) << c.name << ": message must name the file";
    }
  }
}

TEST(SafetensorsCorrupt, NegativeControlTheGoodFileReads) {
  SafetensorsContents good = read_safetensors(write_bytes("good.safetensors", file_with(kGood, kEightBytes)));
  ASSERT_EQ(good.tensors.size(), 1u);
  EXPECT_EQ(good.tensors.at("t").sizes(), (std::vector<std::int64_t>{2}));
}

TEST(SafetensorsCorrupt, EveryTruncationOfAValidFileIsRejected) {
  const std::string path = temp_path("whole.safetensors");
  write_safetensors(path, {{"w", at::randn({3, 4})}, {"b", at::randn({4})}});
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (std::size_t cut = 0; cut < bytes.size(); ++cut)
    EXPECT_THROW(read_safetensors(write_bytes("cut.safetensors", bytes.substr(0, cut))), FormatError) << cut;
}

TEST(Safetensors, MissingFileIsAnIoError) {
  EXPECT_THROW(read_safetensors(temp_path("does_not_exist.safetensors")), IoError);
}

}  // namespace
}  // namespace genobird::model
