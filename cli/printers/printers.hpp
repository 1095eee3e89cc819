// What the CLI prints, as pure functions from API objects to text, in kubectl's formats: get
// tables (with -o wide), -o name/json/yaml, and describe. Nothing here does I/O, so tests pin the
// exact output without a server.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/resources.hpp"
#include "api/timestamps.hpp"
#include "printers/age.hpp"
#include "printers/pod_row.hpp"

namespace kinda::cli {

using api::Clock;
using Row = std::vector<std::string>;

// Ages ("45s", "3m12s", "2d3h") and the pod columns' READY, STATUS and RESTARTS ("2 (5m ago)")
// are the API server's printers' (printers/).
using printers::age_since;
using printers::format_age;
using printers::pod_ready;
using printers::pod_restarts;
using printers::pod_status;
// "Mon, 02 Jan 2006 15:04:05 +0000" as describe prints times; "<unknown>" when unreadable.
std::string describe_time(const nlohmann::json& timestamp);

// Sizes in binary units as people read them: "512", "12Ki", "1.5Mi", "3Gi".
std::string format_bytes(std::uint64_t bytes);

// How kubectl names a resource in messages: "pod", "statefulset.apps".
std::string qualified_resource(const api::ResourceInfo& resource);
// "pod/redis-0", "statefulset.apps/redis": the -o name form.
std::string object_ref(const api::ResourceInfo& resource, const std::string& name);

// What kinda adds to the claims table besides kubectl's columns: the pods using each claim and
// the disk space under its directory (key "<namespace>/<claim>"; absent or nullopt: unreadable).
struct ClaimUsage {
  std::vector<nlohmann::json> pods;
  std::map<std::string, std::optional<std::uint64_t>> disk_bytes;
};

struct TableOptions {
  bool wide = false;
  bool with_namespace = false;  // -A: a leading NAMESPACE column
  bool with_kind = false;       // several types: NAME shows "pod/redis-0"
  Clock::time_point now = Clock::now();
  const ClaimUsage* claims = nullptr;  // persistentvolumeclaims: USED BY and DISK
  // -L KEY…: a column per label key (headed by the key's last path segment, upper-cased), then
  // with --show-labels a LABELS column ("k=v,…" sorted by key, "<none>"), as kubectl adds them.
  std::vector<std::string> label_columns;
  bool show_labels = false;
};

// kubectl's columns (printers/table.hpp), with what the options add around them.
Row table_header(const api::ResourceInfo& resource, const TableOptions& options);
Row table_row(const api::ResourceInfo& resource, const nlohmann::json& object,
              const TableOptions& options);
// The same row from cells the API server printed (a Table row's cells, wide columns included)
// and the row's object or metadata (for NAMESPACE and the claims' columns).
Row table_row_of_cells(const api::ResourceInfo& resource, const std::vector<nlohmann::json>& cells,
                       const nlohmann::json& object, const TableOptions& options);

// Column widths of rows printed together (each cell's width, no padding).
std::vector<size_t> column_widths(const std::vector<Row>& rows);
// Rows in columns three spaces apart, as kubectl's tabwriter lays out a table. `widths` may be
// shorter than a row or narrower than a cell; the cell then sets the width.
std::string render_rows(const std::vector<Row>& rows, const std::vector<size_t>& widths);
std::string render_table(const std::vector<Row>& rows);
// Go's text/tabwriter over tab-separated text: a column aligns within each run of consecutive
// lines that have a cell in it; the text after a line's last tab is not aligned.
std::string align_tabbed(std::string_view text, size_t padding);

// Events oldest first by their last time (lastTimestamp, else eventTime, else firstTimestamp),
// then by name, as `get events` lists them.
bool event_before(const nlohmann::json& a, const nlohmann::json& b);
void sort_events(std::vector<nlohmann::json>& events);
// The names of the pods whose volumes use `claim` (same namespace).
std::vector<std::string> claim_users(const nlohmann::json& claim,
                                     const std::vector<nlohmann::json>& pods);

// kubectl's wrapper for several objects: {"apiVersion":"v1","kind":"List","items":[…]}.
nlohmann::json as_list(std::vector<nlohmann::json> items);
// -o json: four-space indentation and a final newline.
std::string format_json(const nlohmann::json& value);
// format_json(as_list(the items of `list_reply`)), written from the daemon's list reply text
// without parsing it; nullopt when the reply has no "items" array.
std::optional<std::string> format_json_list(std::string_view list_reply);

// What describe needs besides the object: its events and, for sets and claims, the pods around it.
struct DescribeContext {
  std::vector<nlohmann::json> events;  // already filtered to the object
  std::vector<nlohmann::json> pods;    // the namespace's pods (sets: Pods Status; PVCs: Used By)
  Clock::time_point now = Clock::now();
};

// The events of `event_list` whose involvedObject is `object` (by uid, else kind and name), oldest
// first.
std::vector<nlohmann::json> events_about(const nlohmann::json& object,
                                         const nlohmann::json& event_list);
std::string describe(const api::ResourceInfo& resource, const nlohmann::json& object,
                     const DescribeContext& context);
// kubectl's "Pod Template:" block as tab-separated lines, two spaces per level, not aligned:
// `describe` aligns it with the rest, `rollout history --revision` prints it as it is.
std::string describe_pod_template(const nlohmann::json& pod_template);

}  // namespace kinda::cli
