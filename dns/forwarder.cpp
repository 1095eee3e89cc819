#include "dns/forwarder.hpp"

#include <ares.h>

#include <spdlog/spdlog.h>

#include "dns/ares_channel.hpp"
#include "dns/forwarded_reply.hpp"

namespace kinda::dns {

namespace {

std::string server_list(const std::vector<UpstreamServer>& servers) {
  std::string out;
  for (const UpstreamServer& server : servers)
    out += (out.empty() ? "" : ", ") + server.to_string();
  return out;
}

}  // namespace

Result<std::unique_ptr<Forwarder>> Forwarder::open(boost::asio::io_context& io,
                                                   ForwarderOptions options) {
  AresChannelOptions channel_options;
  channel_options.servers = options.servers;
  channel_options.timeout = options.timeout;
  channel_options.tries = options.tries;
  channel_options.keep_sockets_open = true;
  auto channel = AresChannel::open(io, channel_options);
  if (!channel) return channel.error();
  return std::unique_ptr<Forwarder>(new Forwarder(std::move(options), std::move(*channel)));
}

Forwarder::Forwarder(ForwarderOptions options, std::unique_ptr<AresChannel> channel)
    : options_(std::move(options)), channel_(std::move(channel)) {}

Forwarder::~Forwarder() = default;

void Forwarder::forward(std::span<const uint8_t> query, size_t transport_limit,
                        ReplyHandler reply) {
  std::optional<ForwardedQuery> client_query = read_forwarded_query(query, transport_limit);
  if (!client_query) return reply({});
  if (outstanding_ >= options_.max_outstanding) {
    if (!full_reported_)
      spdlog::warn("DNS forwarding: {} queries already wait for {}; answering SERVFAIL",
                   outstanding_, server_list(options_.servers));
    full_reported_ = true;
    return reply(servfail_reply(*client_query));
  }
  ++outstanding_;
  // The channel belongs to this forwarder and drops its completions when destroyed, so `this`
  // outlives every completion that runs.
  channel_->send(query, [this, client = std::move(*client_query), reply = std::move(reply)](
                            int status, std::span<const uint8_t> upstream_reply) {
    if (--outstanding_ == 0) full_reported_ = false;
    note_outcome(status, client);
    reply(status == ARES_SUCCESS ? relay_reply(client, upstream_reply) : servfail_reply(client));
  });
}

void Forwarder::note_outcome(int status, const ForwardedQuery& query) {
  if (status == ARES_SUCCESS) {
    if (failure_reported_) spdlog::info("DNS forwarding: {} answer again", server_list(servers()));
    failure_reported_ = false;
    return;
  }
  // One line when the upstream starts failing, not one per query.
  if (!failure_reported_)
    spdlog::warn("DNS forwarding: {} {} via {} failed ({}); answering SERVFAIL",
                 query.question.name.to_string(), type_name(query.question.type),
                 server_list(servers()), ares_strerror(status));
  failure_reported_ = true;
}

}  // namespace kinda::dns
