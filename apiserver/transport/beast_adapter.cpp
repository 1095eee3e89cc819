#include "apiserver/transport/beast_adapter.hpp"

#include <string_view>

#include <boost/beast/websocket/rfc6455.hpp>

#include "apiserver/transport/media_types.hpp"

namespace kinda::apiserver {
namespace {

namespace http = boost::beast::http;

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
      };
      int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i] == '+' ? ' ' : s[i]);
  }
  return out;
}

}  // namespace

Response unreadable_request(boost::beast::error_code ec) {
  if (ec == http::error::body_limit)
    return Response::error(
        Error{413,
              "RequestEntityTooLarge",
              "Request entity too large: limit is " + std::to_string(kMaxBodyBytes),
              {}});
  if (ec == http::error::header_limit)
    return Response::error(Error{
        431, "RequestHeaderFieldsTooLarge", "the request line and headers are too large", {}});
  return Response::error(Error::bad_request("malformed HTTP request: " + ec.message()));
}

Response unauthorized() {
  return Response::error(Error{401, "Unauthorized", "Unauthorized", {}});
}

Request to_request(const http::request<http::string_body>& raw) {
  Request req;
  req.method = std::string(raw.method_string());
  std::string_view target(raw.target().data(), raw.target().size());
  auto q = target.find('?');
  req.path = percent_decode(target.substr(0, q));
  if (q != std::string_view::npos) {
    std::string_view query = target.substr(q + 1);
    while (!query.empty()) {
      auto amp = query.find('&');
      auto pair = query.substr(0, amp);
      auto eq = pair.find('=');
      if (!pair.empty()) {
        auto key = percent_decode(pair.substr(0, eq));
        auto value = eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1));
        req.query[key] = value;
        req.query_list.emplace_back(std::move(key), std::move(value));
      }
      if (amp == std::string_view::npos) break;
      query.remove_prefix(amp + 1);
    }
  }
  req.websocket = boost::beast::websocket::is_upgrade(raw);
  for (auto field = raw.find(http::field::sec_websocket_protocol);
       field != raw.end() && field->name() == http::field::sec_websocket_protocol; ++field)
    for (auto& protocol :
         header_list(std::string_view(field->value().data(), field->value().size())))
      req.websocket_protocols.push_back(std::move(protocol));
  req.content_type = std::string(raw[http::field::content_type]);
  req.accept = std::string(raw[http::field::accept]);
  req.body = raw.body();
  return req;
}

}  // namespace kinda::apiserver
