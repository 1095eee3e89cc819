// Runs the API fuzz targets (manifest, patch, request) over their committed seed corpora and over
// deterministic mutations of those seeds, so every build exercises them without libFuzzer.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "tests/fuzz/api_fuzz_server.hpp"

namespace {

using Target = int (*)(const uint8_t*, size_t);

std::vector<std::string> corpus(const std::string& name) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(KINDA_API_CORPUS) + "/" + name))
    files.push_back(entry.path());
  std::sort(files.begin(), files.end());  // the same order, so a failure reproduces
  std::vector<std::string> inputs;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    inputs.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return inputs;
}

void run(Target target, const std::string& input) {
  target(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

// Text-aware mutations: the targets parse YAML and JSON, so flipping structure characters and
// splicing pieces of other seeds reaches further than random bytes.
std::string mutate(std::string text, const std::vector<std::string>& seeds, std::mt19937& rng) {
  static const std::string interesting[] = {"-1",          "\"three\"", "99999999999999999999",
                                            "null",        "[]",        "{}",
                                            "\"\"",        "\0",        "\xff\xfe",
                                            "&a [*a, *a]", "*a",        "../x",
                                            "A",           "1.5",       "[[[",
                                            "}}",          ": ",        "\n- ",
                                            "true",        "0x1F"};
  auto pick = [&rng](size_t bound) {
    return bound == 0 ? 0 : std::uniform_int_distribution<size_t>(0, bound - 1)(rng);
  };
  for (int n = 1 + static_cast<int>(pick(3)); n > 0; --n) {
    const size_t at = pick(text.size() + 1);
    switch (pick(4)) {
      case 0:
        text.insert(at, interesting[pick(std::size(interesting))]);
        break;
      case 1:
        text.erase(at, pick(16));
        break;
      case 2: {
        const std::string& other = seeds[pick(seeds.size())];
        const size_t from = pick(other.size() + 1);
        text.insert(at, other.substr(from, pick(64)));
        break;
      }
      default:
        if (!text.empty()) text[pick(text.size())] = static_cast<char>(rng());
    }
  }
  return text;
}

void replay(const std::string& name, Target target, size_t minimum_seeds) {
  const auto seeds = corpus(name);
  CHECK(seeds.size() >= minimum_seeds);
  for (const auto& seed : seeds) run(target, seed);
  std::mt19937 rng(20240607);  // fixed: a failure reproduces on every run
  for (const auto& seed : seeds)
    for (int i = 0; i < 20; ++i) run(target, mutate(seed, seeds, rng));
}

}  // namespace

TEST_CASE("the manifest fuzz target survives its seed corpus and mutations of it", "[fuzz]") {
  replay("manifest", fuzz_manifest, 30);
}

TEST_CASE("the patch fuzz target survives its seed corpus and mutations of it", "[fuzz]") {
  replay("patch", fuzz_patch, 10);
}

TEST_CASE("the request fuzz target survives its seed corpus and mutations of it", "[fuzz]") {
  replay("request", fuzz_request, 20);
}
