#include "cli/dns_check.hpp"

#include <ares.h>
#include <arpa/nameser.h>
#include <sys/select.h>

namespace kinda::cli {
namespace {

// c-ares' library state, set up once for the process.
struct AresLibrary {
  AresLibrary() { ok = ares_library_init(ARES_LIB_INIT_ALL) == ARES_SUCCESS; }
  ~AresLibrary() { ares_library_cleanup(); }
  bool ok = false;
};

}  // namespace

bool dns_answers(const std::string& address, int port, const std::string& name,
                 std::chrono::milliseconds timeout) {
  static AresLibrary library;
  if (!library.ok) return false;
  ares_channel channel;
  ares_options options{};
  options.timeout = static_cast<int>(timeout.count());
  options.tries = 1;
  if (ares_init_options(&channel, &options, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES) != ARES_SUCCESS)
    return false;
  std::string server = address + ":" + std::to_string(port);
  bool answered = false;
  if (ares_set_servers_ports_csv(channel, server.c_str()) == ARES_SUCCESS) {
    ares_query(
        channel, name.c_str(), ns_c_in, ns_t_txt,
        [](void* arg, int status, int, unsigned char*, int) {
          // Any reply from the server counts, NXDOMAIN included; only silence is a failure.
          *static_cast<bool*>(arg) = status != ARES_ETIMEOUT && status != ARES_ECONNREFUSED &&
                                     status != ARES_EDESTRUCTION && status != ARES_ECANCELLED;
        },
        &answered);
    while (true) {
      fd_set read_fds, write_fds;
      FD_ZERO(&read_fds);
      FD_ZERO(&write_fds);
      int nfds = ares_fds(channel, &read_fds, &write_fds);
      if (nfds == 0) break;
      timeval tv{}, *tvp = ares_timeout(channel, nullptr, &tv);
      select(nfds, &read_fds, &write_fds, nullptr, tvp);
      ares_process(channel, &read_fds, &write_fds);
    }
  }
  ares_destroy(channel);
  return answered;
}

}  // namespace kinda::cli
