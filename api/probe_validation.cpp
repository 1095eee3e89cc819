#include "api/probe_validation.hpp"

#include <initializer_list>

#include "api/names.hpp"

namespace kinda::api {
namespace {

using nlohmann::json;

void check_exec(Causes& c, const json& exec, const std::string& path) {
  const json& command = exec.is_object() ? exec.value("command", json()) : json();
  if (!command.is_array() || command.empty()) return c.required(path + ".command");
  for (const auto& part : command)
    if (!part.is_string()) return c.add(path + ".command", "must be a list of strings");
}

void check_port_field(Causes& c, const json& handler, const std::string& path) {
  if (!handler.is_object() || !handler.contains("port") || handler["port"].is_null())
    return c.required(path + ".port");
  check_port_number_or_name(c, handler["port"], path + ".port");
  // The kubelet (the pod manager here) reads host as a string when it runs the probe.
  (void)checked_string(c, handler, "host", path + ".host");
}

void check_http_headers(Causes& c, const json& headers, const std::string& path) {
  if (headers.is_null()) return;
  if (!headers.is_array()) return c.add(path, "must be a list");
  for (size_t i = 0; i < headers.size(); ++i) {
    const std::string p = index_path(path, i);
    if (!headers[i].is_object()) {
      c.add(p, "must be an object");
      continue;
    }
    (void)checked_string(c, headers[i], "name", p + ".name");
    (void)checked_string(c, headers[i], "value", p + ".value");
  }
}

void check_http_get(Causes& c, const json& http, const std::string& path) {
  check_port_field(c, http, path);
  (void)checked_string(c, http, "path", path + ".path");
  check_http_headers(c, field(http, "httpHeaders"), path + ".httpHeaders");
  if (!http.is_object() || !http.contains("scheme")) return;
  if (http["scheme"] != "HTTP" && http["scheme"] != "HTTPS")
    c.unsupported(path + ".scheme", http["scheme"], "\"HTTP\", \"HTTPS\"");
}

void check_sleep(Causes& c, const json& sleep, const std::string& path, long long grace) {
  const json& seconds = sleep.is_object() ? sleep.value("seconds", json()) : json();
  if (seconds.is_null()) return c.required(path + ".seconds");
  if (!seconds.is_number_integer() || seconds.get<long long>() < 0 ||
      seconds.get<long long>() > grace)
    c.invalid(path + ".seconds", seconds,
              "must be non-negative and less than terminationGracePeriodSeconds (" +
                  std::to_string(grace) + ")");
}

// The Kubernetes rule for every handler holder: the first handler counts, each further one is
// forbidden, none at all is required.
void check_handler(Causes& c, const json& holder, const std::string& path,
                   std::initializer_list<const char*> allowed, long long grace) {
  if (!holder.is_object()) return c.add(path, "must be an object");
  int handlers = 0;
  for (const char* kind : allowed) {
    if (!holder.contains(kind) || holder[kind].is_null()) continue;
    std::string p = path + "." + kind;
    if (handlers++ > 0) {
      c.forbidden(p, "may not specify more than 1 handler type");
      continue;
    }
    const json& h = holder[kind];
    std::string k = kind;
    if (k == "exec")
      check_exec(c, h, p);
    else if (k == "httpGet")
      check_http_get(c, h, p);
    else if (k == "tcpSocket")
      check_port_field(c, h, p);
    else if (k == "sleep")
      check_sleep(c, h, p, grace);
    else if (k == "grpc")
      c.forbidden(p, "kinda does not support grpc probes; use exec, httpGet or tcpSocket");
  }
  if (handlers == 0) c.required(path, "must specify a handler type");
}

}  // namespace

void check_port_number_or_name(Causes& c, const json& port, const std::string& path) {
  if (port.is_number_integer()) {
    if (port.get<long long>() < 1 || port.get<long long>() > 65535)
      c.invalid(path, port, "must be between 1 and 65535, inclusive");
  } else if (port.is_string()) {
    for (const auto& problem : check_port_name(port.get<std::string>()))
      c.invalid(path, port, problem);
  } else {
    c.invalid(path, port, "must be a port number or a port name");
  }
}

void check_probe(Causes& c, const json& probe, const std::string& path) {
  if (probe.is_null()) return;
  check_handler(c, probe, path, {"exec", "httpGet", "tcpSocket", "grpc"}, 0);
  if (!probe.is_object()) return;
  for (const char* key :
       {"periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold"})
    if (probe.contains(key) &&
        !(probe[key].is_number_integer() && probe[key].get<long long>() >= 1))
      c.invalid(path + "." + key, probe[key], "must be greater than or equal to 1");
  if (probe.contains("initialDelaySeconds") &&
      !(probe["initialDelaySeconds"].is_number_integer() &&
        probe["initialDelaySeconds"].get<long long>() >= 0))
    c.invalid(path + ".initialDelaySeconds", probe["initialDelaySeconds"],
              "must be greater than or equal to 0");
  if (probe.contains("terminationGracePeriodSeconds") &&
      !probe["terminationGracePeriodSeconds"].is_null() &&
      !(probe["terminationGracePeriodSeconds"].is_number_integer() &&
        probe["terminationGracePeriodSeconds"].get<long long>() > 0))
    c.invalid(path + ".terminationGracePeriodSeconds", probe["terminationGracePeriodSeconds"],
              "must be greater than 0");
}

void check_lifecycle(Causes& c, const json& lifecycle, const std::string& path, long long grace) {
  if (lifecycle.is_null()) return;
  if (!lifecycle.is_object()) return c.add(path, "must be an object");
  for (const char* hook : {"postStart", "preStop"})
    if (lifecycle.contains(hook) && !lifecycle[hook].is_null())
      check_handler(c, lifecycle[hook], path + "." + hook,
                    {"exec", "httpGet", "tcpSocket", "sleep"}, grace);
}

}  // namespace kinda::api
