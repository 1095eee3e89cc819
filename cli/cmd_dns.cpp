// kinda dns NAME [--type T] [-n NS] [--tcp]: asks the cluster's resolver through c-ares as a pod
// in namespace NS would (search path, ndots 5) and prints the answer the way `dig +short` does.
// No answer: nothing on stdout, the reason on stderr, exit status 1.
#include <ares.h>

#include <boost/asio/io_context.hpp>

#include <iostream>
#include <optional>
#include <random>

#include "cli/cluster_commands.hpp"
#include "cli/commands.hpp"
#include "cli/dns_lookup.hpp"
#include "cli/session.hpp"
#include "dns/ares_channel.hpp"
#include "dns/query.hpp"
#include "dns/responder.hpp"
#include "dns/wire_reader.hpp"
#include "storage/cluster_home.hpp"

namespace kinda::cli {
namespace {

constexpr std::chrono::milliseconds kTryTimeout{3000};
constexpr int kTries = 2;

struct DnsOptions {
  std::string name;
  std::string type;
  bool tcp = false;
};

struct Reply {
  DnsAttempt attempt;
  std::vector<std::string> records;  // presentation form of each answer's RDATA
};

std::string rcode_failure(uint8_t rcode) {
  switch (rcode) {
    case dns::rcode::kFormErr:
      return "FORMERR";
    case dns::rcode::kServFail:
      return "SERVFAIL";
    case dns::rcode::kNotImp:
      return "NOTIMP";
    case dns::rcode::kRefused:
      return "REFUSED";
    default:
      return "RCODE" + std::to_string(rcode);
  }
}

// One question to the resolver; runs the io_context until the reply or c-ares gives up.
Reply ask(boost::asio::io_context& io, dns::AresChannel& channel, const std::string& name,
          uint16_t type) {
  Reply reply;
  reply.attempt.name = name;
  auto parsed_name = dns::Name::parse(name);
  if (!parsed_name) {
    reply.attempt.failure = "not a valid name: " + parsed_name.error().message;
    return reply;
  }
  dns::QueryOptions query_options;
  query_options.id = static_cast<uint16_t>(std::random_device{}());
  query_options.edns_udp_size = dns::kEdnsUdpSize;
  const std::vector<uint8_t> query =
      dns::build_query({*parsed_name, type, dns::rclass::kIN}, query_options);
  bool done = false;
  channel.send(query, [&](int status, std::span<const uint8_t> packet) {
    done = true;
    if (status != ARES_SUCCESS) {
      reply.attempt.failure = std::string("no answer (") + ares_strerror(status) + ")";
      return;
    }
    const Result<dns::Message> message = dns::parse_message(packet);
    if (!message) {
      reply.attempt.failure = "malformed reply: " + message.error().message;
      return;
    }
    const uint8_t rcode = message->header.rcode;
    if (rcode == dns::rcode::kNXDomain) {
      reply.attempt.outcome = DnsAttempt::Outcome::NXDomain;
    } else if (rcode != dns::rcode::kNoError) {
      reply.attempt.failure = rcode_failure(rcode);
    } else if (message->answers.empty()) {
      reply.attempt.outcome = DnsAttempt::Outcome::NoData;
    } else {
      reply.attempt.outcome = DnsAttempt::Outcome::Answered;
      for (const dns::ParsedRecord& record : message->answers)
        reply.records.push_back(record.rdata);
    }
  });
  io.restart();
  while (!done && io.run_one() > 0) {
  }
  if (!done) reply.attempt.failure = "no answer";
  return reply;
}

void run_dns(const GlobalOptions& global, const DnsOptions& options) {
  std::optional<uint16_t> type;
  if (!options.type.empty()) {
    auto parsed = parse_record_type(options.type);
    if (!parsed) fail("error: " + parsed.error().message);
    type = *parsed;
  }
  auto session = open_session(global);
  if (!session) fail(session.error());
  auto status = session->client.get("/kinda/status");
  if (!status)
    fail("error: cluster \"" + storage::cluster_name(global.cluster) +
         "\" is not running (start it with `kinda up`)");
  const auto server = dns::parse_upstream(status->value("dnsListen", ""));
  if (!server) fail("error: the daemon reports no usable DNS address: " + server.error().message);
  const std::string domain = status->value("clusterDomain", "cluster.local");

  // An address alone, or with --type PTR, means its reverse name, as `dig -x` does.
  std::vector<std::string> names;
  const auto reverse = reverse_name(options.name);
  if (reverse && (!type || *type == dns::rtype::kPTR)) {
    type = dns::rtype::kPTR;
    names = {*reverse};
  } else {
    names = search_names(options.name, session->ns, domain);
  }

  boost::asio::io_context io;
  dns::AresChannelOptions channel_options;
  channel_options.servers = {*server};
  channel_options.timeout = kTryTimeout;
  channel_options.tries = kTries;
  channel_options.tcp_only = options.tcp;
  channel_options.relay_error_replies = true;
  auto channel = dns::AresChannel::open(io, channel_options);
  if (!channel) fail("error: " + channel.error().message);

  std::vector<DnsAttempt> attempts;
  for (const std::string& name : names) {
    Reply reply = ask(io, **channel, name, type.value_or(dns::rtype::kA));
    if (reply.attempt.outcome == DnsAttempt::Outcome::Answered) {
      for (const std::string& record : reply.records) std::cout << record << "\n";
      return;
    }
    attempts.push_back(std::move(reply.attempt));
  }
  fail("kinda dns: " + failure_reason(attempts));
}

}  // namespace

void register_dns(CLI::App& app, GlobalOptions& global) {
  auto options = std::make_shared<DnsOptions>();
  auto* cmd = app.add_subcommand(
      "dns",
      "Ask the cluster's DNS about a name, as a pod in the namespace would (like dig +short)");
  cmd->add_option("name", options->name,
                  "A name (relative names use the pod search path) or an IPv4 address")
      ->required();
  cmd->add_option("--type,-t", options->type, "Record type: A, AAAA, SRV, PTR, TXT, SOA or CNAME");
  cmd->add_flag("--tcp", options->tcp, "Ask over TCP instead of UDP");
  cmd->callback([&global, options] { run_dns(global, *options); });
}

}  // namespace kinda::cli
