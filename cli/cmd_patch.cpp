// kinda patch TYPE NAME -p PATCH [--type strategic|merge|json] : update fields of an object as
// kubectl patch does; the patch may be JSON or YAML, inline or from --patch-file.
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/manifest.hpp"
#include "api/object.hpp"
#include "api/patch.hpp"
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/printers/printers.hpp"
#include "cli/session.hpp"

namespace kinda::cli {
namespace {

using nlohmann::json;

struct PatchOptions {
  std::vector<std::string> args;
  std::string patch;
  std::string patch_file;
  std::string type = "strategic";
};

Result<api::PatchType> patch_type_named(const std::string& name) {
  if (name == "strategic") return api::PatchType::kStrategic;
  if (name == "merge") return api::PatchType::kMerge;
  if (name == "json") return api::PatchType::kJson;
  return Error{0, "", "--type must be one of [json merge strategic], not \"" + name + "\"", {}};
}

// kubectl converts YAML to JSON before sending; JSON text (objects or JSON patch lists) is sent
// as it is.
Result<json> patch_body(const std::string& text) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && (text[first] == '{' || text[first] == '[')) {
    json body = json::parse(text, nullptr, false);
    if (body.is_discarded())
      return Error{0, "", "unable to parse \"" + text + "\": the patch is not valid JSON", {}};
    return body;
  }
  auto documents = api::parse_manifests(text, "the patch");
  if (!documents || documents->size() != 1)
    return Error{
        0,
        "",
        "unable to parse \"" + text + "\": " +
            (documents ? std::string("expected one YAML mapping") : documents.error().message),
        {}};
  return documents->front();
}

Result<std::string> patch_text(const PatchOptions& options) {
  if (!options.patch.empty() && !options.patch_file.empty())
    return Error{0, "", "--patch and --patch-file are mutually exclusive", {}};
  if (options.patch_file.empty()) {
    if (options.patch.empty())
      return Error{
          0, "", "must specify --patch or --patch-file containing the contents of the patch", {}};
    return options.patch;
  }
  std::ifstream in(options.patch_file);
  if (!in) return Error{0, "", "unable to read patch file: open " + options.patch_file, {}};
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void run_patch(const GlobalOptions& global, const PatchOptions& options) {
  auto type = patch_type_named(options.type);
  if (!type) fail("error: " + type.error().message);
  auto text = patch_text(options);
  if (!text) fail("error: " + text.error().message);
  auto body = patch_body(*text);
  if (!body) fail("error: " + body.error().message);
  auto targets = parse_resource_args(options.args);
  if (!targets) fail("error: " + targets.error().message);
  auto session = open_session(global);
  if (!session) fail(session.error());
  for (const auto& target : *targets) {
    if (target.name.empty()) fail("error: resource(s) were provided, but no name was specified");
    std::string path = target.resource->path(session->ns, target.name);
    auto before = session->client.get(path);
    if (!before) fail(before.error());
    auto after = session->client.patch(path, *body, api::content_type_of(*type));
    if (!after) fail(after.error());
    // As kubectl: "no change" when the server's object is the same as before the patch.
    std::cout << object_ref(*target.resource, target.name)
              << (*before == *after ? " patched (no change)" : " patched") << std::endl;
  }
}

}  // namespace

void register_patch(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("patch", "Update fields of a resource");
  auto options = std::make_shared<PatchOptions>();
  cmd->add_option("resource", options->args, "TYPE NAME or TYPE/NAME")->required();
  cmd->add_option("-p,--patch", options->patch, "The patch, JSON or YAML");
  cmd->add_option("--patch-file", options->patch_file, "A file containing the patch");
  cmd->add_option("--type", options->type,
                  "The type of patch being provided; one of [json merge strategic]");
  cmd->callback([&global, options] { run_patch(global, *options); });
}

}  // namespace kinda::cli
