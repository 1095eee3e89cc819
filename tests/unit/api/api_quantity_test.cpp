#include <catch2/catch.hpp>

#include "api/quantity.hpp"

using kinda::api::check_resource_quantity;
using kinda::api::cpu_millicores;
using kinda::api::memory_bytes;
using nlohmann::json;

TEST_CASE("cpu quantities become millicores, rounded up") {
  REQUIRE(cpu_millicores("500m") == 500);
  REQUIRE(cpu_millicores("1") == 1000);
  REQUIRE(cpu_millicores("0.25") == 250);
  REQUIRE(cpu_millicores("0.1") == 100);
  REQUIRE(cpu_millicores(".5") == 500);
  REQUIRE(cpu_millicores("2.") == 2000);
  REQUIRE(cpu_millicores("1.0001") == 1001);
  REQUIRE(cpu_millicores("100u") == 1);
  REQUIRE(cpu_millicores("1n") == 1);
  REQUIRE(cpu_millicores("0") == 0);
  REQUIRE(cpu_millicores("0m") == 0);
  REQUIRE(cpu_millicores("1e3") == 1000000);
  REQUIRE(cpu_millicores("1E-3") == 1);
  REQUIRE(cpu_millicores("+2") == 2000);
  REQUIRE(cpu_millicores("2k") == 2000000);
}

TEST_CASE("memory quantities become bytes, decimal and binary suffixes alike") {
  REQUIRE(memory_bytes("128974848") == 128974848);
  REQUIRE(memory_bytes("129e6") == 129000000);
  REQUIRE(memory_bytes("129M") == 129000000);
  REQUIRE(memory_bytes("123Mi") == 128974848);
  REQUIRE(memory_bytes("1Ki") == 1024);
  REQUIRE(memory_bytes("1k") == 1000);
  REQUIRE(memory_bytes("1.5Gi") == 1610612736);
  REQUIRE(memory_bytes("1Ei") == 1152921504606846976LL);
  REQUIRE(memory_bytes("8E") == 8000000000000000000LL);
  REQUIRE(memory_bytes("0.5") == 1);  // rounds up to a whole byte
  REQUIRE(memory_bytes("400m") == 1);
  REQUIRE(memory_bytes("1T") == 1000000000000LL);
  REQUIRE(memory_bytes("2Ti") == 2199023255552LL);
  REQUIRE(memory_bytes("3P") == 3000000000000000LL);
  REQUIRE(memory_bytes("1Pi") == 1125899906842624LL);
}

TEST_CASE("quantities may arrive as JSON numbers") {
  REQUIRE(cpu_millicores(json(2)) == 2000);
  REQUIRE(cpu_millicores(json(0.5)) == 500);
  REQUIRE(memory_bytes(json(1024)) == 1024);
  REQUIRE(memory_bytes(json("64Mi")) == 67108864);
  REQUIRE_FALSE(memory_bytes(json(true)));
  REQUIRE_FALSE(cpu_millicores(json::object()));
}

TEST_CASE("text that is not a quantity, negative or too large has no amount") {
  for (const char* bad : {"", "abc", "1 Gi", "1GB", "1e", "Mi", "1.2.3", "1Kib", "--1", "1ki",
                          "0x10", " 1", "1e1.5"}) {
    INFO(bad);
    REQUIRE_FALSE(memory_bytes(std::string(bad)));
    REQUIRE_FALSE(cpu_millicores(std::string(bad)));
  }
  REQUIRE_FALSE(memory_bytes("-1"));
  REQUIRE_FALSE(memory_bytes("10E"));  // beyond int64
  REQUIRE_FALSE(memory_bytes("1e999999999"));
  REQUIRE(memory_bytes("-0") == 0);
}

TEST_CASE("resource values are checked with the API server's messages") {
  REQUIRE_FALSE(check_resource_quantity(json("250m")));
  REQUIRE_FALSE(check_resource_quantity(json(1)));
  REQUIRE(*check_resource_quantity(json("lots")) ==
          "quantities must match the regular expression "
          "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  REQUIRE(*check_resource_quantity(json("-1")) == "must be greater than or equal to 0");
  REQUIRE(check_resource_quantity(json(nullptr)));
}
