// The `get` tables: the API server's columns and cells for each kind (printers/table.hpp), laid
// out as kubectl lays them out, plus what kinda adds.
#include <algorithm>
#include <cctype>

#include "api/object.hpp"
#include "cli/printers/fields.hpp"
#include "cli/printers/printers.hpp"
#include "printers/table.hpp"

namespace kinda::cli {
namespace {

using nlohmann::json;

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

bool shown(const printers::Column& column, const TableOptions& options) {
  return options.wide || column.priority == 0;
}

// The cell of the column named `name`, or null.
const json& cell_named(const api::ResourceInfo& resource, const std::vector<json>& cells,
                       const std::string& name) {
  static const json kNull;
  const auto& columns = printers::columns_of(resource);
  for (size_t i = 0; i < columns.size() && i < cells.size(); ++i)
    if (columns[i].name == name) return cells[i];
  return kNull;
}

// kinda's LAST SEEN tells repeated events apart, as `kubectl describe` does: "3s (x4 over 10s)".
std::string event_last_seen(const api::ResourceInfo& resource, const std::vector<json>& cells) {
  std::string last = printers::cell_text(cell_named(resource, cells, "Last Seen"));
  const json& count = cell_named(resource, cells, "Count");
  if (!count.is_number_integer() || count.get<long long>() <= 1) return last;
  return last + " (x" + std::to_string(count.get<long long>()) + " over " +
         printers::cell_text(cell_named(resource, cells, "First Seen")) + ")";
}

// kinda's own columns come after kubectl's, so scripts that read kubectl's keep working.
void add_claim_usage(const json& claim, const TableOptions& options, Row& row) {
  std::string users;
  std::optional<std::uint64_t> disk;
  if (options.claims) {
    for (const auto& pod : claim_users(claim, options.claims->pods))
      users += (users.empty() ? "" : ",") + pod;
    auto it = options.claims->disk_bytes.find(api::namespace_of(claim) + "/" + api::name_of(claim));
    if (it != options.claims->disk_bytes.end()) disk = it->second;
  }
  row.push_back(users.empty() ? "<orphaned>" : users);
  row.push_back(disk ? format_bytes(*disk) : "-");
}

// -L and --show-labels come last, after kinda's own columns, as kubectl puts them after its.
void add_label_headers(const TableOptions& options, Row& header) {
  // "app.kubernetes.io/name" is headed NAME: the part after the last '/'.
  for (const auto& key : options.label_columns)
    header.push_back(upper(key.substr(key.rfind('/') + 1)));
  if (options.show_labels) header.push_back("LABELS");
}

void add_label_cells(const json& object, const TableOptions& options, Row& row) {
  const json& labels = field(object, "metadata.labels");
  auto value_of = [&labels](const std::string& key) {
    auto it = labels.is_object() ? labels.find(key) : labels.end();
    return it != labels.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  for (const auto& key : options.label_columns) row.push_back(value_of(key));
  if (!options.show_labels) return;
  std::string all;  // nlohmann's objects iterate in key order, as labels.FormatLabels sorts
  if (labels.is_object())
    for (const auto& [key, value] : labels.items())
      all += (all.empty() ? "" : ",") + key + "=" + cell_text(value);
  row.push_back(all.empty() ? "<none>" : all);
}

std::string event_last_time(const json& event) {
  for (const char* key : {"lastTimestamp", "eventTime", "firstTimestamp"})
    if (const json& time = field(event, key); time.is_string()) return time.get<std::string>();
  return "";
}

}  // namespace

bool event_before(const json& a, const json& b) {
  // RFC 3339 times in UTC compare as text.
  return std::pair(event_last_time(a), api::name_of(a)) <
         std::pair(event_last_time(b), api::name_of(b));
}

void sort_events(std::vector<json>& events) {
  std::stable_sort(events.begin(), events.end(), event_before);
}

std::vector<std::string> claim_users(const json& claim, const std::vector<json>& pods) {
  std::vector<std::string> users;
  for (const auto& pod : pods)
    if (api::namespace_of(pod) == api::namespace_of(claim) &&
        api::pod_uses_claim(pod, api::name_of(claim)))
      users.push_back(api::name_of(pod));
  return users;
}

std::string qualified_resource(const api::ResourceInfo& resource) {
  return resource.group.empty() ? resource.singular : resource.singular + "." + resource.group;
}

std::string object_ref(const api::ResourceInfo& resource, const std::string& name) {
  return qualified_resource(resource) + "/" + name;
}

Row table_header(const api::ResourceInfo& resource, const TableOptions& options) {
  Row header;
  if (options.with_namespace && resource.namespaced) header.push_back("NAMESPACE");
  for (const auto& column : printers::columns_of(resource))
    if (shown(column, options)) header.push_back(upper(column.name));
  if (resource.plural == "persistentvolumeclaims") header.insert(header.end(), {"USED BY", "DISK"});
  add_label_headers(options, header);
  return header;
}

Row table_row_of_cells(const api::ResourceInfo& resource, const std::vector<json>& cells,
                       const json& object, const TableOptions& options) {
  Row row;
  if (options.with_namespace && resource.namespaced)
    row.push_back(api::string_at(object, "metadata.namespace"));
  const auto& columns = printers::columns_of(resource);
  for (size_t i = 0; i < columns.size(); ++i) {
    if (!shown(columns[i], options)) continue;
    std::string text = i < cells.size() ? printers::cell_text(cells[i]) : "";
    if (columns[i].format == "name" && options.with_kind) text = object_ref(resource, text);
    if (resource.plural == "events" && columns[i].name == "Last Seen")
      text = event_last_seen(resource, cells);
    row.push_back(std::move(text));
  }
  if (resource.plural == "persistentvolumeclaims") add_claim_usage(object, options, row);
  add_label_cells(object, options, row);
  return row;
}

Row table_row(const api::ResourceInfo& resource, const json& object, const TableOptions& options) {
  auto cells = printers::cell_values(printers::print_row(resource, object), options.now);
  return table_row_of_cells(resource, cells, object, options);
}

}  // namespace kinda::cli
