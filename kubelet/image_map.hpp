// What a container image stands for on this machine: kinda runs no images, so each image name
// maps to a local program and its defaults, as an image's ENTRYPOINT, CMD and WORKDIR would give.
// The map is kept in config.json ("images"); a new cluster starts with default_images().
#pragma once

#include <map>
#include <string>
#include <vector>

namespace kinda::kubelet {

struct ImageEntry {
  std::vector<std::string> command;
  std::vector<std::string> args;
  std::string working_dir;
  // The image's USER: a name or uid, optionally ":group"; "" = root, as an image without USER.
  std::string user;
};

using ImageMap = std::map<std::string, ImageEntry>;

// Looks up "redis:7.0", then "redis" (a registry or repository path dropped); nullptr when
// unmapped.
const ImageEntry* find_image(const ImageMap& images, const std::string& image);

// The built-in image map: common images to the programs Debian installs for them.
ImageMap default_images();

}  // namespace kinda::kubelet
