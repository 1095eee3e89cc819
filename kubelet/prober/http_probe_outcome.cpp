#include "kubelet/prober/http_probe_outcome.hpp"

#include <cctype>

namespace kinda::kubelet {

ProbeVerdict status_verdict(long status, std::string_view body) {
  if (status >= 200 && status < 300) return {true, ""};
  if (status >= 300 && status < 400)
    return {true, "Probe terminated redirects, Response body: " +
                      std::string(body.substr(0, kMaxProbeBody))};
  return {false, "HTTP probe failed with statuscode: " + std::to_string(status)};
}

bool is_followed_redirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

RedirectStep redirect_step(std::string_view probed_host, std::string_view target_host,
                           int requests_made) {
  if (target_host != probed_host) return RedirectStep::Stop;
  if (requests_made >= kMaxProbeRequests) return RedirectStep::TooMany;
  return RedirectStep::Follow;
}

bool is_absolute_url(std::string_view location) {
  // RFC 3986 scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
  if (location.empty() || !std::isalpha(static_cast<unsigned char>(location[0]))) return false;
  for (char c : location.substr(1)) {
    if (c == ':') return true;
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.')
      return false;
  }
  return false;
}

std::string request_failure(const std::string& url, const std::string& cause) {
  return "Get \"" + url + "\": " + cause;
}

std::string deadline_cause(bool headers_received) {
  return headers_received
             ? "context deadline exceeded (Client.Timeout or context cancellation while reading "
               "body)"
             : "context deadline exceeded (Client.Timeout exceeded while awaiting headers)";
}

std::string dial_cause(const std::string& host_port, std::string os_error) {
  // Go spells system errors in lower case ("connection refused"), the C library capitalised.
  if (!os_error.empty())
    os_error[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(os_error[0])));
  return "dial tcp " + host_port + ": connect: " + os_error;
}

}  // namespace kinda::kubelet
