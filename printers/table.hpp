// kubectl's tables for the kinds kinda serves, as the API server's printers compute them for
// `Accept: application/json;as=Table` (kubernetes pkg/printers/internalversion): each kind's
// columns, wide ones at priority 1, and each object's cells, integers where the server sends
// integers. Pure functions shared by the daemon (server-side Tables) and the CLI (its tables).
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/resources.hpp"
#include "api/timestamps.hpp"

namespace kinda::printers {

using api::Clock;

// A meta.k8s.io/v1 TableColumnDefinition.
struct Column {
  std::string name;    // "Name", "Nominated Node": kubectl prints it upper-cased
  std::string type;    // "string", "integer" or "date"
  std::string format;  // "name" for the column that names the object
  std::string description;
  int priority = 0;  // 0: always shown; 1: only with -o wide
};

// A cell that reads "<prefix><age of since><suffix>" at the moment the table is printed, or
// "<unknown>" without a time. Ages are the only cells that change while an object does not, so a
// row printed once can be printed again later from the same PrintedRow.
struct Age {
  std::optional<Clock::time_point> since;
  std::string prefix;
  std::string suffix;
};
// Anything else is a JSON string or integer, as the API server sends it.
using Cell = std::variant<nlohmann::json, Age>;

// The AGE cell: since metadata.creationTimestamp.
Age created_age(const nlohmann::json& object);

struct PrintedRow {
  std::vector<Cell> cells;  // one per column of columns_of(), wide ones included
  // TableRowConditions (a finished pod's "Completed"), or null.
  nlohmann::json conditions;
};

// The resource's columns; "Name" and "Created At" for kinds without a printer of their own.
const std::vector<Column>& columns_of(const api::ResourceInfo& resource);
PrintedRow print_row(const api::ResourceInfo& resource, const nlohmann::json& object);

nlohmann::json cell_value(const Cell& cell, Clock::time_point now);
std::vector<nlohmann::json> cell_values(const PrintedRow& row, Clock::time_point now);
// A cell as kubectl writes it: strings as they are, numbers in decimal, null as nothing.
std::string cell_text(const nlohmann::json& value);

}  // namespace kinda::printers
