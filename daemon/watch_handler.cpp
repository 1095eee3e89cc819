#include "daemon/watch_handler.hpp"

#include <utility>

#include <boost/asio.hpp>

#include "api/object.hpp"
#include "daemon/table_response.hpp"

namespace kinda::daemon {
namespace {

using nlohmann::json;

// A client that asked for Tables (kubectl get -w) gets each object as a one-row Table.
std::string event_line(const char* type, const json& object, WatchTables* tables = nullptr) {
  return json{{"type", type}, {"object", tables ? tables->convert(type, object) : object}}.dump() +
         "\n";
}

// Keeps the store subscription and the timeout timer alive exactly as long as the client stays.
struct WatchState {
  storage::Subscription subscription;
  std::unique_ptr<boost::asio::steady_timer> timer;
};

}  // namespace

Reply watch_reply(boost::asio::io_context& io, ObjectService& objects,
                  const api::ResourceInfo& resource, const std::string& ns, ListOptions options,
                  const Request& request) {
  if (auto ok = ObjectService::matches(json::object(), options); !ok)
    return Reply{Response::error(ok.error()), nullptr};
  std::string rv_text = request.param("resourceVersion");
  int64_t after = 0;
  bool replay_current = rv_text.empty() || rv_text == "0";
  if (!replay_current) {
    try {
      after = std::stoll(rv_text);
    } catch (...) {
      return Reply{
          Response::error(Error::bad_request("invalid resourceVersion \"" + rv_text + "\"")),
          nullptr};
    }
  }
  auto table = table_request(request);
  if (!table) return Reply{Response::error(table.error()), nullptr};
  std::shared_ptr<WatchTables> tables;
  if (*table) tables = std::make_shared<WatchTables>(**table, resource);
  int timeout_seconds = 0;
  try {
    timeout_seconds = std::stoi(request.param("timeoutSeconds", "0"));
  } catch (...) {
  }
  std::string scope_ns = resource.namespaced ? ns : "";
  auto wanted = [resource, scope_ns, options](const storage::WatchEvent& e) {
    if (e.resource != resource.plural) return false;
    if (!scope_ns.empty() && api::namespace_of(e.object) != scope_ns) return false;
    auto ok = ObjectService::matches(e.object, options);
    return ok && *ok;
  };

  Reply reply;
  reply.stream = [&io, &objects, resource, scope_ns, options, replay_current, after,
                  timeout_seconds, wanted, tables](std::shared_ptr<Stream> stream) {
    auto& store = objects.store();
    if (replay_current) {
      auto current = objects.list(resource, scope_ns, options);
      if (current)
        for (const auto& obj : *current) stream->write(event_line("ADDED", obj, tables.get()));
    } else {
      auto backlog = store.events_since(after, resource.plural);
      if (!backlog) {
        stream->write(event_line("ERROR", backlog.error().to_status()));
        stream->finish();
        return;
      }
      for (const auto& e : *backlog)
        if (wanted(e))
          stream->write(event_line(storage::to_string(e.type), e.object, tables.get()));
    }
    // The daemon is single-threaded, so nothing is committed between the backlog and this.
    auto state = std::make_shared<WatchState>();
    std::weak_ptr<Stream> weak = stream;
    state->subscription = store.subscribe([weak, wanted, tables](const storage::WatchEvent& e) {
      auto s = weak.lock();
      if (s && !s->closed() && wanted(e))
        s->write(event_line(storage::to_string(e.type), e.object, tables.get()));
    });
    if (timeout_seconds > 0) {
      state->timer =
          std::make_unique<boost::asio::steady_timer>(io, std::chrono::seconds(timeout_seconds));
      state->timer->async_wait([weak](boost::system::error_code ec) {
        if (auto s = weak.lock(); s && !ec) s->finish();
      });
    }
    stream->on_close([state]() mutable {
      state->subscription = storage::Subscription{};
      if (state->timer) state->timer->cancel();
    });
  };
  return reply;
}

}  // namespace kinda::daemon
