#include "cli/printers/custom_columns.hpp"

#include "cli/printers/printers.hpp"

namespace kinda::cli {

using nlohmann::json;

Result<std::vector<CustomColumn>> parse_custom_columns(std::string_view spec) {
  std::vector<CustomColumn> columns;
  if (spec.empty())
    return Error::bad_request("custom-columns format specified but no custom columns given");
  size_t start = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    std::string_view part =
        spec.substr(start, comma == std::string_view::npos ? comma : comma - start);
    size_t colon = part.find(':');
    if (colon == std::string_view::npos)
      return Error::bad_request("unexpected custom-columns spec: " + std::string(part) +
                                ", expected <header>:<json-path-expr>");
    auto path = JsonPath::parse_relaxed(part.substr(colon + 1));
    if (!path) return path.error();
    columns.push_back({std::string(part.substr(0, colon)), std::move(*path)});
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return columns;
}

std::vector<std::string> custom_column_cells(const std::vector<CustomColumn>& columns,
                                             const json& object) {
  std::vector<std::string> cells;
  for (const auto& column : columns) {
    auto values = column.path.values(object);
    std::string cell;
    if (values)
      for (const auto& value : *values) cell += (cell.empty() ? "" : ",") + jsonpath_text(value);
    cells.push_back(!values || values->empty() ? "<none>" : cell);
  }
  return cells;
}

std::string render_custom_columns(const std::vector<CustomColumn>& columns,
                                  const std::vector<json>& objects, bool with_headers) {
  std::vector<Row> rows;
  if (with_headers) {
    Row header;
    for (const auto& column : columns) header.push_back(column.header);
    rows.push_back(std::move(header));
  }
  for (const auto& object : objects) rows.push_back(custom_column_cells(columns, object));
  return render_table(rows);
}

}  // namespace kinda::cli
