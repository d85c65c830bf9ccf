// Files compiled into the navolg binary, so `navolg serve` works from any folder: the
// built-in workflow definitions, the OpenAPI document and the web interface.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace navolg::embedded {

// api/http/openapi.json.
std::string_view OpenApiJson();

// workflows/*.json except the schema: (file name, JSON text).
const std::vector<std::pair<std::string_view, std::string_view>>& Workflows();

// The files of web/ and web/vendor/ (the web interface, api/http/handlers/web_handlers.cc): (file
// name without folder, text). Names are unique.
const std::vector<std::pair<std::string_view, std::string_view>>& WebFiles();

}  // namespace navolg::embedded
