// Fuzz entry point for manifests: any bytes go through `kinda apply`'s parser (YAML or JSON), and
// every object that comes out goes to the API server's create and update, as `kinda apply` sends
// it. Nothing may crash, throw or hang; a refusal is a 4xx Status; an object the server accepts
// must be readable back, unchanged by a second identical write, and safe for what the
// controllers do next (check_accepted).
#include <string>
#include <string_view>

#include "api/manifest.hpp"
#include "api/object.hpp"
#include "tests/fuzz/api_fuzz_server.hpp"

namespace {

using nlohmann::json;
using namespace kinda;

void expect_refusal_is_4xx(const Error& error, const json& object) {
  if (error.code < 400 || error.code > 499 || error.message.empty())
    fuzz::violated(
        ("a refusal that is not a clear 4xx: " + std::to_string(error.code) + " " + error.message)
            .c_str(),
        object);
}

void submit(const api::ResourceInfo& resource, const json& object) {
  const std::string ns = resource.namespaced ? "default" : "";
  auto created = fuzz::fuzz_objects().create(resource, ns, object);
  if (!created) return expect_refusal_is_4xx(created.error(), object);
  fuzz::check_accepted(resource, *created);
  // Writing back what was read changes nothing (`kinda apply` twice says "unchanged").
  const std::string name = api::name_of(*created);
  auto again = fuzz::fuzz_objects().update(resource, ns, name, *created);
  if (!again || api::resource_version_of(*again) != api::resource_version_of(*created))
    fuzz::violated("writing back an accepted object changed it or failed", *created);
  // The manifest itself a second time, as a PUT: accepted or refused, never a crash or a 5xx.
  auto replaced = fuzz::fuzz_objects().update(resource, ns, name, object);
  if (!replaced) expect_refusal_is_4xx(replaced.error(), object);
}

}  // namespace

int fuzz_manifest(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto objects = api::parse_manifests(text, "fuzz.yaml");
  if (!objects) {
    expect_refusal_is_4xx(objects.error(), json());
    return 0;
  }
  for (json& object : *objects) {
    const auto* resource = api::resource_for_kind(api::string_at(object, "apiVersion"),
                                                  api::string_at(object, "kind"));
    if (resource) {
      submit(*resource, object);
      continue;
    }
    // Of no kind kinda serves: every kind's defaulting and validation sees the shape instead.
    if (object.is_object()) object.erase("kind");
    for (const auto& each : api::all_resources()) submit(each, object);
  }
  fuzz::reset_store();
  return 0;
}
