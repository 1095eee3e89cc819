// How a container becomes a process: argv from command/args and the image's ENTRYPOINT/CMD (the
// image map), the environment (kinda's defaults, the image's ENV, then envFrom, then env with
// $(VAR) expansion, the downward API and ConfigMap/Secret references, as the kubelet orders them)
// and the working directory.
// Pure: objects are looked up through a callback, so unit tests need no store.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "kubelet/image_map.hpp"

namespace kinda::kubelet {

struct ContainerLaunch {
  std::vector<std::string> argv;
  std::vector<std::string> env;  // "K=V", in definition order
  std::string working_dir;       // as the container sees it ("" = default)
  bool working_dir_from_image = false;
  // The user the image runs as unless the securityContext says otherwise (ImageEntry::user).
  std::string image_user;
  // The image's files the pod's filesystem shows (ImageEntry::files), for the sandbox.
  std::vector<ImageFile> image_files;
  // Messages for Warning events on the pod (reason kInvalidEnvironmentVariableNames): envFrom
  // keys that were skipped because they are not valid variable names. The container still starts.
  std::vector<std::string> warnings;
};

// The kubelet's event reason for ContainerLaunch::warnings.
inline constexpr const char* kInvalidEnvironmentVariableNames = "InvalidEnvironmentVariableNames";

// The event reason when isolation `none` cannot show the image's files in the pod, and its
// message naming each path.
inline constexpr const char* kImageFilesNotBound = "ImageFilesNotBound";
std::string image_files_not_bound(const ContainerLaunch& launch);

// Why a container cannot start yet: a kubelet waiting reason and a message for events.
struct LaunchProblem {
  std::string reason;  // e.g. "ErrImageNotMapped", "CreateContainerConfigError"
  std::string message;
};

struct LaunchContext {
  const ImageMap* images = nullptr;       // what each image name runs; unset: none is mapped
  std::string config_path;                // named in messages telling the user how to map an image
  std::vector<std::string> profile_dirs;  // likewise: where image profiles are looked up
  std::string pod_ip;
  std::string host_path;  // PATH given to containers
  // Extra variables kinda provides before the container's own env (markers, volume paths).
  std::vector<std::pair<std::string, std::string>> base_env;
  // Finds an object in the pod's namespace by resource plural ("configmaps", "secrets") and name;
  // nullopt when there is no such object. Unset: no object exists.
  std::function<std::optional<nlohmann::json>(const std::string& resource_plural,
                                              const std::string& name)>
      lookup;
};

std::variant<ContainerLaunch, LaunchProblem> build_launch(const nlohmann::json& pod,
                                                          const nlohmann::json& container,
                                                          const LaunchContext& context);

// Kubernetes' $(VAR) expansion: $(NAME) is replaced when NAME is defined, left as written
// otherwise; $$ escapes to a literal $.
std::string expand_variables(const std::string& text,
                             const std::map<std::string, std::string>& defined);

}  // namespace kinda::kubelet
