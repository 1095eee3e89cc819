#include "dns/responder.hpp"

#include <algorithm>
#include <optional>

#include "dns/wire_reader.hpp"
#include "dns/wire_writer.hpp"

namespace kinda::dns {

namespace {

constexpr size_t kOptSize = 11;  // root owner, type, class, TTL, empty RDATA

struct Edns {
  uint16_t udp_size = 0;
  uint8_t version = 0;
};

Header reply_header(const Header& query) {
  Header h;
  h.id = query.id;
  h.qr = true;
  h.opcode = query.opcode;
  h.rd = query.rd;
  h.cd = query.cd;
  return h;
}

class Reply {
 public:
  Reply(const Header& query_header, std::optional<Edns> edns, size_t max_size)
      : header_(reply_header(query_header)), edns_(edns) {
    limit_ = std::max(max_size, kClassicUdpSize);
    if (edns_) {
      const size_t requested = std::clamp<size_t>(edns_->udp_size, kClassicUdpSize, kEdnsUdpSize);
      limit_ = std::max(limit_, requested) - kOptSize;
    }
    limit_ = std::min(limit_, kMaxMessageSize);
  }

  std::vector<uint8_t> error(uint16_t code, const Question* question) && {
    Resolution resolution;
    resolution.rcode = code;
    return std::move(*this).encode(question, resolution);
  }

  // Answer and authority go whole or not at all (then TC tells the client to retry over TCP);
  // additional records are a courtesy and are dropped one by one when they do not fit.
  std::vector<uint8_t> encode(const Question* question, const Resolution& resolution) && {
    header_.aa = resolution.authoritative;
    header_.rcode = resolution.rcode & 0xF;
    if (question) {
      writer_.question(*question);
      header_.qdcount = 1;
    }
    const size_t after_question = writer_.size();
    for (const ResourceRecord& r : resolution.answers) writer_.record(r);
    for (const ResourceRecord& r : resolution.authority) writer_.record(r);
    if (writer_.size() > limit_) {
      writer_.truncate(after_question);
      header_.tc = true;
    } else {
      header_.ancount = static_cast<uint16_t>(resolution.answers.size());
      header_.nscount = static_cast<uint16_t>(resolution.authority.size());
      for (const ResourceRecord& r : resolution.additional) {
        const size_t before = writer_.size();
        writer_.record(r);
        if (writer_.size() > limit_) {
          writer_.truncate(before);
          break;
        }
        ++header_.arcount;
      }
    }
    if (edns_) {
      writer_.opt(kEdnsUdpSize, static_cast<uint8_t>(resolution.rcode >> 4));
      ++header_.arcount;
    }
    writer_.header(header_);
    return std::move(writer_).take();
  }

 private:
  Header header_;
  std::optional<Edns> edns_;
  size_t limit_;
  WireWriter writer_;
};

}  // namespace

std::vector<uint8_t> respond(std::span<const uint8_t> query, size_t max_size,
                             const Resolver& resolve) {
  if (query.size() < kHeaderSize) return {};
  const Header header = WireReader(query).header();
  if (header.qr) return {};  // never answer a response: two servers could ping-pong forever

  const Result<Message> message = parse_message(query);
  if (!message) return Reply(header, std::nullopt, max_size).error(rcode::kFormErr, nullptr);

  std::optional<Edns> edns;
  for (const ParsedRecord& record : message->additional) {
    if (record.type != rtype::kOPT) continue;
    if (edns || !record.name.labels.empty())  // RFC 6891 §6.1.1: one OPT, owned by the root
      return Reply(header, std::nullopt, max_size).error(rcode::kFormErr, nullptr);
    edns = Edns{record.klass, static_cast<uint8_t>(record.ttl >> 16)};
  }
  Reply reply(header, edns, max_size);
  const Question* question = message->questions.size() == 1 ? &message->questions[0] : nullptr;
  if (header.opcode != kOpcodeQuery) return std::move(reply).error(rcode::kNotImp, question);
  if (!question) return std::move(reply).error(rcode::kFormErr, nullptr);
  if (edns && edns->version != 0) return std::move(reply).error(rcode::kBadVers, question);
  if (question->type == rtype::kAXFR || question->type == rtype::kIXFR)
    return std::move(reply).error(rcode::kRefused, question);
  if (question->klass != rclass::kIN && question->klass != rclass::kANY)
    return std::move(reply).error(rcode::kRefused, question);
  return std::move(reply).encode(question, resolve(*question));
}

}  // namespace kinda::dns
