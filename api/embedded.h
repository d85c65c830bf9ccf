// Files compiled into the navolg binary, so `navolg serve` works from any folder: the
// built-in workflow definitions and the OpenAPI document.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace navolg::embedded {

// api/openapi.json.
std::string_view OpenApiJson();

// workflows/*.json except the schema: (file name, JSON text).
const std::vector<std::pair<std::string_view, std::string_view>>& Workflows();

}  // namespace navolg::embedded
