// A request for a container's log, as pods/{name}/log's query gives it (the API's PodLogOptions
// plus the pod it names): parsed by the API server's router, answered by the kubelet.
#pragma once

#include <string>

namespace kinda::api {

struct PodLogRequest {
  std::string ns, pod, container;
  bool follow = false;
  bool previous = false;
  long long tail_lines = -1;  // -1: the whole log
};

}  // namespace kinda::api
