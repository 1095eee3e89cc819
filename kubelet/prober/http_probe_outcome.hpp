// How the kubelet judges an httpGet attempt: a 2xx status succeeds, a 3xx it did not follow
// succeeds with a warning, anything else fails; which redirects it follows; and the failure
// messages its Go HTTP client produces. Pure: no I/O.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kinda::kubelet {

// The kubelet reads at most this much of a response body and then closes the connection.
inline constexpr size_t kMaxProbeBody = 10 * 1024;
// Go's HTTP client gives up when the 10th response is still a redirect.
inline constexpr int kMaxProbeRequests = 10;

struct ProbeVerdict {
  bool success = false;
  std::string message;  // empty on a plain success; the warning or the failure otherwise
};

ProbeVerdict status_verdict(long status, std::string_view body);

// Statuses whose Location the client follows (others, like 300 or 304, are final).
bool is_followed_redirect(long status);

enum class RedirectStep { Follow, Stop, TooMany };
// Stop: the target leaves the probed host, so the redirect response itself is the result (the
// kubelet's rule against probing arbitrary hosts); TooMany after kMaxProbeRequests requests.
RedirectStep redirect_step(std::string_view probed_host, std::string_view target_host,
                           int requests_made);

// Whether a Location value carries its own scheme; only a relative one keeps the Host header.
bool is_absolute_url(std::string_view location);

// `Get "<url>": <cause>`, as Go's url.Error prints a failed request.
std::string request_failure(const std::string& url, const std::string& cause);
// The cause when the probe's timeout ran out, before or after the response headers arrived.
std::string deadline_cause(bool headers_received);
// "dial tcp 127.0.0.1:8080: connect: connection refused" from the system's error text.
std::string dial_cause(const std::string& host_port, std::string os_error);

}  // namespace kinda::kubelet
