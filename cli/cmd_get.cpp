// kinda get TYPE[,TYPE] [NAME…] [-o wide|yaml|json|name|jsonpath=…|custom-columns=…]
// [-l SELECTOR] [--sort-by=…] [--no-headers] [--show-labels] [-L KEY…] [-w] [-A] : list objects
// the way kubectl get does.
#include <algorithm>
#include <iostream>

#include "api/labels.hpp"
#include "api/object.hpp"
#include "api/yaml_emit.hpp"
#include "cli/args.hpp"
#include "cli/claim_usage.hpp"
#include "cli/commands.hpp"
#include "cli/printers/custom_columns.hpp"
#include "cli/printers/jsonpath.hpp"
#include "cli/printers/printers.hpp"
#include "cli/printers/sort_by.hpp"
#include "cli/session.hpp"

namespace kinda::cli {
namespace {

using nlohmann::json;

struct GetOptions {
  std::vector<std::string> args;
  std::string output;
  std::string selector;
  std::string sort_by;
  std::vector<std::string> label_columns;
  bool show_labels = false;
  bool no_headers = false;
  bool watch = false;
};

// -o jsonpath=… and -o custom-columns=…, parsed before anything is fetched, as kubectl checks
// the printer first.
struct TemplateOutput {
  std::optional<JsonPath> jsonpath;
  std::optional<std::vector<CustomColumn>> columns;
};

constexpr std::string_view kJsonPathPrefix = "jsonpath=";
constexpr std::string_view kCustomColumnsPrefix = "custom-columns=";

TemplateOutput template_output(const std::string& output) {
  TemplateOutput out;
  if (output.rfind(kJsonPathPrefix, 0) == 0) {
    auto path = JsonPath::parse(std::string_view(output).substr(kJsonPathPrefix.size()));
    if (!path) fail("error: " + path.error().message);
    out.jsonpath = std::move(*path);
  } else if (output.rfind(kCustomColumnsPrefix, 0) == 0) {
    auto columns =
        parse_custom_columns(std::string_view(output).substr(kCustomColumnsPrefix.size()));
    if (!columns) fail("error: " + columns.error().message);
    out.columns = std::move(*columns);
  }
  return out;
}

// One object fetched, and its cells when the server printed its row (tables come as the API
// server's Tables: a list of 1,000 pods is not parsed here, only its rows' cells and metadata).
struct Item {
  json object;  // the whole object, or the metadata a Table row carries
  std::vector<json> cells;
};

// The objects fetched for one resource type, in request order.
struct Fetched {
  const api::ResourceInfo* resource;
  std::vector<Item> items;
  std::string list_version;  // resourceVersion to watch from
};

// A GET's reply as items: a Table's rows, a list's items or the one object it is.
std::vector<Item> items_of(json reply) {
  std::vector<Item> items;
  if (reply.value("kind", "") == "Table") {
    for (auto& row : reply["rows"]) {
      Item item{std::move(row["object"]), {}};
      for (auto& cell : row["cells"]) item.cells.push_back(std::move(cell));
      items.push_back(std::move(item));
    }
  } else if (auto list = reply.find("items"); list != reply.end() && list->is_array()) {
    for (auto& object : *list) items.push_back({std::move(object), {}});
  } else {
    items.push_back({std::move(reply), {}});
  }
  return items;
}

Row row_of(const api::ResourceInfo& resource, const Item& item, const TableOptions& table) {
  return item.cells.empty() ? table_row(resource, item.object, table)
                            : table_row_of_cells(resource, item.cells, item.object, table);
}

std::string no_resources_message(const Session& session, const api::ResourceInfo& resource) {
  if (session.all_namespaces || !resource.namespaced) return "No resources found";
  return "No resources found in " + session.ns + " namespace.";
}

std::vector<Row> table_rows(const Fetched& group, const TableOptions& table, bool headers) {
  std::vector<Row> rows;
  if (headers) rows.push_back(table_header(*group.resource, table));
  for (const auto& item : group.items) rows.push_back(row_of(*group.resource, item, table));
  return rows;
}

void print_objects(const std::vector<Fetched>& fetched, const std::string& output, bool single,
                   const TemplateOutput& templated, TableOptions table, bool headers,
                   bool& printed) {
  std::vector<json> all;
  for (const auto& group : fetched)
    for (const auto& item : group.items) all.push_back(item.object);
  if (templated.columns) {
    if (all.empty()) return;
    std::cout << render_custom_columns(*templated.columns, all, headers) << std::flush;
    printed = true;
    return;
  }
  if (output == "json" || output == "yaml" || templated.jsonpath) {
    json value = single && all.size() == 1 ? all[0] : as_list(all);
    if (templated.jsonpath) {
      auto text = templated.jsonpath->print(value);
      if (!text) fail("error: " + text.error().message);
      std::cout << *text;
    } else {
      std::cout << (output == "json" ? format_json(value) : api::to_yaml(value));
    }
    std::cout.flush();
    printed = true;
    return;
  }
  for (const auto& group : fetched) {
    if (group.items.empty()) continue;
    if (output == "name") {
      for (const auto& item : group.items)
        std::cout << object_ref(*group.resource, api::name_of(item.object)) << "\n";
    } else {
      if (printed) std::cout << "\n";
      std::cout << render_table(table_rows(group, table, headers));
    }
    printed = true;
  }
  std::cout.flush();
}

void watch(const Session& session, const Fetched& group, const std::string& only_name,
           const std::string& output, const TemplateOutput& templated, TableOptions table,
           bool headers, bool header_printed) {
  const auto& resource = *group.resource;
  std::vector<size_t> widths;
  if (header_printed) widths = column_widths(table_rows(group, table, headers));
  if (!headers) header_printed = true;
  std::string ns = session.all_namespaces ? "" : session.ns;
  Query query = {{"watch", "true"}, {"resourceVersion", group.list_version}};
  if (!only_name.empty()) query.push_back({"fieldSelector", "metadata.name=" + only_name});
  Status streamed =
      session.client.stream(with_query(resource.path(ns), query), [&](std::string_view line) {
        json event = json::parse(line, nullptr, false);
        if (!event.is_object()) return true;
        const json& object = event.value("object", json::object());
        if (event.value("type", "") == "ERROR") {
          std::cerr << error_line(Error::from_status(object, 500)) << std::endl;
          return false;
        }
        if (!only_name.empty() && api::name_of(object) != only_name) return true;
        if (templated.jsonpath) {
          auto text = templated.jsonpath->print(object);
          if (!text) fail("error: " + text.error().message);
          std::cout << *text;
        } else if (templated.columns) {
          std::cout << render_custom_columns(*templated.columns, {object}, !header_printed);
          header_printed = true;
        } else if (output == "json") {
          std::cout << format_json(object);
        } else if (output == "yaml") {
          std::cout << "---\n" << api::to_yaml(object);
        } else if (output == "name") {
          std::cout << object_ref(resource, api::name_of(object)) << "\n";
        } else {
          table.now = Clock::now();
          std::vector<Row> rows;
          if (!header_printed) rows.push_back(table_header(resource, table));
          rows.push_back(table_row(resource, object, table));
          if (widths.empty()) widths = column_widths(rows);
          std::cout << render_rows(rows, widths);
          header_printed = true;
        }
        return static_cast<bool>(std::cout.flush());
      });
  if (!streamed) fail(streamed.error());
}

void run_get(const GlobalOptions& global, const GetOptions& options) {
  auto targets = parse_resource_args(options.args);
  if (!targets) fail("error: " + targets.error().message);
  if (!options.selector.empty()) {
    if (auto selector = api::Selector::parse(options.selector); !selector)
      fail("error: " + selector.error().message);
  }
  const TemplateOutput templated = template_output(options.output);
  if (!options.sort_by.empty())
    if (auto check = JsonPath::parse_relaxed(options.sort_by); !check)
      fail("error: " + check.error().message);
  auto session = open_session(global);
  if (!session) fail(session.error());
  std::string ns = session->all_namespaces ? "" : session->ns;

  // One list as JSON: the daemon's text is indented as it is, never parsed (see json_text.hpp).
  if (options.output == "json" && options.sort_by.empty() && !options.watch &&
      targets->size() == 1 && targets->front().name.empty()) {
    const auto* resource = targets->front().resource;
    auto reply = session->client.get_text(
        with_query(resource->path(ns), {{"labelSelector", options.selector}}));
    if (!reply) fail(reply.error());
    if (auto printed = format_json_list(*reply)) {
      std::cout << *printed << std::flush;
      return;
    }
  }

  bool tabular = options.output.empty() || options.output == "wide";
  std::vector<Fetched> fetched;
  bool failed = false;
  for (const auto& target : *targets) {
    if (fetched.empty() || fetched.back().resource != target.resource)
      fetched.push_back({target.resource, {}, ""});
    Fetched& group = fetched.back();
    // Tables come printed by the server, with no more of each object than the table needs:
    // events whole (to be put in time order here), claims' and -A rows their metadata.
    auto get = [&](const std::string& path) {
      if (!tabular) return session->client.get(path);
      const std::string& plural = target.resource->plural;
      std::string include = plural == "events" || !options.sort_by.empty() ? "Object" : "None";
      if (include == "None" && (plural == "persistentvolumeclaims" || session->all_namespaces ||
                                options.show_labels || !options.label_columns.empty()))
        include = "Metadata";
      return session->client.get_table(with_query(path, {{"includeObject", include}}));
    };
    if (target.name.empty()) {
      auto list = get(with_query(target.resource->path(ns), {{"labelSelector", options.selector}}));
      if (!list) fail(list.error());
      group.list_version = api::resource_version_of(*list);
      for (auto& item : items_of(std::move(*list))) group.items.push_back(std::move(item));
    } else {
      auto object = get(target.resource->path(session->ns, target.name));
      if (!object) {
        if (is_transport_error(object.error())) fail(object.error());
        std::cerr << error_line(object.error()) << std::endl;
        failed = true;
        continue;
      }
      group.list_version = api::resource_version_of(*object);
      for (auto& item : items_of(std::move(*object))) group.items.push_back(std::move(item));
    }
  }

  TableOptions table;
  table.wide = options.output == "wide";
  table.with_namespace = session->all_namespaces;
  table.with_kind = fetched.size() > 1;
  table.label_columns = options.label_columns;
  table.show_labels = options.show_labels;
  bool single = targets->size() == 1 && !targets->front().name.empty();
  ClaimUsage claims;  // kinda's USED BY and DISK columns, looked up only for a claims table
  for (auto& group : fetched) {
    if (!options.sort_by.empty()) {
      std::vector<json> objects;
      for (const auto& item : group.items) objects.push_back(item.object);
      auto order = sort_order(objects, options.sort_by);
      if (!order) fail("error: " + order.error().message);
      std::vector<Item> sorted;
      for (size_t index : *order) sorted.push_back(std::move(group.items[index]));
      group.items = std::move(sorted);
    } else if (tabular && group.resource->plural == "events")
      std::stable_sort(group.items.begin(), group.items.end(), [](const Item& a, const Item& b) {
        return event_before(a.object, b.object);
      });
    if (tabular && group.resource->plural == "persistentvolumeclaims") {
      std::vector<json> claimed;
      for (const auto& item : group.items) claimed.push_back(item.object);
      claims = claim_usage(session->client, claimed, ns);
      table.claims = &claims;
    }
  }
  bool printed = false;
  print_objects(fetched, options.output, single, templated, table, !options.no_headers, printed);
  if (!printed && !failed && !options.watch)
    std::cerr << no_resources_message(*session, *fetched.front().resource) << std::endl;
  if (options.watch) {
    if (fetched.size() != 1) fail("error: you may only specify a single resource type to watch");
    watch(*session, fetched.front(), single ? targets->front().name : "", options.output, templated,
          table, !options.no_headers, printed);
  }
  if (failed) exit_failure();
}

}  // namespace

void register_get(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("get", "Display one or many resources");
  auto options = std::make_shared<GetOptions>();
  cmd->add_option("resources", options->args, "TYPE[,TYPE…] [NAME…] or TYPE/NAME…")->required();
  cmd->add_option("-o,--output", options->output,
                  "Output format: wide, yaml, json, name, jsonpath=TEMPLATE or "
                  "custom-columns=HEADER:EXPR,…")
      ->check([](const std::string& output) -> std::string {
        for (const char* format : {"wide", "yaml", "json", "name"})
          if (output == format) return "";
        if (output.rfind(kJsonPathPrefix, 0) == 0 || output.rfind(kCustomColumnsPrefix, 0) == 0)
          return "";
        return "unable to match a printer suitable for the output format \"" + output +
               "\", allowed formats are: custom-columns,json,jsonpath,name,wide,yaml";
      });
  cmd->add_option("--sort-by", options->sort_by,
                  "Sort by a JSONPath expression, e.g. '{.metadata.name}'");
  cmd->add_option("-L,--label-columns", options->label_columns,
                  "Label keys to show as columns, e.g. -L app,tier")
      ->delimiter(',');
  cmd->add_flag("--show-labels", options->show_labels, "Show all labels as the last column");
  cmd->add_flag("--no-headers", options->no_headers, "Print tables without their header row");
  cmd->add_option("-l,--selector", options->selector,
                  "Label selector, e.g. -l app=redis,tier!=cache");
  cmd->add_flag("-w,--watch", options->watch, "After listing, watch for changes");
  cmd->add_flag("-A,--all-namespaces", global.all_namespaces, "List across all namespaces");
  cmd->callback([&global, options] { run_get(global, *options); });
}

}  // namespace kinda::cli
