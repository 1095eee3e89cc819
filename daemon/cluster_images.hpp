// The images a cluster's kubelet knows: the built-in profiles written out under the cluster
// directory (so their scripts exist to exec), then every profile and config.json entry merged
// in lookup order (kubelet/image_catalog.hpp). Profiles that fail to load are logged; the
// daemon starts regardless.
#pragma once

#include "daemon/cluster_config.hpp"
#include "kubelet/image_catalog.hpp"
#include "storage/cluster_home.hpp"

namespace kinda::daemon {

kubelet::ImageCatalog load_cluster_images(const storage::ClusterPaths& paths,
                                          const ClusterConfig& config);

}  // namespace kinda::daemon
