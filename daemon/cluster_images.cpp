#include "daemon/cluster_images.hpp"

#include <spdlog/spdlog.h>

namespace kinda::daemon {

kubelet::ImageCatalog load_cluster_images(const storage::ClusterPaths& paths,
                                          const ClusterConfig& config) {
  const auto builtin = kubelet::builtin_profile_dir(paths.root);
  if (auto written = kubelet::write_builtin_profiles(builtin); !written)
    spdlog::warn("built-in image profiles: {}", written.error().message);
  auto catalog = kubelet::load_image_catalog(paths.root, config.images);
  for (const auto& problem : catalog.problems) spdlog::warn("{}: left out", problem);
  spdlog::info("{} image profiles loaded ({} image names)", catalog.profiles.size(),
               catalog.images.size());
  return catalog;
}

}  // namespace kinda::daemon
