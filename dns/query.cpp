#include "dns/query.hpp"

#include "dns/wire_writer.hpp"

namespace kinda::dns {

std::vector<uint8_t> build_query(const Question& question, const QueryOptions& options) {
  WireWriter writer;
  writer.question(question);
  Header header;
  header.id = options.id;
  header.rd = options.recursion_desired;
  header.qdcount = 1;
  if (options.edns_udp_size) {
    writer.opt(*options.edns_udp_size, 0);
    header.arcount = 1;
  }
  writer.header(header);
  return std::move(writer).take();
}

}  // namespace kinda::dns
