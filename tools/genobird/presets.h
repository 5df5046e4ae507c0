// Model presets (models/NAME.json) shared by the commands that create models (model init, finetune), and
// the models/ folders they and the bundled model are looked up in.
#pragma once

#include <filesystem>
#include <vector>

#include <string>

namespace genobird::cli {

// Where models/ folders may be, in search order: beside the binary's installation or build tree (and
// share/genobird/models), then the source tree this binary was built from.
std::vector<std::filesystem::path> models_folders();

// A preset name ("small") or a path to a config JSON; returns the path of the config file. Presets are
// looked up in a models/ folder beside the binary's installation or build tree, then in the source tree
// this binary was built from. Throws UsageError naming the known presets for an unknown name.
std::string resolve_preset(const std::string& name);

}  // namespace genobird::cli
