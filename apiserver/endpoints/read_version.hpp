// What state a get, list or watch reads, from ?resourceVersion, ?resourceVersionMatch and
// ?sendInitialEvents as the API server defines them:
//   unset   the most recent state;  "0"  any state (kinda's is always the newest);
//   N       a state not older than N (a list), or the changes after N (a watch);
//   N with resourceVersionMatch=Exact (lists only): the state right after revision N, rebuilt
//           from the revision log, 410 Expired once the log no longer reaches back that far.
// A version newer than the store's is 504 "Too large resource version", as the API server says
// after waiting for it. Lists are never chunked: limit is ignored (servers may) and no continue
// token is ever issued, so one sent back is refused.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/error.hpp"
#include "api/resources.hpp"
#include "apiserver/registry/object_service.hpp"
#include "apiserver/transport/http_types.hpp"

namespace kinda::apiserver {

struct ReadVersion {
  enum class Kind { kMostRecent, kAny, kNotOlderThan, kExact };
  Kind kind = Kind::kMostRecent;
  int64_t revision = 0;  // N, for kNotOlderThan and kExact
  // Watches: ?sendInitialEvents (with resourceVersionMatch=NotOlderThan), unset when absent.
  std::optional<bool> send_initial_events;
};

// Validates the options as the API server's ValidateListOptions does (422 Invalid).
Result<ReadVersion> read_version_of(const Request& request, bool watch);

// 504 when `version` asks for a revision the store has not reached.
Status check_not_too_large(const ReadVersion& version, int64_t newest);

struct ListSnapshot {
  int64_t revision = 0;            // the list's metadata.resourceVersion
  std::vector<std::string> items;  // the matching objects' JSON texts
};

Result<ListSnapshot> list_snapshot(ObjectService& objects, const api::ResourceInfo& resource,
                                   const std::string& ns, const ListOptions& options,
                                   const ReadVersion& version);

}  // namespace kinda::apiserver
