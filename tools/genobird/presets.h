// Model presets (models/NAME.json) shared by the commands that create models (model init, finetune), and
// the models/ folders they and the bundled model are looked up in.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "model/config.h"

namespace genobird::cli {

// Where models/ folders may be, in search order: beside the binary's installation or build tree (and
// share/genobird/models), then the source tree this binary was built from.
std::vector<std::filesystem::path> models_folders();

// A preset name ("small") or a path to a config JSON; returns the path of the config file. Presets are
// looked up in a models/ folder beside the binary's installation or build tree, then in the source tree
// this binary was built from. Throws UsageError naming the known presets for an unknown name.
std::string resolve_preset(const std::string& name);

// Sets the config's pad/bos/eos/sep token ids to the tokenizer's fixed special ids ([PAD], [CLS], [SEP]), as
// every model genobird creates uses them.
void use_tokenizer_special_ids(model::BigBirdConfig& config);

}  // namespace genobird::cli
