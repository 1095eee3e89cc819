// Between Beast's parsed messages and the daemon's plain Request/Response: decoding the target,
// and the answers for requests that never reach a route (unreadable, oversized, unauthorized).
#pragma once

#include <cstddef>

#include <boost/beast/http.hpp>

#include "apiserver/transport/http_types.hpp"

namespace kinda::apiserver {

constexpr size_t kMaxBodyBytes = 8 * 1024 * 1024;

Request to_request(const boost::beast::http::request<boost::beast::http::string_body>& raw);
// The answer to a request Beast could not read, in the API server's words where it has them.
Response unreadable_request(boost::beast::error_code ec);
// 401 as the API server sends it to a request without valid credentials; kubectl prints
// "error: You must be logged in to the server (Unauthorized)" for it.
Response unauthorized();

}  // namespace kinda::apiserver
