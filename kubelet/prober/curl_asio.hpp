// Runs libcurl transfers on an io_context's own thread, never blocking it and never polling: each
// io_context gets one curl multi handle whose sockets asio watches and whose timer asio keeps, and
// every wake-up hands control back to curl through curl_multi_socket_action.
#pragma once

#include <functional>

#include <curl/curl.h>

namespace boost::asio {
class io_context;
}

namespace kinda::kubelet {

// Starts `easy` (fully configured by the caller) on io's multi handle. `done` runs later on the
// io_context with curl's result, once `easy` is detached again, so `done` may own and free it.
// If the io_context is destroyed first, `easy` is detached and `done` destroyed without running.
void curl_perform_async(boost::asio::io_context& io, CURL* easy,
                        std::function<void(CURLcode)> done);

}  // namespace kinda::kubelet
