#include "apiserver/transport/api_token.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>

#include "apiserver/transport/private_file.hpp"

namespace kinda::apiserver {
namespace {

constexpr size_t kTokenBytes = 32;

bool is_token(std::string_view text) {
  return text.size() == 2 * kTokenBytes &&
         std::all_of(text.begin(), text.end(), [](char c) { return std::isxdigit(c); });
}

}  // namespace

Result<std::string> load_or_create_token(const std::filesystem::path& file) {
  if (auto text = read_file(file)) {
    std::string token = *text;
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back())))
      token.pop_back();
    if (is_token(token)) return token;
    return Error::internal(file.string() +
                           " holds no token (64 hex digits); remove it to get a "
                           "new one (kubeconfigs with the old one stop working)");
  }
  unsigned char bytes[kTokenBytes];
  if (RAND_bytes(bytes, sizeof bytes) != 1)
    return Error::internal("cannot draw random bytes for the API token");
  static const char* digits = "0123456789abcdef";
  std::string token;
  for (unsigned char b : bytes) {
    token.push_back(digits[b >> 4]);
    token.push_back(digits[b & 15]);
  }
  OPENSSL_cleanse(bytes, sizeof bytes);
  if (auto st = write_private_file(file, token + "\n"); !st) return st.error();
  return token;
}

bool bearer_matches(std::string_view authorization, const std::string& token) {
  const auto space = authorization.find(' ');
  if (space == std::string_view::npos || token.empty()) return false;
  std::string scheme(authorization.substr(0, space));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto presented = authorization.substr(space + 1);
  while (!presented.empty() && presented.front() == ' ') presented.remove_prefix(1);
  while (!presented.empty() && presented.back() == ' ') presented.remove_suffix(1);
  // The length is no secret (every token has 64 digits); the digits are compared in constant time.
  return scheme == "bearer" && presented.size() == token.size() &&
         CRYPTO_memcmp(presented.data(), token.data(), token.size()) == 0;
}

}  // namespace kinda::apiserver
