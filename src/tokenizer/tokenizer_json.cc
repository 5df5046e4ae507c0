#include "tokenizer/tokenizer_json.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

#include "tokenizer/alphabet.h"
#include "util/error.h"
#include "util/limits.h"
#include "util/output_file.h"

namespace genobird::tokenizer {

// Written in HuggingFace's field order; read into std::map objects, since the ordered map looks keys up
// linearly and so made reading a 32000-token vocabulary quadratic (over a second).
using Json = nlohmann::ordered_json;
using ParsedJson = nlohmann::json;

namespace {

Json dna_normalizer() {
  Json steps = Json::array();
  for (const char* base : {"a", "c", "g", "t"}) {
    std::string upper(1, static_cast<char>(base[0] - 'a' + 'A'));
    steps.push_back({{"type", "Replace"}, {"pattern", {{"String", base}}}, {"content", upper}});
  }
  steps.push_back({{"type", "Replace"}, {"pattern", {{"Regex", "[^ACGT]"}}}, {"content", "N"}});
  return {{"type", "Sequence"}, {"normalizers", steps}};
}

Json n_run_pre_tokenizer() {
  return {{"type", "Split"}, {"pattern", {{"Regex", "N+"}}}, {"behavior", "Isolated"}, {"invert", false}};
}

Json added_tokens() {
  Json tokens = Json::array();
  for (std::size_t id = 0; id < kSpecialTokens.size(); ++id) {
    tokens.push_back({{"id", id},
                      {"content", std::string(kSpecialTokens[id])},
                      {"single_word", false},
                      {"lstrip", false},
                      {"rstrip", false},
                      {"normalized", false},
                      {"special", true}});
  }
  return tokens;
}

// Reads fields of a parsed document, naming the file and the JSON path in every error.
class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& what) const { throw InputError(source_, 0, what); }
  const std::string& source() const { return source_; }

  const ParsedJson& field(const ParsedJson& object, const std::string& name, const std::string& path) const {
    auto it = object.find(name);
    if (it == object.end()) fail("missing field \"" + path + "\"");
    return *it;
  }

  const ParsedJson& typed_field(const ParsedJson& object, const std::string& name, const std::string& path,
                                ParsedJson::value_t type, const char* type_name) const {
    const ParsedJson& value = field(object, name, path);
    bool ok = value.type() == type ||
              (type == ParsedJson::value_t::number_integer && value.type() == ParsedJson::value_t::number_unsigned);
    if (!ok) fail("field \"" + path + "\" is " + value.type_name() + "; expected " + type_name);
    return value;
  }

  void expect_equal(const ParsedJson& object, const std::string& name, const std::string& path,
                    const Json& expected) const {
    const ParsedJson& value = field(object, name, path);
    if (value != ParsedJson(expected)) {
      fail("field \"" + path + "\" is " + value.dump() + "; expected " + expected.dump() +
           " (genobird's DNA normalisation, see docs/formats.md)");
    }
  }

  void expect_null_or(const ParsedJson& object, const std::string& name, const std::string& path,
                      const ParsedJson& allowed) const {
    auto it = object.find(name);
    if (it == object.end() || it->is_null() || *it == allowed) return;
    fail("field \"" + path + "\" is " + it->dump() + "; this tokenizer supports only " +
         (allowed.is_null() ? std::string("null") : allowed.dump()));
  }

 private:
  std::string source_;
};

std::vector<std::string> read_vocab(const Reader& reader, const ParsedJson& model) {
  const ParsedJson& vocab =
      reader.typed_field(model, "vocab", "model.vocab", ParsedJson::value_t::object, "an object {token: id}");
  if (vocab.size() > static_cast<std::size_t>(limits::kMaxVocabSize))
    throw FormatError(limits::out_of_range_message(std::to_string(vocab.size()), "model.vocab (number of tokens)", reader.source(),
                                             "max " + std::to_string(limits::kMaxVocabSize)));
  std::vector<std::string> by_id(vocab.size());
  std::vector<bool> seen(vocab.size(), false);
  for (const auto& [token, id_value] : vocab.items()) {
    if (!id_value.is_number_integer()) {
      reader.fail("model.vocab[\"" + token + "\"] is " + id_value.dump() + "; expected an integer id");
    }
    auto id = id_value.get<std::int64_t>();
    if (id < 0 || id >= static_cast<std::int64_t>(vocab.size())) {
      reader.fail("model.vocab[\"" + token + "\"] has id " + std::to_string(id) + "; ids must be 0.." +
                  std::to_string(vocab.size() - 1) + " (one per token, no gaps)");
    }
    auto index = static_cast<std::size_t>(id);
    if (seen[index]) {
      reader.fail("id " + std::to_string(id) + " is given to both '" + by_id[index] + "' and '" + token +
                  "' in model.vocab");
    }
    seen[index] = true;
    by_id[index] = token;
  }
  return by_id;
}

std::vector<std::pair<std::int32_t, std::int32_t>> read_merges(const Reader& reader, const ParsedJson& model,
                                                               const std::vector<std::string>& vocab) {
  std::unordered_map<std::string, std::int32_t> ids;
  for (std::size_t id = 0; id < vocab.size(); ++id) ids.emplace(vocab[id], static_cast<std::int32_t>(id));
  const ParsedJson& merges =
      reader.typed_field(model, "merges", "model.merges", ParsedJson::value_t::array, "an array");
  std::vector<std::pair<std::int32_t, std::int32_t>> result;
  result.reserve(merges.size());
  for (std::size_t rank = 0; rank < merges.size(); ++rank) {
    const ParsedJson& merge = merges[rank];
    std::string where = "model.merges[" + std::to_string(rank) + "]";
    std::string left;
    std::string right;
    if (merge.is_string()) {
      const std::string text = merge.get<std::string>();
      auto space = text.find(' ');
      if (space == std::string::npos || text.find(' ', space + 1) != std::string::npos) {
        reader.fail(where + " is \"" + text + "\"; expected two tokens separated by one space");
      }
      left = text.substr(0, space);
      right = text.substr(space + 1);
    } else if (merge.is_array() && merge.size() == 2 && merge[0].is_string() && merge[1].is_string()) {
      left = merge[0].get<std::string>();
      right = merge[1].get<std::string>();
    } else {
      reader.fail(where + " is " + merge.dump() + "; expected \"LEFT RIGHT\" or [\"LEFT\", \"RIGHT\"]");
    }
    for (const std::string* part : {&left, &right}) {
      if (ids.find(*part) == ids.end()) reader.fail(where + " uses '" + *part + "', which is not in model.vocab");
    }
    result.emplace_back(ids[left], ids[right]);
  }
  return result;
}

void check_added_tokens(const Reader& reader, const ParsedJson& root) {
  const ParsedJson& tokens =
      reader.typed_field(root, "added_tokens", "added_tokens", ParsedJson::value_t::array, "an array");
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string where = "added_tokens[" + std::to_string(i) + "]";
    if (!tokens[i].is_object()) reader.fail("field \"" + where + "\" is " + tokens[i].type_name() + "; expected an object");
    reader.typed_field(tokens[i], "content", where + ".content", ParsedJson::value_t::string, "a string");
    reader.typed_field(tokens[i], "id", where + ".id", ParsedJson::value_t::number_integer, "an integer");
  }
  for (std::size_t id = 0; id < kSpecialTokens.size(); ++id) {
    bool found = false;
    for (const ParsedJson& token : tokens) {
      if (token.value("content", "") == kSpecialTokens[id]) {
        if (token.value("id", -1) != static_cast<int>(id)) {
          reader.fail("added token " + std::string(kSpecialTokens[id]) + " has id " +
                      token.value("id", ParsedJson()).dump() +
                      "; expected " + std::to_string(id));
        }
        found = true;
      }
    }
    if (!found) {
      reader.fail("added_tokens lacks the special token " + std::string(kSpecialTokens[id]) + " (id " +
                  std::to_string(id) + ")");
    }
  }
}

}  // namespace

std::string tokenizer_json_text(const BpeModel& model) {
  Json vocab = Json::object();
  for (std::size_t id = 0; id < model.vocab.size(); ++id) vocab[model.vocab[id]] = id;
  Json merges = Json::array();
  for (auto [left, right] : model.merges) {
    merges.push_back(model.vocab[static_cast<std::size_t>(left)] + " " + model.vocab[static_cast<std::size_t>(right)]);
  }
  Json root = {{"version", "1.0"},
               {"truncation", nullptr},
               {"padding", nullptr},
               {"added_tokens", added_tokens()},
               {"normalizer", dna_normalizer()},
               {"pre_tokenizer", n_run_pre_tokenizer()},
               {"post_processor", nullptr},
               {"decoder", {{"type", "Fuse"}}},
               {"model",
                {{"type", "BPE"},
                 {"dropout", nullptr},
                 {"unk_token", "[UNK]"},
                 {"continuing_subword_prefix", nullptr},
                 {"end_of_word_suffix", nullptr},
                 {"fuse_unk", false},
                 {"byte_fallback", false},
                 {"ignore_merges", false},
                 {"vocab", vocab},
                 {"merges", merges}}}};
  return root.dump(2) + "\n";
}

BpeModel parse_tokenizer_json(const std::string& text, const std::string& source) {
  Reader reader(source);
  ParsedJson root;
  try {
    root = ParsedJson::parse(text);
  } catch (const ParsedJson::parse_error& e) {
    reader.fail("not valid JSON: " + json_error_text(e.what()));
  }
  if (!root.is_object()) reader.fail("expected a JSON object at the top level, found " + std::string(root.type_name()));
  const ParsedJson& model = reader.typed_field(root, "model", "model", ParsedJson::value_t::object, "an object");
  const ParsedJson& type = reader.typed_field(model, "type", "model.type", ParsedJson::value_t::string, "a string");
  if (type != "BPE") reader.fail("model.type is \"" + type.get<std::string>() + "\"; expected \"BPE\"");
  reader.expect_null_or(model, "dropout", "model.dropout", Json());
  reader.expect_null_or(model, "continuing_subword_prefix", "model.continuing_subword_prefix", Json());
  reader.expect_null_or(model, "end_of_word_suffix", "model.end_of_word_suffix", Json());
  reader.expect_null_or(model, "ignore_merges", "model.ignore_merges", false);
  reader.expect_null_or(model, "byte_fallback", "model.byte_fallback", false);
  reader.expect_equal(root, "normalizer", "normalizer", dna_normalizer());
  reader.expect_equal(root, "pre_tokenizer", "pre_tokenizer", n_run_pre_tokenizer());
  check_added_tokens(reader, root);

  BpeModel result;
  result.vocab = read_vocab(reader, model);
  result.merges = read_merges(reader, model, result.vocab);
  try {
    check_bpe_model(result, "model");
  } catch (const ModelError& e) {
    // Re-anchor the message on the file, which is what the user can fix.
    std::string what = e.what();
    reader.fail(what.substr(what.find(": ") + 2));
  }
  return result;
}

BpeModel read_tokenizer_json(const std::string& path) {
  // Bounded before reading: a path naming /dev/zero or a FIFO must not be read until memory runs out.
  limits::checked_file_size(path, limits::kMaxJsonBytes, "tokenizer.json");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(with_errno("cannot open " + path));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw IoError(with_errno("cannot read " + path));
  return parse_tokenizer_json(text.str(), path);
}

void write_tokenizer_json(const BpeModel& model, const std::string& path) {
  OutputFile out(path);
  out << tokenizer_json_text(model);
  out.commit();
}

}  // namespace genobird::tokenizer
