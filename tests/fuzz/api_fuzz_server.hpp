// What the API fuzz targets share: one real ObjectService over a Store in a temporary directory
// (removed at exit, namespace "default" present), so inputs take the daemon's own create, update,
// patch and routing paths, and the checks an accepted object must pass afterwards.
#pragma once

#include <cstddef>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "api/resources.hpp"
#include "apiserver/registry/object_service.hpp"

namespace kinda::fuzz {

apiserver::ObjectService& fuzz_objects();
// Removes every object the input created, so each input starts from the same store.
void reset_store();

// What the daemon does next with an object the API accepted must not throw or crash: the
// StatefulSet controller's plan (and the pods and claims it creates must themselves be
// accepted), a pod's container launch, probe requests, scheduling and DNS records; and the object
// must read back unchanged from its JSON and its YAML (`kinda get -o yaml | kinda apply -f -`).
void check_accepted(const api::ResourceInfo& resource, const nlohmann::json& object);

// Ends the fuzzer with a crash libFuzzer reports (and the replay test sees as a failure).
[[noreturn]] void violated(const char* what, const nlohmann::json& object);

}  // namespace kinda::fuzz

// The entry points, named so the replay test can call all of them from one binary; each libFuzzer
// binary's LLVMFuzzerTestOneInput (api_fuzz_main.cpp) calls one of them.
int fuzz_manifest(const uint8_t* data, size_t size);
int fuzz_patch(const uint8_t* data, size_t size);
int fuzz_request(const uint8_t* data, size_t size);
