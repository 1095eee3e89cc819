#include "cli/api_client.hpp"

#include <map>
#include <memory>

#include <curl/curl.h>

#include "runtime/socket_path.hpp"

namespace kinda::cli {
namespace {

using nlohmann::json;

constexpr int kTransportCode = 0;

struct CurlDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;
using HeaderList = std::unique_ptr<curl_slist, CurlDeleter>;

CurlHandle new_handle(const std::string& socket_path, const std::string& path) {
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  (void)initialised;
  CurlHandle handle(curl_easy_init());
  // Long paths go through /proc/self/fd/<dir>/; the directory stays open for this process.
  static std::map<std::string, std::unique_ptr<runtime::SocketPath>> addresses;
  auto& address = addresses[socket_path];
  // Retried until the directory exists (`kinda up` asks before the daemon has made it).
  if (!address || address->address().size() >= 108)
    address = std::make_unique<runtime::SocketPath>(socket_path);
  curl_easy_setopt(handle.get(), CURLOPT_UNIX_SOCKET_PATH, address->address().c_str());
  std::string url = "http://localhost" + path;
  curl_easy_setopt(handle.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle.get(), CURLOPT_NOSIGNAL, 1L);
  return handle;
}

size_t append_body(char* data, size_t size, size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

long response_code(CURL* handle) {
  long code = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &code);
  return code;
}

std::string reason_for(long code) {
  switch (code) {
    case 400:
      return "BadRequest";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 405:
      return "MethodNotAllowed";
    case 409:
      return "Conflict";
    case 410:
      return "Expired";
    case 422:
      return "Invalid";
    case 504:
      return "Timeout";
    default:
      return "InternalError";
  }
}

Error error_from_reply(long code, const std::string& body) {
  json status = json::parse(body, nullptr, false);
  if (status.is_object() && status.value("kind", "") == "Status")
    return Error::from_status(status, static_cast<int>(code));
  std::string text = body.substr(0, body.find('\n'));
  return Error{static_cast<int>(code),
               reason_for(code),
               "the server returned HTTP " + std::to_string(code) +
                   (text.empty() ? std::string() : ": " + text),
               {}};
}

Error transport_error(CURLcode code, const char* detail, const std::string& socket_path,
                      const std::string& cluster) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
      return Error{kTransportCode,
                   "",
                   "cannot reach the kinda daemon of cluster \"" + cluster + "\" at " +
                       socket_path + ": is it running? Start it with `kinda up`",
                   {}};
    case CURLE_OPERATION_TIMEDOUT:
      return Error{kTransportCode, "Timeout", "timed out waiting for the kinda daemon", {}};
    default:
      return Error{kTransportCode,
                   "",
                   "request to the kinda daemon of cluster \"" + cluster +
                       "\" failed: " + (*detail ? std::string(detail) : curl_easy_strerror(code)),
                   {}};
  }
}

// Splits a streamed body into lines for the handler; a non-2xx body is kept whole instead.
struct StreamState {
  CURL* handle;
  const ApiClient::LineHandler* on_line;
  std::string pending;
  bool failed_reply = false;
  bool stopped = false;

  size_t consume(const char* data, size_t length) {
    if (pending.empty() && !failed_reply && response_code(handle) / 100 != 2) failed_reply = true;
    pending.append(data, length);
    if (failed_reply) return length;
    size_t start = 0;
    for (size_t end; (end = pending.find('\n', start)) != std::string::npos; start = end + 1) {
      std::string_view line(pending.data() + start, end - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!(*on_line)(line)) {
        stopped = true;
        return 0;
      }
    }
    pending.erase(0, start);
    return length;
  }

  static size_t write(char* data, size_t size, size_t count, void* self) {
    return static_cast<StreamState*>(self)->consume(data, size * count);
  }
};

Result<json> parsed_reply(const Result<std::string>& reply, const std::string& path) {
  if (!reply) return reply.error();
  if (reply->empty()) return json::object();
  json parsed = json::parse(*reply, nullptr, false);
  if (parsed.is_discarded())
    return Error::internal("the kinda daemon sent a reply that is not JSON for " + path);
  return parsed;
}

}  // namespace

std::string url_encode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

std::string with_query(const std::string& path, const Query& query) {
  std::string out = path;
  char separator = path.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [key, value] : query) {
    if (value.empty()) continue;
    out += separator + url_encode(key) + "=" + url_encode(value);
    separator = '&';
  }
  return out;
}

bool is_transport_error(const Error& error) {
  return error.code == kTransportCode;
}

bool is_timeout(const Error& error) {
  return is_transport_error(error) && error.reason == "Timeout";
}

ApiClient::ApiClient(std::string socket_path, std::string cluster_name)
    : socket_path_(std::move(socket_path)), cluster_name_(std::move(cluster_name)) {}

Result<json> ApiClient::get(const std::string& path) const {
  return request("GET", path, nullptr, "");
}

Result<json> ApiClient::post(const std::string& path, const json& body) const {
  return request("POST", path, &body, "application/json");
}

Result<json> ApiClient::put(const std::string& path, const json& body) const {
  return request("PUT", path, &body, "application/json");
}

Result<json> ApiClient::patch(const std::string& path, const json& body,
                              const std::string& content_type) const {
  return request("PATCH", path, &body, content_type);
}

Result<json> ApiClient::del(const std::string& path) const {
  return request("DELETE", path, nullptr, "");
}

Result<json> ApiClient::request(const char* method, const std::string& path, const json* body,
                                const std::string& content_type) const {
  return parsed_reply(request_text(method, path, body, content_type), path);
}

Result<std::string> ApiClient::get_text(const std::string& path) const {
  return request_text("GET", path, nullptr, "");
}

Result<json> ApiClient::get_table(const std::string& path) const {
  return parsed_reply(request_text("GET", path, nullptr, "",
                                   "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"),
                      path);
}

Result<std::string> ApiClient::request_text(const char* method, const std::string& path,
                                            const json* body, const std::string& content_type,
                                            const char* accept) const {
  CurlHandle handle = new_handle(socket_path_, path);
  CURL* h = handle.get();
  HeaderList headers(curl_slist_append(nullptr, (std::string("Accept: ") + accept).c_str()));
  std::string payload;
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
  if (body) {
    payload = body->dump();
    headers.reset(curl_slist_append(headers.release(), ("Content-Type: " + content_type).c_str()));
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(payload.size()));
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  std::string reply;
  char detail[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, detail);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &reply);
  if (CURLcode code = curl_easy_perform(h); code != CURLE_OK)
    return transport_error(code, detail, socket_path_, cluster_name_);
  long status = response_code(h);
  if (status / 100 != 2) return error_from_reply(status, reply);
  return reply;
}

Status ApiClient::stream(const std::string& path, const LineHandler& on_line,
                         std::chrono::milliseconds timeout) const {
  CurlHandle handle = new_handle(socket_path_, path);
  CURL* h = handle.get();
  StreamState state{h, &on_line, "", false, false};
  char detail[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, detail);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &StreamState::write);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &state);
  if (timeout.count() > 0)
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  CURLcode code = curl_easy_perform(h);
  if (state.stopped) return Ok{};
  if (code != CURLE_OK) return transport_error(code, detail, socket_path_, cluster_name_);
  long status = response_code(h);
  if (status / 100 != 2) return error_from_reply(status, state.pending);
  if (!state.pending.empty()) on_line(state.pending);
  return Ok{};
}

}  // namespace kinda::cli
