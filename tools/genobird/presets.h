// Model presets (models/NAME.json) shared by the commands that create models (model init, finetune).
#pragma once

#include <string>

namespace genobird::cli {

// A preset name ("small") or a path to a config JSON; returns the path of the config file. Presets are
// looked up in a models/ folder beside the binary's installation or build tree, then in the source tree
// this binary was built from. Throws UsageError naming the known presets for an unknown name.
std::string resolve_preset(const std::string& name);

}  // namespace genobird::cli
