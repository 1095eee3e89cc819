#include "kubelet/image_map.hpp"

namespace kinda::kubelet {

std::string image_repository(const std::string& image) {
  std::string repo = image.substr(0, image.find('@'));
  auto slash = repo.rfind('/');
  auto colon = repo.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash))
    repo.resize(colon);
  return repo;
}

const ImageEntry* find_image(const ImageMap& images, const std::string& image) {
  if (auto it = images.find(image); it != images.end()) return &it->second;
  auto repo = image_repository(image);
  if (auto it = images.find(repo); it != images.end()) return &it->second;
  if (auto slash = repo.rfind('/'); slash != std::string::npos) repo = repo.substr(slash + 1);
  if (auto it = images.find(repo); it != images.end()) return &it->second;
  return nullptr;
}

ImageMap default_images() {
  // Like the official images: redis listens on every address of its pod with protected mode off
  // (the image builds it so) and writes to /data.
  ImageMap images;
  images["redis"].entrypoint = {"redis-server"};
  images["redis"].cmd = {"--protected-mode", "no"};
  images["redis"].working_dir = "/data";
  images["etcd"].entrypoint = {"etcd"};
  images["nginx"].entrypoint = {"nginx"};
  images["nginx"].cmd = {"-g", "daemon off;"};
  return images;
}

}  // namespace kinda::kubelet
