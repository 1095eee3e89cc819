#include "apiserver/endpoints/watch_handler.hpp"

#include <map>
#include <utility>

#include <boost/asio.hpp>

#include "api/object.hpp"
#include "apiserver/endpoints/read_version.hpp"
#include "apiserver/endpoints/table_response.hpp"
#include "apiserver/endpoints/watch_filter.hpp"

namespace kinda::apiserver {
namespace {

using nlohmann::json;

// A client that asked for Tables (kubectl get -w) gets each object as a one-row Table.
std::string event_line(const char* type, const json& object, WatchTables* tables = nullptr) {
  return json{{"type", type}, {"object", tables ? tables->convert(type, object) : object}}.dump() +
         "\n";
}

// A BOOKMARK's object: only the kind and the resourceVersion a client may resume from.
json bookmark(const api::ResourceInfo& r, int64_t revision, bool initial_events_end) {
  json metadata = {{"resourceVersion", std::to_string(revision)}};
  if (initial_events_end) metadata["annotations"] = {{"k8s.io/initial-events-end", "true"}};
  return {{"kind", r.kind}, {"apiVersion", r.api_version()}, {"metadata", metadata}};
}

std::string key_of(const json& object) {
  return api::namespace_of(object) + "/" + api::name_of(object);
}

// One client's watch, alive as long as the client stays: its filter, its subscription to the
// store and its timers.
struct Watch {
  api::ResourceInfo resource;
  std::string ns;  // "" = every namespace
  ListOptions options;
  std::shared_ptr<WatchTables> tables;
  storage::Store* store = nullptr;
  std::weak_ptr<Stream> stream;
  storage::Subscription subscription;
  std::unique_ptr<boost::asio::steady_timer> timeout, bookmarks;

  bool in_scope(const storage::WatchEvent& e) const {
    return e.resource == resource.plural && (ns.empty() || api::namespace_of(e.object) == ns);
  }
  bool matches(const json& object) const {
    auto ok = ObjectService::matches(object, options);
    return ok && *ok;
  }
  void write(const char* type, const json& object) {
    if (auto s = stream.lock(); s && !s->closed()) s->write(event_line(type, object, tables.get()));
  }
  // `previous` is the object before the change, null when unknown.
  void send(const storage::WatchEvent& e, const json& previous) {
    auto out = filter_event(e.type, e.object, previous,
                            [this](const json& object) { return matches(object); });
    if (out) write(out->type, out->object);
  }
};

void schedule_bookmarks(const std::shared_ptr<Watch>& watch, std::chrono::milliseconds period) {
  watch->bookmarks->expires_after(period);
  watch->bookmarks->async_wait(
      [weak = std::weak_ptr<Watch>(watch), period](boost::system::error_code ec) {
        auto w = weak.lock();
        if (!w || ec) return;
        // Delivery is synchronous, so every change up to the store's revision was sent.
        w->write("BOOKMARK", bookmark(w->resource, w->store->revision(), false));
        schedule_bookmarks(w, period);
      });
}

// The changes after `after`, each with the object's state before it when the watch filters (so
// objects leaving the selector become DELETED). Gone (410) when the log is compacted past it.
Status replay_backlog(Watch& watch, int64_t after) {
  auto backlog = watch.store->events_since(after, watch.resource.plural);
  if (!backlog) return backlog.error();
  const bool selective = !watch.options.label_selector.empty();
  std::map<std::string, json> last;  // each object's latest state, from the state at `after`
  if (selective)
    if (auto then = watch.store->list_at(after, watch.resource.plural, watch.ns))
      for (auto& object : *then) {
        std::string key = key_of(object);  // before the move: json's operator= takes by value
        last[key] = std::move(object);
      }
  for (const auto& e : *backlog) {
    if (!watch.in_scope(e)) continue;
    const std::string key = key_of(e.object);
    auto it = last.find(key);
    watch.send(e, it == last.end() ? json() : it->second);
    if (!selective) continue;
    if (e.type == storage::EventType::Deleted)
      last.erase(key);
    else
      last[key] = e.object;
  }
  return Ok{};
}

}  // namespace

Reply watch_reply(boost::asio::io_context& io, ObjectService& objects,
                  const api::ResourceInfo& resource, const std::string& ns, ListOptions options,
                  const Request& request, const WatchSettings& settings) {
  if (auto ok = ObjectService::matches(json::object(), options); !ok)
    return Reply{Response::error(ok.error()), nullptr};
  auto version = read_version_of(request, true);
  if (!version) return Reply{Response::error(version.error()), nullptr};
  auto table = table_request(request);
  if (!table) return Reply{Response::error(table.error()), nullptr};
  int timeout_seconds = 0;
  try {
    timeout_seconds = std::stoi(request.param("timeoutSeconds", "0"));
  } catch (...) {
  }

  auto watch = std::make_shared<Watch>();
  watch->resource = resource;
  watch->ns = resource.namespaced ? ns : "";
  watch->options = std::move(options);
  if (*table) watch->tables = std::make_shared<WatchTables>(**table, resource);
  watch->store = &objects.store();
  const bool bookmarks = request.flag("allowWatchBookmarks");
  const ReadVersion from = *version;
  const bool from_revision = from.kind == ReadVersion::Kind::kNotOlderThan;
  // Without sendInitialEvents, a watch from no version (or "0") starts with the current state;
  // with it, the client says whether it wants that state whatever the version.
  const bool initial_state = from.send_initial_events.value_or(!from_revision);

  Reply reply;
  reply.stream = [&io, &objects, watch, from, from_revision, initial_state, bookmarks,
                  timeout_seconds, settings](std::shared_ptr<Stream> stream) {
    watch->stream = stream;
    auto& store = objects.store();
    const int64_t start = store.revision();
    if (initial_state) {
      if (auto current = objects.list(watch->resource, watch->ns, watch->options))
        for (const auto& obj : *current) watch->write("ADDED", obj);
      if (from.send_initial_events.value_or(false))
        watch->write("BOOKMARK", bookmark(watch->resource, start, true));
    } else if (from_revision) {
      if (auto replayed = replay_backlog(*watch, from.revision); !replayed) {
        stream->write(event_line("ERROR", replayed.error().to_status()));
        stream->finish();
        return;
      }
    }
    // The daemon is single-threaded, so nothing is committed between the backlog and this.
    std::weak_ptr<Watch> weak = watch;
    watch->subscription = store.subscribe([weak](const storage::WatchEvent& e) {
      if (auto w = weak.lock(); w && w->in_scope(e)) w->send(e, e.previous);
    });
    if (timeout_seconds > 0) {
      watch->timeout =
          std::make_unique<boost::asio::steady_timer>(io, std::chrono::seconds(timeout_seconds));
      watch->timeout->async_wait([weak](boost::system::error_code ec) {
        auto w = weak.lock();
        if (!w || ec) return;
        if (auto s = w->stream.lock()) s->finish();
      });
    }
    if (bookmarks) {
      watch->bookmarks = std::make_unique<boost::asio::steady_timer>(io);
      schedule_bookmarks(watch, settings.bookmark_period);
    }
    stream->on_close([watch]() mutable {
      watch->subscription = storage::Subscription{};
      if (watch->timeout) watch->timeout->cancel();
      if (watch->bookmarks) watch->bookmarks->cancel();
    });
  };
  return reply;
}

}  // namespace kinda::apiserver
