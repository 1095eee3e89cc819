#include "kubelet/image_map.hpp"

namespace kinda::kubelet {

const ImageEntry* find_image(const ImageMap& images, const std::string& image) {
  if (auto it = images.find(image); it != images.end()) return &it->second;
  auto repo = image.substr(0, image.find_first_of(":@"));
  if (auto slash = repo.rfind('/'); slash != std::string::npos) repo = repo.substr(slash + 1);
  if (auto it = images.find(repo); it != images.end()) return &it->second;
  return nullptr;
}

ImageMap default_images() {
  // Like the official images: redis listens on every address of its pod with protected mode off
  // (the image builds it so) and writes to /data.
  return {
      {"redis", {{"redis-server"}, {"--protected-mode", "no"}, "/data"}},
      {"busybox", {{"sh"}, {}, ""}},
      {"alpine", {{"sh"}, {}, ""}},
      {"debian", {{"bash"}, {}, ""}},
      {"ubuntu", {{"bash"}, {}, ""}},
      {"etcd", {{"etcd"}, {}, ""}},
      {"nginx", {{"nginx"}, {"-g", "daemon off;"}, ""}},
      {"postgres", {{"postgres"}, {}, ""}},
  };
}

}  // namespace kinda::kubelet
