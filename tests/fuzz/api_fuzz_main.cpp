// libFuzzer's entry point for one of the API fuzz targets, chosen when it is compiled
// (KINDA_LIBFUZZER_MANIFEST, _PATCH or _REQUEST); the targets themselves are shared with the
// replay test, which calls all three.
#include "tests/fuzz/api_fuzz_server.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
#if defined(KINDA_LIBFUZZER_MANIFEST)
  return fuzz_manifest(data, size);
#elif defined(KINDA_LIBFUZZER_PATCH)
  return fuzz_patch(data, size);
#else
  return fuzz_request(data, size);
#endif
}
