// What the DNS server tests send with: a plain POSIX socket client with a receive timeout, so a
// missing reply fails a test instead of hanging it; deliberately independent of the server's
// Asio code. Plus query building and parsing shorthands.
#pragma once

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <vector>

#include "dns/query.hpp"
#include "dns/wire_reader.hpp"

namespace dns_test {

// The name most tests ask for.
inline const std::string kRedis0 = "redis-0.redis.default.svc.cluster.local";

class ClientSocket {
 public:
  ClientSocket(int type, uint16_t port) : fd_(::socket(AF_INET, type, 0)) {
    REQUIRE(fd_ >= 0);
    const timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(port);
    server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<const sockaddr*>(&server), sizeof server) == 0);
  }
  ~ClientSocket() { ::close(fd_); }
  ClientSocket(const ClientSocket&) = delete;
  ClientSocket& operator=(const ClientSocket&) = delete;

  void send(const std::vector<uint8_t>& bytes) {
    REQUIRE(::send(fd_, bytes.data(), bytes.size(), 0) == static_cast<ssize_t>(bytes.size()));
  }
  // One datagram, or up to `size` stream bytes; empty on EOF or timeout.
  std::vector<uint8_t> receive(size_t size = 65535) {
    std::vector<uint8_t> buffer(size);
    const ssize_t got = ::recv(fd_, buffer.data(), buffer.size(), 0);
    buffer.resize(got > 0 ? static_cast<size_t>(got) : 0);
    return buffer;
  }
  std::vector<uint8_t> receive_exactly(size_t size) {
    std::vector<uint8_t> out;
    while (out.size() < size) {
      const std::vector<uint8_t> part = receive(size - out.size());
      if (part.empty()) break;
      out.insert(out.end(), part.begin(), part.end());
    }
    return out;
  }
  // One DNS-over-TCP message, its length prefix removed.
  std::vector<uint8_t> receive_framed() {
    const std::vector<uint8_t> length = receive_exactly(2);
    if (length.size() != 2) return {};
    return receive_exactly(static_cast<size_t>(length[0]) << 8 | length[1]);
  }

 private:
  int fd_;
};

inline std::vector<uint8_t> framed(const std::vector<uint8_t>& message) {
  std::vector<uint8_t> out = {static_cast<uint8_t>(message.size() >> 8),
                              static_cast<uint8_t>(message.size())};
  out.insert(out.end(), message.begin(), message.end());
  return out;
}

inline std::vector<uint8_t> query(const std::string& name, uint16_t type = kinda::dns::rtype::kA,
                                  uint16_t id = 1) {
  kinda::dns::QueryOptions options;
  options.id = id;
  return kinda::dns::build_query({*kinda::dns::Name::parse(name), type, kinda::dns::rclass::kIN},
                                 options);
}

inline kinda::dns::Message parsed(const std::vector<uint8_t>& packet) {
  const auto message = kinda::dns::parse_message(packet);
  REQUIRE(message.ok());
  return *message;
}

// Records as dig prints them ("web-0.web.default.svc.cluster.local. 5 IN A 127.64.0.2").
inline std::vector<std::string> strings(const std::vector<kinda::dns::ParsedRecord>& records) {
  std::vector<std::string> out;
  for (const kinda::dns::ParsedRecord& r : records) out.push_back(r.to_string());
  return out;
}

inline std::vector<std::string> answers(const kinda::dns::Message& m) {
  return strings(m.answers);
}

}  // namespace dns_test
