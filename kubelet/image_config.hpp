// config.json's "images": the cluster's explicit image map, first in the lookup order. Each entry
// keeps the names it always had: {"command": […] (ENTRYPOINT), "args": […] (CMD), "workingDir",
// "user"}. Read by the daemon and by `kinda images`.
#pragma once

#include <nlohmann/json.hpp>

#include "kubelet/image_map.hpp"

namespace kinda::kubelet {

// Entries that only repeat what kinda wrote into every new cluster's config.json before image
// profiles existed are dropped: they are kinda's old defaults, not the user's choice, and would
// hide the profiles (postgres started as root with no arguments).
ImageMap images_from_config(const nlohmann::json& images);
nlohmann::json images_to_config(const ImageMap& images);

}  // namespace kinda::kubelet
