// Which container `kinda logs` and `kinda exec` mean when -c is not given, as kubectl decides: the
// pod's kubectl.kubernetes.io/default-container annotation, else its first container; when the
// pod has others, kubectl's "Defaulted container" notice goes to stderr.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace kinda::cli {

std::string default_container(const nlohmann::json& pod, const std::string& requested);

}  // namespace kinda::cli
