#include <catch2/catch.hpp>

#include "api/base64.hpp"

using kinda::api::base64_decode;
using kinda::api::base64_encode;

TEST_CASE("base64 encoding pads to whole quanta as Secret data expects") {
  REQUIRE(base64_encode("") == "");
  REQUIRE(base64_encode("f") == "Zg==");
  REQUIRE(base64_encode("fo") == "Zm8=");
  REQUIRE(base64_encode("foo") == "Zm9v");
  REQUIRE(base64_encode("s3cr3t!") == "czNjcjN0IQ==");
  REQUIRE(base64_encode(std::string("\xff\x00\x80", 3)) == "/wCA");
}

TEST_CASE("base64 decoding round-trips and skips line breaks like Go's StdEncoding") {
  REQUIRE(*base64_decode("Zg==") == "f");
  REQUIRE(*base64_decode("Zm8=") == "fo");
  REQUIRE(*base64_decode("Zm9v") == "foo");
  REQUIRE(*base64_decode("") == "");
  REQUIRE(*base64_decode("Zm9v\nYmFy\r\n") == "foobar");
  REQUIRE(*base64_decode("/wCA") == std::string("\xff\x00\x80", 3));
}

TEST_CASE("base64 decoding names the illegal input byte as the API server does") {
  auto message = [](const char* text) { return base64_decode(text).error().message; };
  REQUIRE(message("abc") == "illegal base64 data at input byte 0");  // unpadded tail
  REQUIRE(message("ab!d") == "illegal base64 data at input byte 2");
  REQUIRE(message("Zg=") == "illegal base64 data at input byte 3");  // "==" cut short
  REQUIRE(message("Z===") == "illegal base64 data at input byte 1");
  REQUIRE(message("Zg==Zg==") == "illegal base64 data at input byte 4");  // data after padding
  REQUIRE(message("Zm9vY") == "illegal base64 data at input byte 4");
  REQUIRE(message("hello world") == "illegal base64 data at input byte 5");
}
