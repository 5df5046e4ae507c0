// tokenizer.json: round trip, the HuggingFace layout, and a catalogue of corrupt files, one per failure
// mode, each with the words its error message must contain.
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "scratch_dir.h"
#include "tokenizer/bpe_trainer.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/tokenizer_json.h"
#include "util/error.h"

namespace genobird::tokenizer {
namespace {

using Json = nlohmann::ordered_json;

BpeModel small_model() {
  BpeTrainerOptions options;
  options.vocab_size = 20;
  options.show_progress = false;
  return train_bpe({"ACGTTGCAACGTTGCAAAAATTTTNNNNNNACGTACGT"}, options);
}

TEST(TokenizerJson, SaveAndLoadGiveTheSameTokenizer) {
  Tokenizer tokenizer(small_model());
  const std::string path = (test::scratch_dir() / "tokenizer_roundtrip.json").string();
  tokenizer.save(path);
  Tokenizer loaded = Tokenizer::load(path);
  EXPECT_EQ(loaded.model().vocab, tokenizer.model().vocab);
  EXPECT_EQ(loaded.model().merges, tokenizer.model().merges);
  std::string seq = "ACGTTGCAnnnACGTRYAAAATTTT";
  EXPECT_EQ(loaded.encode(seq).ids, tokenizer.encode(seq).ids);
}

TEST(TokenizerJson, WritesTheHuggingFaceLayout) {
  Json json = Json::parse(tokenizer_json_text(small_model()));
  EXPECT_EQ(json["version"], "1.0");
  EXPECT_EQ(json["model"]["type"], "BPE");
  EXPECT_EQ(json["model"]["unk_token"], "[UNK]");
  EXPECT_EQ(json["model"]["vocab"]["[MASK]"], 4);
  EXPECT_EQ(json["model"]["vocab"]["N"], 9);
  EXPECT_TRUE(json["model"]["merges"][0].is_string());
  EXPECT_EQ(json["added_tokens"].size(), 5u);
  EXPECT_EQ(json["added_tokens"][2]["content"], "[CLS]");
  EXPECT_EQ(json["added_tokens"][2]["special"], true);
  EXPECT_EQ(json["pre_tokenizer"]["type"], "Split");
  EXPECT_EQ(json["pre_tokenizer"]["pattern"]["Regex"], "N+");
  EXPECT_EQ(json["normalizer"]["normalizers"][4]["pattern"]["Regex"], "[^ACGT]");
  EXPECT_EQ(json["decoder"]["type"], "Fuse");
}

TEST(TokenizerJson, AcceptsMergesWrittenAsPairs) {
  BpeModel model = small_model();
  Json json = Json::parse(tokenizer_json_text(model));
  for (auto& merge : json["model"]["merges"]) {
    std::string text = merge.get<std::string>();
    auto space = text.find(' ');
    merge = Json::array({text.substr(0, space), text.substr(space + 1)});
  }
  BpeModel parsed = parse_tokenizer_json(json.dump(), "pairs.json");
  EXPECT_EQ(parsed.merges, model.merges);
}

struct Corruption {
  const char* name;
  std::function<void(Json&)> apply;
  const char* message;  // must appear in the error
};

TEST(TokenizerJson, CorruptFilesAreRejectedWithClearErrors) {
  const std::string good = tokenizer_json_text(small_model());
  std::vector<Corruption> catalogue = {
      {"not json", nullptr, "not valid JSON"},
      {"top level array", [](Json& j) { j = Json::array(); }, "expected a JSON object"},
      {"no model", [](Json& j) { j.erase("model"); }, "missing field \"model\""},
      {"wordpiece model", [](Json& j) { j["model"]["type"] = "WordPiece"; }, "expected \"BPE\""},
      {"no vocab", [](Json& j) { j["model"].erase("vocab"); }, "missing field \"model.vocab\""},
      {"vocab is array", [](Json& j) { j["model"]["vocab"] = Json::array(); }, "expected an object {token: id}"},
      {"string id", [](Json& j) { j["model"]["vocab"]["A"] = "5"; }, "expected an integer id"},
      {"duplicate id", [](Json& j) { j["model"]["vocab"]["C"] = 5; }, "id 5 is given to both"},
      {"id gap", [](Json& j) { j["model"]["vocab"]["G"] = 99; }, "ids must be 0.."},
      {"missing special in vocab",
       [](Json& j) {
         j["model"]["vocab"].erase("[MASK]");
         j["model"]["vocab"]["ACGTACGTACGT"] = 4;
       },
       "expected '[MASK]'"},
      {"missing added token",
       [](Json& j) { j["added_tokens"].erase(j["added_tokens"].begin() + 3); },
       "lacks the special token [SEP]"},
      {"added token with wrong id", [](Json& j) { j["added_tokens"][1]["id"] = 7; }, "[UNK] has id 7; expected 1"},
      {"base moved", [](Json& j) {
         j["model"]["vocab"]["A"] = 6;
         j["model"]["vocab"]["C"] = 5;
       },
       "token id 5 is 'C'; expected 'A'"},
      {"non-DNA token", [](Json& j) { j["model"]["vocab"]["AXG"] = j["model"]["vocab"].size(); }, "is not DNA"},
      {"token mixing N and bases", [](Json& j) { j["model"]["vocab"]["AN"] = j["model"]["vocab"].size(); }, "is not DNA"},
      {"merge with unknown symbol", [](Json& j) { j["model"]["merges"].push_back("A QQ"); },
       "uses 'QQ', which is not in model.vocab"},
      {"merge without space", [](Json& j) { j["model"]["merges"][0] = "AC"; }, "expected two tokens separated by one space"},
      {"merge producing unknown token", [](Json& j) { j["model"]["merges"].push_back("C C"); },
       "which is not in the vocabulary"},
      {"repeated merge", [](Json& j) { j["model"]["merges"].push_back(j["model"]["merges"][0]); }, "repeats an earlier merge"},
      {"merge is a number", [](Json& j) { j["model"]["merges"][0] = 3; }, "expected \"LEFT RIGHT\""},
      {"other normaliser", [](Json& j) { j["normalizer"] = {{"type", "Lowercase"}}; }, "field \"normalizer\""},
      {"no pre-tokeniser", [](Json& j) { j["pre_tokenizer"] = nullptr; }, "field \"pre_tokenizer\""},
      {"dropout", [](Json& j) { j["model"]["dropout"] = 0.1; }, "model.dropout"},
      {"subword prefix", [](Json& j) { j["model"]["continuing_subword_prefix"] = "##"; }, "continuing_subword_prefix"},
  };
  for (const auto& corruption : catalogue) {
    SCOPED_TRACE(corruption.name);
    std::string text = "{\"model\": ";
    if (corruption.apply) {
      Json json = Json::parse(good);
      corruption.apply(json);
      text = json.dump();
    }
    try {
      parse_tokenizer_json(text, "bad.json");
      ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
      std::string what = e.what();
      EXPECT_NE(what.find("bad.json: "), std::string::npos) << what;
      EXPECT_NE(what.find(corruption.message), std::string::npos) << what;
    }
  }
}

TEST(TokenizerJson, MissingFileIsAnIoError) {
  EXPECT_THROW(Tokenizer::load("/nonexistent/tokenizer.json"), IoError);
}

}  // namespace
}  // namespace genobird::tokenizer
