// Internal: loading relabel configs from a YAML node that is part of a larger document (a
// relabel test file's `rules:`), so that errors keep that document's lines and columns.
#pragma once

#include "promtool/relabel.h"
#include "yaml-cpp/yaml.h"

namespace promtool::relabel_internal {

// As LoadRelabelConfigs, for a node already parsed (a list of relabel configs, or null).
RelabelLoadResult LoadRelabelConfigNode(const YAML::Node& root, LabelNameValidation validation);

}  // namespace promtool::relabel_internal
