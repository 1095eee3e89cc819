#include "apiserver/endpoints/read_version.hpp"

namespace kinda::apiserver {
namespace {

Error list_options_invalid(std::vector<FieldCause> causes) {
  return Error::invalid("ListOptions.meta.k8s.io", "", std::move(causes));
}

FieldCause forbidden(const std::string& field, const std::string& message) {
  return {field, "Forbidden: " + message, "FieldValueForbidden"};
}

}  // namespace

Result<ReadVersion> read_version_of(const Request& request, bool watch) {
  ReadVersion version;
  const std::string rv = request.param("resourceVersion");
  const std::string match = request.param("resourceVersionMatch");
  const bool has_send = request.query.count("sendInitialEvents") > 0;
  if (has_send) version.send_initial_events = request.flag("sendInitialEvents");

  std::vector<FieldCause> causes;
  if (!request.param("continue").empty())
    return Error::bad_request(
        "the provided continue parameter is not valid: this server never issues continue "
        "tokens (lists are not chunked)");
  if (watch) {
    if (has_send && match != "NotOlderThan")
      causes.push_back(forbidden("resourceVersionMatch",
                                 "sendInitialEvents requires setting resourceVersionMatch to "
                                 "NotOlderThan"));
    if (!match.empty() && !has_send)
      causes.push_back(forbidden("resourceVersionMatch",
                                 "resourceVersionMatch is forbidden for watch unless "
                                 "sendInitialEvents is provided"));
    if (!match.empty() && match != "NotOlderThan")
      causes.push_back({"resourceVersionMatch",
                        "Unsupported value: \"" + match + "\": supported values: \"NotOlderThan\"",
                        "FieldValueNotSupported"});
  } else {
    if (!match.empty() && rv.empty())
      causes.push_back(forbidden("resourceVersionMatch",
                                 "resourceVersionMatch is forbidden unless resourceVersion is "
                                 "provided"));
    if (!match.empty() && match != "Exact" && match != "NotOlderThan")
      causes.push_back({"resourceVersionMatch",
                        "Unsupported value: \"" + match +
                            "\": supported values: \"Exact\", \"NotOlderThan\", \"\"",
                        "FieldValueNotSupported"});
    if (match == "Exact" && rv == "0")
      causes.push_back(forbidden("resourceVersionMatch",
                                 "resourceVersionMatch \"exact\" is forbidden for "
                                 "resourceVersion \"0\""));
    if (has_send)
      causes.push_back(forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
  }
  if (!causes.empty()) return list_options_invalid(std::move(causes));

  if (rv.empty()) return version;
  try {
    size_t used = 0;
    version.revision = std::stoll(rv, &used);
    if (used != rv.size() || version.revision < 0) throw std::invalid_argument(rv);
  } catch (...) {
    return Error::bad_request("invalid resource version: \"" + rv + "\"");
  }
  if (version.revision == 0)
    version.kind = ReadVersion::Kind::kAny;
  else
    version.kind = match == "Exact" ? ReadVersion::Kind::kExact : ReadVersion::Kind::kNotOlderThan;
  return version;
}

Status check_not_too_large(const ReadVersion& version, int64_t newest) {
  if ((version.kind != ReadVersion::Kind::kNotOlderThan &&
       version.kind != ReadVersion::Kind::kExact) ||
      version.revision <= newest)
    return Ok{};
  Error e{504,
          "Timeout",
          "Too large resource version: " + std::to_string(version.revision) +
              ", current: " + std::to_string(newest),
          {{"", "Too large resource version", "ResourceVersionTooLarge"}}};
  return e;
}

Result<ListSnapshot> list_snapshot(ObjectService& objects, const api::ResourceInfo& r,
                                   const std::string& ns, const ListOptions& options,
                                   const ReadVersion& version) {
  ListSnapshot snapshot;
  snapshot.revision = objects.store().revision();
  if (auto fresh = check_not_too_large(version, snapshot.revision); !fresh) return fresh.error();
  if (version.kind != ReadVersion::Kind::kExact || version.revision == snapshot.revision) {
    auto items = objects.list_text(r, ns, options);
    if (!items) return items.error();
    snapshot.items = std::move(*items);
    return snapshot;
  }
  auto then = objects.store().list_at(version.revision, r.plural, r.namespaced ? ns : "");
  if (!then && then.error().code == 410)
    return Error::gone("The resourceVersion for the provided list is too old.");
  if (!then) return then.error();
  for (const auto& object : *then) {
    auto ok = ObjectService::matches(object, options);
    if (!ok) return ok.error();
    if (*ok) snapshot.items.push_back(object.dump());
  }
  snapshot.revision = version.revision;
  return snapshot;
}

}  // namespace kinda::apiserver
