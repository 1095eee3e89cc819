// Stands in for `kinda sandbox <spec.json>` in the runtime tests, which cannot use the real binary.
#include <cstdio>
#include <string_view>

#include "runtime/sandbox.hpp"

int main(int argc, char** argv) {
  if (argc == 3 && std::string_view(argv[1]) == "sandbox") {
    return kinda::runtime::sandbox_main(argv[2]);
  }
  std::fprintf(stderr, "usage: %s sandbox <spec.json>\n", argv[0]);
  return 2;
}
