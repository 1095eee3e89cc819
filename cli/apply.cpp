#include "cli/apply.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/decoding.hpp"
#include "api/manifest.hpp"
#include "api/names.hpp"
#include "api/object.hpp"

namespace kinda::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kConflictRetries = 5;

Error usage(const std::string& message) {
  return Error{0, "", message, {}};
}

Result<std::vector<std::string>> expand_paths(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const auto& path : paths) {
    std::error_code ec;
    if (path == "-" || !fs::is_directory(path, ec)) {
      if (path != "-" && !fs::exists(path, ec))
        return usage("the path \"" + path + "\" does not exist");
      files.push_back(path);
      continue;
    }
    std::vector<std::string> in_dir;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      std::string ext = entry.path().extension().string();
      if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml" || ext == ".json"))
        in_dir.push_back(entry.path().string());
    }
    if (ec) return usage("cannot read directory \"" + path + "\": " + ec.message());
    std::sort(in_dir.begin(), in_dir.end());
    files.insert(files.end(), in_dir.begin(), in_dir.end());
  }
  return files;
}

Status check_object(const Manifest& m) {
  const json& o = m.object;
  std::string api_version = api::string_at(o, "apiVersion");
  std::string kind = api::string_at(o, "kind");
  std::string name = api::name_of(o);
  if (kind.empty() || api_version.empty())
    return usage("unable to decode \"" + m.source +
                 "\": Object 'Kind' or 'apiVersion' is missing in '" + o.dump() + "'");
  if (!m.resource)
    return usage("resource mapping not found for name: \"" + name + "\" namespace: \"" +
                 api::namespace_of(o) + "\" from \"" + m.source + "\": no matches for kind \"" +
                 kind + "\" in version \"" + api_version + "\"");
  // As kubectl decodes a manifest before sending it: a field of the wrong type (a namespace
  // that is a number) is an error here, not quietly replaced by the session's namespace.
  json decoded = o;
  if (auto st = api::decode_object(*m.resource, decoded); !st)
    return usage("unable to decode \"" + m.source + "\": " + st.error().message);
  if (name.empty())
    return usage("error when retrieving current configuration of " + kind + " from \"" + m.source +
                 "\": resource name may not be empty; set metadata.name");
  bool label_only = m.resource->plural == "namespaces" || m.resource->plural == "services";
  auto problem = label_only ? api::check_dns1123_label(name) : api::check_dns1123_subdomain(name);
  if (problem)
    return usage(kind + " \"" + name + "\" in \"" + m.source +
                 "\" has an invalid name: " + *problem);
  return Ok{};
}

Result<std::string> read_source(const std::string& path, std::istream& standard_input) {
  std::ostringstream text;
  if (path == "-") {
    text << standard_input.rdbuf();
    return text.str();
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) return usage("cannot read \"" + path + "\": check that the file is readable");
  text << file.rdbuf();
  return text.str();
}

Error with_context(Error error, const std::string& action, const std::string& source) {
  if (!is_transport_error(error))
    error.message = "error when " + action + " \"" + source + "\": " + error.message;
  return error;
}

}  // namespace

Result<std::vector<Manifest>> load_manifests(const std::vector<std::string>& paths,
                                             std::istream& standard_input) {
  if (paths.empty()) return usage("must specify one of -f and -k");
  auto files = expand_paths(paths);
  if (!files) return files.error();
  std::vector<Manifest> manifests;
  for (const auto& file : *files) {
    std::string source = file == "-" ? "STDIN" : file;
    auto text = read_source(file, standard_input);
    if (!text) return text.error();
    auto objects = api::parse_manifests(*text, source);
    if (!objects) return usage(objects.error().message);
    for (auto& object : *objects) {
      Manifest m{std::move(object), source, nullptr};
      m.resource = api::resource_for_kind(api::string_at(m.object, "apiVersion"),
                                          api::string_at(m.object, "kind"));
      if (auto s = check_object(m); !s) return s.error();
      manifests.push_back(std::move(m));
    }
  }
  if (manifests.empty()) return usage("no objects passed to apply");
  return manifests;
}

Result<std::string> namespace_for(const Manifest& manifest, const std::string& session_ns,
                                  bool ns_explicit) {
  if (!manifest.resource->namespaced) return std::string();
  std::string own = api::namespace_of(manifest.object);
  if (own.empty()) return session_ns;
  if (ns_explicit && own != session_ns)
    return usage("the namespace from the provided object \"" + own +
                 "\" does not match the namespace \"" + session_ns +
                 "\". You must pass '--namespace=" + own + "' to perform this operation.");
  return own;
}

const char* outcome_word(ApplyOutcome outcome) {
  switch (outcome) {
    case ApplyOutcome::kCreated:
      return "created";
    case ApplyOutcome::kConfigured:
      return "configured";
    case ApplyOutcome::kUnchanged:
      return "unchanged";
  }
  return "";
}

Result<ApplyOutcome> apply_manifest(const ApiClient& client, const Manifest& manifest,
                                    const std::string& ns) {
  const auto& resource = *manifest.resource;
  std::string name = api::name_of(manifest.object);
  json desired = manifest.object;
  if (resource.namespaced) desired["metadata"]["namespace"] = ns;
  for (int attempt = 0;; ++attempt) {
    auto live = client.get(resource.path(ns, name));
    if (!live && live.error().code == 404) {
      auto created = client.post(resource.path(ns), desired);
      if (created) return ApplyOutcome::kCreated;
      if (created.error().code == 409 && created.error().reason == "AlreadyExists" &&
          attempt < kConflictRetries)
        continue;
      return with_context(created.error(), "creating", manifest.source);
    }
    if (!live)
      return with_context(live.error(), "retrieving current configuration of", manifest.source);
    std::string live_version = api::resource_version_of(*live);
    desired["metadata"]["resourceVersion"] = live_version;
    auto updated = client.put(resource.path(ns, name), desired);
    if (updated)
      return api::resource_version_of(*updated) == live_version ? ApplyOutcome::kUnchanged
                                                                : ApplyOutcome::kConfigured;
    if (updated.error().code != 409 || attempt >= kConflictRetries)
      return with_context(updated.error(), "applying", manifest.source);
  }
}

}  // namespace kinda::cli
