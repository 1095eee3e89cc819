// What a ConfigMap, Secret, downwardAPI or projected volume holds: the kubelet's rules for turning
// a volume's source into a set of files (items with key, path and mode; defaultMode; optional
// sources; the downward API's file formats; a service account token), before the atomic writer
// puts them on disk. Pure: objects come through a callback, time and the node's capacity from the
// context, so unit tests need no store.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "kubelet/volumes/atomic_writer.hpp"

namespace kinda::kubelet {

struct ProjectionContext {
  // An object of the pod's namespace by plural ("configmaps", "secrets") and name; nullopt when
  // there is none.
  std::function<std::optional<nlohmann::json>(const std::string& plural, const std::string& name)>
      lookup;
  // When the pod's service account tokens were issued (seconds since the epoch): a token stays
  // the same between syncs until the caller renews it.
  long long token_issued_at = 0;
  // What a container without limits may use, as the kubelet reports node allocatable instead.
  int64_t node_cpu_millicores = 1000;
  int64_t node_memory_bytes = int64_t{1} << 30;
};

// Why a volume cannot be set up yet, in the kubelet's words after "MountVolume.SetUp failed for
// volume \"<name>\" : ", e.g. `configmap "app-config" not found`.
struct MountProblem {
  std::string message;
};

// Whether the volume is one the kubelet fills with files through the atomic writer.
bool is_projected_volume(const nlohmann::json& volume);

std::variant<FileSet, MountProblem> project_volume(const nlohmann::json& pod,
                                                   const nlohmann::json& volume,
                                                   const ProjectionContext& context);

// The downward API's map format: `key="value"` lines sorted by key, values quoted as Go's %q does,
// no newline after the last.
std::string format_downward_map(const nlohmann::json& map);

// An unsigned JWT (alg "none") naming the pod's service account, as a projected
// serviceAccountToken: iss, sub system:serviceaccount:<ns>:<name>, aud, iat, nbf, exp and the
// kubernetes.io claims. Good for programs that read the token's identity, not for authenticating.
std::string service_account_token(const nlohmann::json& pod, const std::string& audience,
                                  long long issued_at, long long expiration_seconds);

// Whether an items[].path is acceptable: relative, no ".." element, not empty.
bool valid_projected_path(const std::string& path);

}  // namespace kinda::kubelet
