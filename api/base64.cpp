#include "api/base64.hpp"

#include <array>

namespace kinda::api {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr unsigned char kInvalid = 0xff;

const std::array<unsigned char, 256>& decode_map() {
  static const std::array<unsigned char, 256> map = [] {
    std::array<unsigned char, 256> m;
    m.fill(kInvalid);
    for (size_t i = 0; i < kAlphabet.size(); ++i) m[static_cast<unsigned char>(kAlphabet[i])] = i;
    return m;
  }();
  return map;
}

bool is_line_break(char c) {
  return c == '\n' || c == '\r';
}

Error corrupt(size_t at) {
  return Error::bad_request("illegal base64 data at input byte " + std::to_string(at));
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[v & 63] : '=';
  }
  return out;
}

// A transcription of Go's decodeQuantum loop, so error positions match what users see from
// Kubernetes for the same input.
Result<std::string> base64_decode(std::string_view src) {
  const auto& map = decode_map();
  std::string out;
  size_t si = 0;
  while (si < src.size()) {
    std::array<unsigned char, 4> quantum{};
    size_t length = 4;  // sextets in this quantum
    bool padded = false;
    for (size_t j = 0; j < 4; ++j) {
      if (si == src.size()) {
        if (j == 0) return out;
        return corrupt(si - j);
      }
      char in = src[si++];
      unsigned char value = map[static_cast<unsigned char>(in)];
      if (value != kInvalid) {
        quantum[j] = value;
        continue;
      }
      if (is_line_break(in)) {
        --j;
        continue;
      }
      if (in != '=' || j < 2) return corrupt(si - 1);
      if (j == 2) {  // "==" expected: the second '=' must follow, line breaks aside
        while (si < src.size() && is_line_break(src[si])) ++si;
        if (si == src.size()) return corrupt(src.size());
        if (src[si] != '=') return corrupt(si - 1);
        ++si;
      }
      while (si < src.size() && is_line_break(src[si])) ++si;
      if (si < src.size()) return corrupt(si);  // data after the padding
      length = j;
      padded = true;
      break;
    }
    unsigned v = quantum[0] << 18 | quantum[1] << 12 | quantum[2] << 6 | quantum[3];
    out += static_cast<char>(v >> 16);
    if (length >= 3) out += static_cast<char>((v >> 8) & 0xff);
    if (length == 4) out += static_cast<char>(v & 0xff);
    if (padded) break;
    while (si < src.size() && is_line_break(src[si])) ++si;
  }
  return out;
}

}  // namespace kinda::api
