#include "apiserver/endpoints/table_response.hpp"

#include "api/object.hpp"
#include "apiserver/transport/media_types.hpp"

namespace kinda::apiserver {
namespace {

using nlohmann::json;

constexpr const char* kTableGroup = "meta.k8s.io";

// "meta.k8s.io/v1" for a range that asks for a Table the server has, else "".
std::string table_version(const MediaRange& range) {
  if (!range.accepts_json() || range.param("as") != "Table" || range.param("g") != kTableGroup)
    return "";
  std::string version = range.param("v");
  return version == "v1" || version == "v1beta1" ? std::string(kTableGroup) + "/" + version : "";
}

// Text that names or describes objects may carry a client's bytes; they never fail an answer.
std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string columns_text(const api::ResourceInfo& resource) {
  json columns = json::array();
  for (const auto& c : printers::columns_of(resource))
    columns.push_back({{"name", c.name},
                       {"type", c.type},
                       {"format", c.format},
                       {"description", c.description},
                       {"priority", c.priority}});
  return dump(columns);
}

// One row as its parts: the printed cells, and the object's metadata and whole text.
struct RowParts {
  const printers::PrintedRow& row;
  const std::string& metadata;
  const std::string& object;
};

// The Table's JSON text, its keys in the order json would write them, so lists are written
// without building a document of 1,000 rows first.
std::string table_text(const TableRequest& table, const api::ResourceInfo& resource,
                       const std::vector<RowParts>& rows, const std::string& resource_version,
                       bool with_columns) {
  auto now = api::Clock::now();
  const std::string version = dump(json(table.api_version));
  std::string out = R"({"apiVersion":)" + version;
  out += R"(,"columnDefinitions":)" + (with_columns ? columns_text(resource) : "null");
  out += R"(,"kind":"Table","metadata":{"resourceVersion":)" + dump(json(resource_version));
  out += R"(},"rows":[)";
  for (size_t i = 0; i < rows.size(); ++i) {
    const RowParts& r = rows[i];
    out += i == 0 ? R"({"cells":)" : R"(,{"cells":)";
    out += dump(json(printers::cell_values(r.row, now)));
    if (!r.row.conditions.is_null()) out += R"(,"conditions":)" + dump(r.row.conditions);
    out += R"(,"object":)";
    if (table.include_object == "None")
      out += "null";
    else if (table.include_object == "Object")
      out += r.object;
    else
      out += R"({"apiVersion":)" + version + R"(,"kind":"PartialObjectMetadata","metadata":)" +
             r.metadata + "}";
    out += "}";
  }
  out += "]}";
  return out;
}

Reply json_reply(std::string body) {
  return Reply{Response{200, "application/json", std::move(body)}, nullptr};
}

}  // namespace

Result<std::optional<TableRequest>> table_request(const Request& request) {
  std::string version;
  for (const auto& range : parse_accept(request.accept)) {
    version = table_version(range);
    // The first range the server can answer decides, as in the API server's negotiation.
    if (!version.empty() || (range.accepts_json() && range.param("as").empty())) break;
  }
  if (version.empty()) return std::optional<TableRequest>();
  TableRequest table;
  table.api_version = version;
  std::string include = request.param("includeObject");
  if (!include.empty()) {
    if (include != "None" && include != "Metadata" && include != "Object")
      return Error::bad_request(
          "Unable to convert to Table as requested: includeObject: Invalid value: \"" + include +
          "\": must be 'Metadata', 'Object', 'None', or empty");
    table.include_object = include;
  }
  return std::optional<TableRequest>(table);
}

const TableRows::Entry& TableRows::of(const api::ResourceInfo& resource, const std::string& text) {
  auto it = entries_.find(text);
  if (it == entries_.end()) {
    json object = json::parse(text);
    Kept kept{
        {printers::print_row(resource, object), dump(object.value("metadata", json::object()))},
        resource.plural,
        api::namespace_of(object),
        list_};
    it = entries_.emplace(text, std::move(kept)).first;
  }
  it->second.seen = list_;
  return it->second.entry;
}

void TableRows::begin_list() {
  ++list_;
}

void TableRows::end_list(const api::ResourceInfo& resource, const std::string& ns,
                         bool whole_scope) {
  if (!whole_scope) return;
  for (auto it = entries_.begin(); it != entries_.end();) {
    const Kept& k = it->second;
    bool in_scope = k.resource == resource.plural && (ns.empty() || k.ns == ns);
    it = in_scope && k.seen != list_ ? entries_.erase(it) : std::next(it);
  }
}

Reply table_list_reply(const TableRequest& table, TableRows& rows,
                       const api::ResourceInfo& resource, const std::string& ns,
                       const ListOptions& options, const std::vector<std::string>& texts,
                       int64_t revision) {
  rows.begin_list();
  std::vector<RowParts> parts;
  parts.reserve(texts.size());
  for (const auto& text : texts) {
    const auto& entry = rows.of(resource, text);
    parts.push_back({entry.row, entry.metadata, text});
  }
  std::string body = table_text(table, resource, parts, std::to_string(revision), true);
  rows.end_list(resource, resource.namespaced ? ns : "",
                options.label_selector.empty() && options.field_selector.empty());
  return json_reply(std::move(body));
}

Reply table_object_reply(const TableRequest& table, const api::ResourceInfo& resource,
                         const Result<json>& object) {
  if (!object) return Reply{Response::error(object.error()), nullptr};
  return Reply{
      Response::json(to_table(table, resource, {*object}, api::resource_version_of(*object))),
      nullptr};
}

json to_table(const TableRequest& table, const api::ResourceInfo& resource,
              const std::vector<json>& objects, const std::string& resource_version,
              bool with_columns) {
  std::vector<printers::PrintedRow> printed;
  std::vector<std::string> metadata, texts;
  for (const auto& object : objects) {
    printed.push_back(printers::print_row(resource, object));
    metadata.push_back(dump(object.value("metadata", json::object())));
    texts.push_back(table.include_object == "Object" ? dump(object) : "");
  }
  std::vector<RowParts> parts;
  for (size_t i = 0; i < objects.size(); ++i) parts.push_back({printed[i], metadata[i], texts[i]});
  return json::parse(table_text(table, resource, parts, resource_version, with_columns));
}

json WatchTables::convert(const std::string& event_type, const json& object) {
  if (event_type == "ERROR" || event_type == "BOOKMARK") return object;
  json converted =
      to_table(table_, resource_, {object}, api::resource_version_of(object), !columns_sent_);
  columns_sent_ = true;
  return converted;
}

}  // namespace kinda::apiserver
