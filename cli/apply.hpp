// `apply` and `delete -f` as library calls: read every manifest of the -f arguments up front and
// check each names a kind kinda serves and a valid name, so a bad file changes nothing; then
// create or replace objects one at a time, reporting created, configured or unchanged.
#pragma once

#include <istream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/error.hpp"
#include "api/resources.hpp"
#include "cli/api_client.hpp"

namespace kinda::cli {

struct Manifest {
  nlohmann::json object;
  std::string source;  // the file name, or "STDIN"
  const api::ResourceInfo* resource = nullptr;
};

// Reads files, directories (their .yaml, .yml and .json files, sorted) and "-" (stdin). Fails,
// with kubectl's one-line message, on the first unreadable file, parse error, unknown kind or bad
// name.
Result<std::vector<Manifest>> load_manifests(const std::vector<std::string>& paths,
                                             std::istream& standard_input);

// The namespace the object goes to: its metadata.namespace, else `session_ns`; an explicit -n
// that contradicts the manifest is an error. Empty for cluster-scoped kinds.
Result<std::string> namespace_for(const Manifest& manifest, const std::string& session_ns,
                                  bool ns_explicit);

enum class ApplyOutcome { kCreated, kConfigured, kUnchanged };
const char* outcome_word(ApplyOutcome outcome);

// GET, then POST when absent or PUT with the live resourceVersion (retried on conflicts). Server
// errors come back with kubectl's "error when creating \"FILE\": …" context in the message.
Result<ApplyOutcome> apply_manifest(const ApiClient& client, const Manifest& manifest,
                                    const std::string& ns);

}  // namespace kinda::cli
