#include "apiserver/endpoints/write_options.hpp"

#include "api/json_limits.hpp"

namespace kinda::apiserver {
namespace {

// The options kind the API server names in its refusal, by the request's method.
std::string options_kind(const std::string& method) {
  if (method == "POST") return "CreateOptions.meta.k8s.io";
  if (method == "PUT") return "UpdateOptions.meta.k8s.io";
  if (method == "DELETE") return "DeleteOptions.meta.k8s.io";
  return "PatchOptions.meta.k8s.io";
}

// Go's strconv.Quote, for the ASCII the warnings carry.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

Result<WriteOptions> write_options_of(const Request& request) {
  WriteOptions options;
  std::vector<FieldCause> causes;
  const std::string dry_run = request.param("dryRun");
  if (dry_run == "All")
    options.dry_run = true;
  else if (!dry_run.empty())
    causes.push_back({"dryRun",
                      "Unsupported value: " + quoted(dry_run) + ": supported values: \"All\"",
                      "FieldValueNotSupported"});
  const std::string validation = request.param("fieldValidation");
  options.field_validation = api::field_validation_of(validation);
  if (!options.field_validation)
    causes.push_back({"fieldValidation",
                      "Unsupported value: " + quoted(validation) +
                          ": supported values: \"Ignore\", \"Strict\", \"Warn\"",
                      "FieldValueNotSupported"});
  options.field_manager = request.param("fieldManager");
  if (options.field_manager.size() > 128)
    causes.push_back(
        {"fieldManager", "Too long: may not be more than 128 bytes", "FieldValueTooLong"});
  const std::string force = request.param("force");
  options.force = force == "true" || force == "1";
  if (!causes.empty()) return Error::invalid(options_kind(request.method), "", causes);
  return options;
}

Result<DeleteOptions> delete_options_of(const Request& request) {
  auto write = write_options_of(request);
  if (!write) return write.error();
  DeleteOptions options;
  options.dry_run = write->dry_run;
  nlohmann::json body = nlohmann::json::object();
  if (!request.body.empty()) {
    auto parsed = api::parse_json_input(request.body, "the request body");
    if (!parsed) return parsed.error();
    body = std::move(*parsed);
  }
  // DeleteOptions come from the client: a field of the wrong type is its mistake (400), as the
  // API server's decoding says, not a server failure.
  if (body.is_object()) {
    if (const auto& grace = body.value("gracePeriodSeconds", nlohmann::json());
        grace.is_number_integer())
      options.grace_period_seconds = grace.get<long long>();
    else if (!grace.is_null())
      return Error::bad_request("gracePeriodSeconds must be an integer, got " + grace.dump());
    if (const auto& policy = body.value("propagationPolicy", nlohmann::json()); policy.is_string())
      options.propagation_policy = policy.get<std::string>();
    else if (!policy.is_null())
      return Error::bad_request("propagationPolicy must be a string, got " + policy.dump());
    if (const auto& dry = body.value("dryRun", nlohmann::json()); dry.is_array())
      for (const auto& value : dry) options.dry_run = options.dry_run || value == "All";
  }
  if (auto g = request.param("gracePeriodSeconds"); !g.empty()) {
    try {
      options.grace_period_seconds = std::stoll(g);
    } catch (...) {
      return Error::bad_request("invalid gracePeriodSeconds \"" + g + "\"");
    }
  }
  if (auto p = request.param("propagationPolicy"); !p.empty()) options.propagation_policy = p;
  if (!options.propagation_policy.empty() && options.propagation_policy != "Orphan" &&
      options.propagation_policy != "Background" && options.propagation_policy != "Foreground")
    return Error::bad_request("propagationPolicy must be Orphan, Background or Foreground");
  return options;
}

Reply with_warnings(Reply reply, const std::vector<std::string>& warnings) {
  for (const auto& warning : warnings)
    reply.response.headers.emplace_back("Warning", "299 - " + quoted(warning));
  return reply;
}

}  // namespace kinda::apiserver
