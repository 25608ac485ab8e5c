// Internal: loading relabel configs from a YAML node that is part of a larger document (a
// relabel test file's `rules:`), so that errors keep that document's lines and columns.
#pragma once

#include <string_view>

#include "promtool/relabel.h"
#include "yaml-cpp/yaml.h"

namespace promtool::relabel_internal {

// As LoadRelabelConfigs, for a node already parsed (a list of relabel configs, or null): a
// relabel test file's `rules:`, a scrape config's relabel_configs. `where` ends the message for
// a node that is not a list.
RelabelLoadResult LoadRelabelConfigNode(const YAML::Node& root, LabelNameValidation validation,
                                        std::string_view where = " at the top level");

}  // namespace promtool::relabel_internal
