#include "dns/udp_batch.hpp"

#include <cerrno>
#include <cstring>

namespace kinda::dns {

UdpBatch::UdpBatch() {
  replies_.reserve(kUdpBatch);
}

int UdpBatch::receive(int fd) {
  for (size_t i = 0; i < kUdpBatch; ++i) {
    query_iov_[i] = {buffers_[i].data(), buffers_[i].size()};
    std::memset(&headers_[i], 0, sizeof headers_[i]);
    headers_[i].msg_hdr.msg_name = &senders_[i];
    headers_[i].msg_hdr.msg_namelen = sizeof senders_[i];
    headers_[i].msg_hdr.msg_iov = &query_iov_[i];
    headers_[i].msg_hdr.msg_iovlen = 1;
  }
  const int received = ::recvmmsg(fd, headers_.data(), kUdpBatch, MSG_DONTWAIT, nullptr);
  if (received >= 0) return received;
  return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
}

std::span<const uint8_t> UdpBatch::query(size_t i) const {
  if (headers_[i].msg_hdr.msg_flags & MSG_TRUNC) return {};
  return {buffers_[i].data(), headers_[i].msg_len};
}

void UdpBatch::reply(size_t i, std::vector<uint8_t> reply) {
  if (!reply.empty()) replies_.emplace_back(i, std::move(reply));
}

std::vector<std::pair<size_t, std::vector<uint8_t>>> UdpBatch::send(int fd) {
  const size_t count = replies_.size();
  for (size_t n = 0; n < count; ++n) {
    auto& [i, bytes] = replies_[n];
    reply_iov_[n] = {bytes.data(), bytes.size()};
    std::memset(&reply_headers_[n], 0, sizeof reply_headers_[n]);
    reply_headers_[n].msg_hdr.msg_name = &senders_[i];
    reply_headers_[n].msg_hdr.msg_namelen = headers_[i].msg_hdr.msg_namelen;
    reply_headers_[n].msg_hdr.msg_iov = &reply_iov_[n];
    reply_headers_[n].msg_hdr.msg_iovlen = 1;
  }
  size_t sent = 0;
  while (sent < count) {
    const int n = ::sendmmsg(fd, reply_headers_.data() + sent, static_cast<unsigned>(count - sent),
                             MSG_DONTWAIT);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
      ++sent;  // this peer fails: skip it
    else
      break;
  }
  std::vector<std::pair<size_t, std::vector<uint8_t>>> left(
      std::make_move_iterator(replies_.begin() + static_cast<long>(sent)),
      std::make_move_iterator(replies_.end()));
  replies_.clear();
  return left;
}

}  // namespace kinda::dns
