// Serves a container's log file over the API: the whole file or its last N lines, and with
// follow=true keeps streaming what the container appends until it stops or the client leaves.
#pragma once

#include <filesystem>
#include <functional>

#include "apiserver/transport/http_types.hpp"

namespace boost::asio {
class io_context;
}

namespace kinda::kubelet {

// `still_writing` tells a follower whether more output may come (the container run is live).
apiserver::Reply log_reply(boost::asio::io_context& io, const std::filesystem::path& file,
                           long long tail_lines, bool follow, std::function<bool()> still_writing);

// The last `lines` lines of `text` (all of it when lines < 0).
std::string last_lines(const std::string& text, long long lines);

}  // namespace kinda::kubelet
