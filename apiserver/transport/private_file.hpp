// Files only the cluster's owner may read (keys, the API token): written whole under a temporary
// name with mode 0600 from their first byte, then renamed into place, so no reader ever sees a
// partial file or a moment of looser permissions.
#pragma once

#include <filesystem>
#include <string>

#include "api/error.hpp"

namespace kinda::apiserver {

Status write_private_file(const std::filesystem::path& path, const std::string& content);
// The whole file; an error when it cannot be read.
Result<std::string> read_file(const std::filesystem::path& path);
// Creates the directory (and its parents) and gives it mode 0700.
Status make_private_dir(const std::filesystem::path& dir);

}  // namespace kinda::apiserver
