// `-o custom-columns=NAME:.metadata.name,IP:.status.podIP`: a header and a JSONPath expression
// per column, one row per object, laid out as kubectl's tabwriter lays out tables. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/error.hpp"
#include "cli/printers/jsonpath.hpp"

namespace kinda::cli {

struct CustomColumn {
  std::string header;
  JsonPath path;
};

// "HEADER:expression,…"; the error kubectl gives for a column without its expression.
Result<std::vector<CustomColumn>> parse_custom_columns(std::string_view spec);

// A row's cells: each expression's values joined by ",", "<none>" when it finds nothing.
std::vector<std::string> custom_column_cells(const std::vector<CustomColumn>& columns,
                                             const nlohmann::json& object);

// The whole table; with_headers false is --no-headers.
std::string render_custom_columns(const std::vector<CustomColumn>& columns,
                                  const std::vector<nlohmann::json>& objects, bool with_headers);

}  // namespace kinda::cli
