// The load of `scripts/bench net`: one TCP server and its clients, run either as two host
// processes (the reference) or inside two pods (through the pod network supervisor), so the
// same code measures both. Plain blocking sockets: what is timed is the kernel and kinda's
// supervision, not an event loop.
//   net_load serve ADDR PORT              accepts forever; reads each connection to its end
//   net_load connect ADDR PORT SECONDS    connect+close as fast as possible; prints per second
//   net_load bulk ADDR PORT MEGABYTES     one connection; prints MB/s until the server has all
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

sockaddr_in address_of(const char* ip, const char* port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(std::atoi(port)));
  if (::inet_pton(AF_INET, ip, &a.sin_addr) != 1) {
    std::fprintf(stderr, "net_load: bad address %s\n", ip);
    std::exit(2);
  }
  return a;
}

[[noreturn]] void die(const char* what) {
  std::perror(what);
  std::exit(1);
}

int serve(const sockaddr_in& at) {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(s, reinterpret_cast<const sockaddr*>(&at), sizeof at) != 0) die("bind");
  if (::listen(s, 1024) != 0) die("listen");
  std::printf("ready\n");
  std::fflush(stdout);
  std::vector<char> buffer(1 << 18);
  while (true) {
    int c = ::accept(s, nullptr, nullptr);
    if (c < 0) continue;
    while (::read(c, buffer.data(), buffer.size()) > 0) {
    }
    ::close(c);
  }
}

int connect_to(const sockaddr_in& at) {
  int c = ::socket(AF_INET, SOCK_STREAM, 0);
  if (::connect(c, reinterpret_cast<const sockaddr*>(&at), sizeof at) != 0) die("connect");
  return c;
}

int connect_rate(const sockaddr_in& at, double seconds) {
  long count = 0;
  auto start = Clock::now();
  auto until = start + std::chrono::duration<double>(seconds);
  linger reset{1, 0};  // RST on close: no TIME_WAIT to run the ephemeral ports out
  while (Clock::now() < until) {
    int c = connect_to(at);
    ::setsockopt(c, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    ::close(c);
    ++count;
  }
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("%.0f\n", count / elapsed);
  return 0;
}

int bulk(const sockaddr_in& at, long megabytes) {
  std::vector<char> chunk(1 << 18, 'x');
  auto start = Clock::now();
  int c = connect_to(at);
  long left = megabytes << 20;
  while (left > 0) {
    ssize_t n = ::write(c, chunk.data(), std::min<long>(left, static_cast<long>(chunk.size())));
    if (n <= 0) die("write");
    left -= n;
  }
  ::shutdown(c, SHUT_WR);
  char byte;
  while (::read(c, &byte, 1) > 0) {  // the server closes once it has read everything
  }
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("%.0f\n", static_cast<double>(megabytes) / elapsed);
  ::close(c);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: net_load serve|connect|bulk ADDR PORT [SECONDS|MEGABYTES]\n");
    return 2;
  }
  const std::string mode = argv[1];
  auto at = address_of(argv[2], argv[3]);
  if (mode == "serve") return serve(at);
  if (argc < 5) return 2;
  if (mode == "connect") return connect_rate(at, std::atof(argv[4]));
  if (mode == "bulk") return bulk(at, std::atol(argv[4]));
  return 2;
}
