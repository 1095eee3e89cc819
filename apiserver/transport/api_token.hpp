// The bearer token that guards the API's TCP listener: 32 random bytes from OpenSSL's CSPRNG as
// 64 hex digits, made on the listener's first start and kept (mode 0600) so kubeconfigs written
// earlier keep working. The Unix socket needs none: its 0600 mode already limits it to the owner.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "api/error.hpp"

namespace kinda::apiserver {

Result<std::string> load_or_create_token(const std::filesystem::path& file);
// Whether an Authorization header carries the token ("Bearer <token>", the scheme in any case,
// as the API server reads it), compared in constant time.
bool bearer_matches(std::string_view authorization, const std::string& token);

}  // namespace kinda::apiserver
