#include "api/error.hpp"

namespace kinda {

Error Error::not_found(const std::string& resource, const std::string& name) {
  return Error{404, "NotFound", resource + " \"" + name + "\" not found", {}};
}

Error Error::already_exists(const std::string& resource, const std::string& name) {
  return Error{409, "AlreadyExists", resource + " \"" + name + "\" already exists", {}};
}

Error Error::conflict(const std::string& message) {
  return Error{409, "Conflict", message, {}};
}

Error Error::bad_request(const std::string& message) {
  return Error{400, "BadRequest", message, {}};
}

Error Error::gone(const std::string& message) {
  return Error{410, "Expired", message, {}};
}

Error Error::internal(const std::string& message) {
  return Error{500, "InternalError", message, {}};
}

Error Error::invalid(const std::string& kind, const std::string& name,
                     std::vector<FieldCause> causes) {
  std::string message = kind + " \"" + name + "\" is invalid: ";
  for (size_t i = 0; i < causes.size(); ++i) {
    if (i) message += ", ";
    message += causes[i].field + ": " + causes[i].message;
  }
  return Error{422, "Invalid", message, std::move(causes)};
}

nlohmann::json Error::to_status() const {
  nlohmann::json status = {
      {"kind", "Status"},    {"apiVersion", "v1"}, {"metadata", nlohmann::json::object()},
      {"status", "Failure"}, {"message", message}, {"reason", reason},
      {"code", code}};
  if (!causes.empty()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : causes)
      list.push_back({{"field", c.field}, {"message", c.message}, {"reason", c.reason}});
    status["details"] = {{"causes", list}};
  }
  return status;
}

Error Error::from_status(const nlohmann::json& status, int http_code) {
  Error e;
  e.code = status.value("code", http_code);
  e.reason = status.value("reason", "");
  e.message = status.value("message", "request failed with HTTP " + std::to_string(http_code));
  if (status.contains("details") && status["details"].contains("causes")) {
    for (const auto& c : status["details"]["causes"])
      e.causes.push_back({c.value("field", ""), c.value("message", ""), c.value("reason", "")});
  }
  return e;
}

}  // namespace kinda
