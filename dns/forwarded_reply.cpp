#include "dns/forwarded_reply.hpp"

#include <algorithm>

#include "dns/responder.hpp"
#include "dns/wire_reader.hpp"
#include "dns/wire_writer.hpp"

namespace kinda::dns {

namespace {

// Header and question only, with our OPT record when the client spoke EDNS.
std::vector<uint8_t> question_only_reply(const ForwardedQuery& query, Header header) {
  WireWriter writer;
  writer.question(query.question);
  header.id = query.header.id;
  header.qr = true;
  header.qdcount = 1;
  header.ancount = header.nscount = header.arcount = 0;
  if (query.edns) {
    writer.opt(kEdnsUdpSize, 0);
    header.arcount = 1;
  }
  writer.header(header);
  return std::move(writer).take();
}

}  // namespace

std::optional<ForwardedQuery> read_forwarded_query(std::span<const uint8_t> query,
                                                   size_t transport_limit) {
  const Result<Message> message = parse_message(query);
  if (!message || message->header.qr || message->questions.size() != 1) return std::nullopt;
  ForwardedQuery out;
  out.header = message->header;
  out.question = message->questions.front();
  out.limit = std::max(transport_limit, kClassicUdpSize);
  for (const ParsedRecord& record : message->additional) {
    if (record.type != rtype::kOPT) continue;
    out.edns = true;
    out.limit = std::max<size_t>(out.limit, record.klass);  // the OPT class is the payload size
  }
  out.limit = std::min(out.limit, kMaxMessageSize);
  return out;
}

std::vector<uint8_t> relay_reply(const ForwardedQuery& query,
                                 std::span<const uint8_t> upstream_reply) {
  if (upstream_reply.size() < kHeaderSize) return servfail_reply(query);
  if (upstream_reply.size() > query.limit) {
    Header header = WireReader(upstream_reply).header();
    header.tc = true;
    return question_only_reply(query, header);
  }
  std::vector<uint8_t> reply(upstream_reply.begin(), upstream_reply.end());
  reply[0] = static_cast<uint8_t>(query.header.id >> 8);
  reply[1] = static_cast<uint8_t>(query.header.id);
  return reply;
}

std::vector<uint8_t> servfail_reply(const ForwardedQuery& query) {
  Header header;
  header.opcode = query.header.opcode;
  header.rd = query.header.rd;
  header.cd = query.header.cd;
  header.ra = true;
  header.rcode = rcode::kServFail;
  return question_only_reply(query, header);
}

}  // namespace kinda::dns
