#include "kubelet/prober/http_prober.hpp"

#include <strings.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include <curl/curl.h>

#include "kubelet/prober/curl_asio.hpp"
#include "kubelet/prober/http_probe_outcome.hpp"

namespace kinda::kubelet {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct CurlDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};

struct UrlParts {
  std::string host;  // without IPv6 brackets
  int port = 0;
};

UrlParts url_parts(const std::string& url) {
  UrlParts parts;
  std::unique_ptr<CURLU, CurlDeleter> parsed(curl_url());
  if (curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return parts;
  char* value = nullptr;
  if (curl_url_get(parsed.get(), CURLUPART_HOST, &value, 0) == CURLUE_OK) {
    parts.host = value;
    curl_free(value);
  }
  if (parts.host.size() > 1 && parts.host.front() == '[')
    parts.host = parts.host.substr(1, parts.host.size() - 2);
  if (curl_url_get(parsed.get(), CURLUPART_PORT, &value, CURLU_DEFAULT_PORT) == CURLUE_OK) {
    parts.port = std::atoi(value);
    curl_free(value);
  }
  return parts;
}

// One probe: its first request and the redirects it follows, each a fresh easy handle. Owned by
// the completion callback of the request in flight.
class HttpProbeAttempt : public std::enable_shared_from_this<HttpProbeAttempt> {
 public:
  HttpProbeAttempt(boost::asio::io_context& io, HttpProbeRequest request,
                   std::chrono::milliseconds timeout, ProbeDone done)
      : io_(io),
        request_(std::move(request)),
        url_(request_.url),
        deadline_(Clock::now() + std::max(timeout, milliseconds(1))),
        done_(std::move(done)) {}

  void start() { send(true); }

 private:
  void send(bool with_host_header) {
    auto budget = std::chrono::duration_cast<milliseconds>(deadline_ - Clock::now());
    // The first request always goes out, so done never runs inside http_probe().
    if (requests_ == 0) budget = std::max(budget, milliseconds(1));
    if (budget <= milliseconds(0))
      return finish(false, request_failure(url_, deadline_cause(false)));
    ++requests_;
    body_.clear();
    body_full_ = false;
    errors_[0] = '\0';
    headers_.reset(header_list(with_host_header));
    easy_.reset(curl_easy_init());
    CURL* easy = easy_.get();
    curl_easy_setopt(easy, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(budget.count()));
    // The kubelet's prober ignores proxy settings, keeps no connections alive, trusts any
    // certificate, and sends the path as written.
    curl_easy_setopt(easy, CURLOPT_PROXY, "");
    curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
    curl_easy_setopt(easy, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers_.get());
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &HttpProbeAttempt::on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errors_);
    curl_perform_async(io_, easy,
                       [self = shared_from_this()](CURLcode result) { self->on_done(result); });
  }

  curl_slist* header_list(bool with_host_header) const {
    curl_slist* list = nullptr;
    auto add = [&list](const std::string& line) { list = curl_slist_append(list, line.c_str()); };
    if (with_host_header && !request_.host_header.empty()) add("Host: " + request_.host_header);
    bool accept = false, connection = false;
    for (const auto& h : request_.headers) {
      accept |= strcasecmp(h.name.c_str(), "Accept") == 0;
      connection |= strcasecmp(h.name.c_str(), "Connection") == 0;
      // "Name;" is how curl is told to send a header with an empty value.
      add(h.value.empty() ? h.name + ";" : h.name + ": " + h.value);
    }
    if (!accept) add("Accept:");  // the user asked for none; curl would add its own
    if (!connection) add("Connection: close");
    return list;
  }

  static size_t on_body(char* data, size_t size, size_t count, void* self_pointer) {
    auto& self = *static_cast<HttpProbeAttempt*>(self_pointer);
    size_t length = size * count;
    size_t room = kMaxProbeBody - self.body_.size();
    self.body_.append(data, std::min(length, room));
    if (length <= room) return length;
    // Like the kubelet, stop reading and close the connection; the status decides.
    self.body_full_ = true;
    return 0;
  }

  void on_done(CURLcode result) {
    long status = 0;
    curl_easy_getinfo(easy_.get(), CURLINFO_RESPONSE_CODE, &status);
    if (result != CURLE_OK && !(result == CURLE_WRITE_ERROR && body_full_))
      return finish(false, request_failure(url_, transport_cause(result, status != 0)));
    char* target = nullptr;
    if (is_followed_redirect(status) &&
        curl_easy_getinfo(easy_.get(), CURLINFO_REDIRECT_URL, &target) == CURLE_OK && target)
      return redirect(target, status);
    auto verdict = status_verdict(status, body_);
    finish(verdict.success, verdict.message);
  }

  void redirect(std::string target, long status) {
    switch (redirect_step(request_.host, url_parts(target).host, requests_)) {
      case RedirectStep::Stop: {
        auto verdict = status_verdict(status, body_);
        return finish(verdict.success, verdict.message);
      }
      case RedirectStep::TooMany:
        return finish(false, request_failure(target, "stopped after 10 redirects"));
      case RedirectStep::Follow:
        break;
    }
    // Go's client keeps a Host override only through a relative Location.
    curl_header* location = nullptr;
    bool relative =
        curl_easy_header(easy_.get(), "Location", 0, CURLH_HEADER, -1, &location) == CURLHE_OK &&
        !is_absolute_url(location->value);
    url_ = std::move(target);
    send(relative);
  }

  std::string transport_cause(CURLcode result, bool headers_received) const {
    switch (result) {
      case CURLE_OPERATION_TIMEDOUT:
        return deadline_cause(headers_received);
      case CURLE_COULDNT_CONNECT: {
        long os_errno = 0;
        curl_easy_getinfo(easy_.get(), CURLINFO_OS_ERRNO, &os_errno);
        auto parts = url_parts(url_);
        if (os_errno != 0)
          return dial_cause(join_host_port(parts.host, parts.port),
                            std::system_category().message(static_cast<int>(os_errno)));
        break;
      }
      case CURLE_COULDNT_RESOLVE_HOST:
        return "dial tcp: lookup " + url_parts(url_).host + ": no such host";
      case CURLE_GOT_NOTHING:
        return "EOF";
      default:
        break;
    }
    return errors_[0] ? errors_ : curl_easy_strerror(result);
  }

  void finish(bool success, std::string message) {
    if (auto done = std::exchange(done_, nullptr)) done(success, std::move(message));
  }

  boost::asio::io_context& io_;
  HttpProbeRequest request_;
  std::string url_;  // of the request in flight
  Clock::time_point deadline_;
  ProbeDone done_;
  int requests_ = 0;
  std::unique_ptr<CURL, CurlDeleter> easy_;
  std::unique_ptr<curl_slist, CurlDeleter> headers_;
  std::string body_;  // at most kMaxProbeBody
  bool body_full_ = false;
  char errors_[CURL_ERROR_SIZE] = {};
};

}  // namespace

void http_probe(boost::asio::io_context& io, HttpProbeRequest request,
                std::chrono::milliseconds timeout, ProbeDone done) {
  std::make_shared<HttpProbeAttempt>(io, std::move(request), timeout, std::move(done))->start();
}

}  // namespace kinda::kubelet
