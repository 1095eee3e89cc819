// The image profiles compiled into the binary (the repository's images/ directory, embedded at
// build time by cmake/embed_images.cmake), so a kinda binary carries them wherever it is copied.
#pragma once

#include <span>
#include <string_view>

namespace kinda::kubelet {

struct EmbeddedFile {
  std::string_view path;  // relative to images/: "postgres/profile.yaml"
  std::string_view data;
};

std::span<const EmbeddedFile> builtin_image_files();

}  // namespace kinda::kubelet
