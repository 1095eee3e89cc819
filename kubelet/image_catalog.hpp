// Where image profiles come from and which one answers an image name. Lookup order:
//   1. config.json "images" (the cluster's explicit map),
//   2. <cluster dir>/images/<profile>/           (origin "cluster"),
//   3. $XDG_CONFIG_HOME/kinda/images/<profile>/  (origin "user"; ~/.config/kinda/images),
//   4. the profiles built into the binary        (origin "built-in", written out under
//      <cluster dir>/builtin-images/ so their scripts exist on disk to exec),
//   5. default_images() for images no profile covers yet.
// A profile directory of the same name as one later in the order replaces it. A profile that
// does not parse is reported, never fatal: the others still load.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "api/error.hpp"
#include "kubelet/image_map.hpp"
#include "kubelet/image_profile.hpp"

namespace kinda::kubelet {

struct ProfileDirectory {
  std::string origin;  // "cluster", "user"
  std::filesystem::path dir;
};

struct ImageCatalog {
  ImageMap images;                     // every name, merged in lookup order
  std::vector<ImageProfile> profiles;  // in lookup order, replaced ones left out
  std::vector<std::string> problems;   // profiles that were not loaded, and why
};

// The user's profile directory: $XDG_CONFIG_HOME/kinda/images, else ~/.config/kinda/images.
std::filesystem::path user_profile_dir();
// Lookup order 2 and 3 for the cluster rooted at `cluster_root`.
std::vector<ProfileDirectory> profile_directories(const std::filesystem::path& cluster_root);
// Where the built-in profiles are written out.
std::filesystem::path builtin_profile_dir(const std::filesystem::path& cluster_root);

// Writes the embedded profiles' files under `dir` (scripts, those starting with "#!",
// executable), replacing what an older binary wrote.
Status write_builtin_profiles(const std::filesystem::path& dir);

// Every <dir>/<profile>/profile.yaml, sorted by name; problems for the ones that fail.
void load_profile_directory(const ProfileDirectory& source, std::vector<ImageProfile>& out,
                            std::vector<std::string>& problems);
// The embedded profiles, parsed as if they were in `dir`.
void load_builtin_profiles(const std::filesystem::path& dir, std::vector<ImageProfile>& out,
                           std::vector<std::string>& problems);

// Merges the sources in lookup order (above). `profiles` are in lookup order.
ImageCatalog merge_catalog(const ImageMap& configured, std::vector<ImageProfile> profiles,
                           const ImageMap& fallback, const ProgramFinder& find = find_program);

// The whole lookup for a cluster: its config.json map, its profile directories, the built-ins
// (expected written out at builtin_profile_dir), the defaults.
ImageCatalog load_image_catalog(const std::filesystem::path& cluster_root,
                                const ImageMap& configured);

}  // namespace kinda::kubelet
