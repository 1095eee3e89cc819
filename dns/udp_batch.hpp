// Datagrams a batch at a time: one recvmmsg fills up to kUdpBatch query buffers with their
// senders, one sendmmsg sends the replies, so a busy resolver makes two system calls per batch
// instead of two per query. Plain buffers and kernel headers; no Asio, no DNS.
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace kinda::dns {

inline constexpr size_t kUdpBatch = 32;
// Larger queries are not DNS a stub sends (a question is at most 255 octets of name plus a few
// EDNS options); they arrive truncated and are dropped.
inline constexpr size_t kMaxUdpQuery = 4096;

class UdpBatch {
 public:
  UdpBatch();
  UdpBatch(const UdpBatch&) = delete;
  UdpBatch& operator=(const UdpBatch&) = delete;

  // Receives what is queued on `fd` without blocking, up to kUdpBatch datagrams. Returns how
  // many, 0 when none is waiting, or -errno.
  int receive(int fd);
  // The i-th datagram received; empty when it was cut short (longer than kMaxUdpQuery).
  std::span<const uint8_t> query(size_t i) const;
  const sockaddr_storage& sender(size_t i) const { return senders_[i]; }
  socklen_t sender_length(size_t i) const { return headers_[i].msg_hdr.msg_namelen; }

  // Queues `reply` for the i-th datagram's sender; send() passes them all to the kernel.
  void reply(size_t i, std::vector<uint8_t> reply);
  // Sends the queued replies without blocking and clears the queue. Returns the replies the
  // kernel did not take (a full socket buffer), with their senders' indexes, for a slower path.
  std::vector<std::pair<size_t, std::vector<uint8_t>>> send(int fd);

 private:
  std::array<std::array<uint8_t, kMaxUdpQuery>, kUdpBatch> buffers_;
  std::array<sockaddr_storage, kUdpBatch> senders_;
  std::array<iovec, kUdpBatch> query_iov_;
  std::array<mmsghdr, kUdpBatch> headers_;
  std::vector<std::pair<size_t, std::vector<uint8_t>>> replies_;
  std::array<iovec, kUdpBatch> reply_iov_;
  std::array<mmsghdr, kUdpBatch> reply_headers_;
};

}  // namespace kinda::dns
