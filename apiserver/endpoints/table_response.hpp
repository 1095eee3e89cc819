// Server-side printing. A GET of a list or of one object, or a watch, whose Accept header prefers
// application/json;as=Table;v=v1;g=meta.k8s.io (or v1beta1), as kubectl sends it, is answered
// with a meta.k8s.io Table: the kind's columns (printers/table.hpp) and a row per object, each
// carrying the object as ?includeObject= asks: None, Metadata (a PartialObjectMetadata, the
// default) or Object. The body's kind says it is a Table; Content-Type stays application/json,
// as the API server sends it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/error.hpp"
#include "api/resources.hpp"
#include "apiserver/registry/object_service.hpp"
#include "apiserver/transport/http_types.hpp"
#include "printers/table.hpp"

namespace kinda::apiserver {

struct TableRequest {
  std::string api_version = "meta.k8s.io/v1";  // or meta.k8s.io/v1beta1, as the client asked
  std::string include_object = "Metadata";     // "None", "Metadata" or "Object"
};

// nullopt when the client prefers something else than a Table (plain JSON); BadRequest for an
// includeObject value the API server does not know.
Result<std::optional<TableRequest>> table_request(const Request& request);

// Rows printed from stored objects, kept while the objects stay as they are, so a list of 1,000
// unchanged pods is printed without parsing them again (parsing was most of such a Table's
// cost). Entries are keyed by the stored JSON text itself, so none can be stale; a list of a
// whole scope (no selectors) drops the entries of that scope it did not see again.
class TableRows {
 public:
  struct Entry {
    printers::PrintedRow row;
    std::string metadata;  // the object's metadata as compact JSON
  };

  const Entry& of(const api::ResourceInfo& resource, const std::string& text);
  // Brackets the lookups of one list; `whole_scope` when the list had no selectors.
  void begin_list();
  void end_list(const api::ResourceInfo& resource, const std::string& ns, bool whole_scope);
  size_t size() const { return entries_.size(); }

 private:
  struct Kept {
    Entry entry;
    std::string resource;
    std::string ns;
    uint64_t seen = 0;  // the list that last used it
  };
  std::unordered_map<std::string, Kept> entries_;
  uint64_t list_ = 0;
};

// The answer to a list: `texts` are the listed objects as stored, `revision` the list's
// resourceVersion.
Reply table_list_reply(const TableRequest& table, TableRows& rows,
                       const api::ResourceInfo& resource, const std::string& ns,
                       const ListOptions& options, const std::vector<std::string>& texts,
                       int64_t revision);
// The answer to a GET of one object.
Reply table_object_reply(const TableRequest& table, const api::ResourceInfo& resource,
                         const Result<nlohmann::json>& object);

// The Table of `objects` (a list's items, or the one object of a GET) as of `resource_version`;
// without column definitions when `with_columns` is false (watch events after the first).
nlohmann::json to_table(const TableRequest& table, const api::ResourceInfo& resource,
                        const std::vector<nlohmann::json>& objects,
                        const std::string& resource_version, bool with_columns = true);

// Turns a watch's objects into one-row Tables. Like the API server, only the first event's Table
// has column definitions; later ones leave them out (clients keep the first). Statuses (ERROR
// events) and bookmarks pass through as they are.
class WatchTables {
 public:
  WatchTables(TableRequest table, api::ResourceInfo resource)
      : table_(std::move(table)), resource_(std::move(resource)) {}
  nlohmann::json convert(const std::string& event_type, const nlohmann::json& object);

 private:
  TableRequest table_;
  api::ResourceInfo resource_;
  bool columns_sent_ = false;
};

}  // namespace kinda::apiserver
