// Internal: reading a YAML list of relabel configs that is part of a larger document (the
// relabel_configs and metric_relabel_configs of a Prometheus scrape config).
#pragma once

#include <vector>

#include "promtool/relabel.h"
#include "yaml-cpp/yaml.h"

namespace promtool::relabel_internal {

// Parses and validates `list` (a YAML sequence of relabel configs, or null for none) as
// LoadRelabelConfigs does. On an error sets *error (line and column in the whole document) and
// returns no configs.
std::vector<RelabelConfig> ParseRelabelConfigList(const YAML::Node& list,
                                                  LabelNameValidation validation,
                                                  RelabelLoadError* error);

}  // namespace promtool::relabel_internal
