// What a container image stands for on this machine: kinda runs no images, so each image name
// maps to local programs and the image's defaults (ENTRYPOINT, CMD, USER, WORKDIR, ENV, EXPOSE
// and some of its files). Entries come from config.json ("images") and from image profiles
// (kubelet/image_profile.hpp), merged in lookup order by kubelet/image_catalog.hpp.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace kinda::kubelet {

// A path of the image's filesystem that the pod sees: a host file bound read-only over it, or
// an empty directory of the pod's own (where the image ships one its programs write to).
struct ImageFile {
  std::string path;    // inside the pod
  std::string source;  // on the host; "" with empty_dir
  bool empty_dir = false;
};

struct ImageEntry {
  std::vector<std::string> entrypoint;  // ENTRYPOINT (config.json "command")
  std::vector<std::string> cmd;         // CMD (config.json "args")
  std::string working_dir;
  // The image's USER: a name or uid, optionally ":group"; "" = root, as an image without USER.
  std::string user;
  std::vector<std::pair<std::string, std::string>> env;  // ENV, in order
  std::vector<std::string> ports;                        // EXPOSE: "5432/tcp"
  std::vector<ImageFile> files;
  std::string profile;  // the profile it comes from; "" for a config.json entry
};

using ImageMap = std::map<std::string, ImageEntry>;

// The repository an image reference names: tag and digest dropped, registry kept
// ("docker.io/library/postgres:17@sha256:…" → "docker.io/library/postgres"; a registry's port
// is not a tag).
std::string image_repository(const std::string& image);

// Looks up the reference as written ("redis:7.0"), then its repository, then the repository's
// last path element ("redis"); nullptr when unmapped.
const ImageEntry* find_image(const ImageMap& images, const std::string& image);

// Images no profile covers yet, mapped to the programs Debian installs for them. Profiles take
// precedence over these; a cluster's config.json no longer copies them.
ImageMap default_images();

}  // namespace kinda::kubelet
