// One httpGet probe attempt made as the kubelet's HTTP prober makes it, over libcurl on the
// io_context (see curl_asio.hpp): no TLS verification, no proxy, no connection reuse, redirects
// followed only within the probed host, at most kMaxProbeBody of a body read, and the whole
// attempt, redirects included, bounded by the probe's timeout.
#pragma once

#include <chrono>

#include "kubelet/prober/http_probe_request.hpp"
#include "kubelet/prober/probes.hpp"

namespace boost::asio {
class io_context;
}

namespace kinda::kubelet {

// done runs once, later, on the io_context; never if the io_context is destroyed first.
void http_probe(boost::asio::io_context& io, HttpProbeRequest request,
                std::chrono::milliseconds timeout, ProbeDone done);

}  // namespace kinda::kubelet
