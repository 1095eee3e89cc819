// Volume sources as the API server validates them, with its field paths and messages.
#include <catch2/catch.hpp>

#include <string>

#include "api/defaults.hpp"
#include "api/resources.hpp"
#include "api/validation.hpp"

namespace {

using namespace kinda::api;
using nlohmann::json;

std::vector<std::string> volume_causes(json volumes) {
  json pod = {{"apiVersion", "v1"},
              {"kind", "Pod"},
              {"metadata", {{"name", "p"}, {"namespace", "default"}}},
              {"spec",
               {{"volumes", std::move(volumes)},
                {"containers", {{{"name", "app"}, {"image", "busybox"}}}}}}};
  apply_defaults(*find_resource("pods"), pod);
  std::vector<std::string> out;
  for (const auto& c : validate_object(*find_resource("pods"), pod))
    out.push_back(c.field + ": " + c.message);
  return out;
}

using VolumeLines = std::vector<std::string>;

}  // namespace

TEST_CASE("volume sources: valid ones pass") {
  CHECK(volume_causes(
            {{{"name", "c"},
              {"configMap",
               {{"name", "app"},
                {"defaultMode", 0644},
                {"items", {{{"key", "k"}, {"path", "a/b"}}}}}}},
             {{"name", "s"}, {"secret", {{"secretName", "db"}, {"optional", true}}}},
             {{"name", "m"}, {"emptyDir", {{"medium", "Memory"}, {"sizeLimit", "16Mi"}}}},
             {{"name", "d"},
              {"downwardAPI",
               {{"items",
                 {{{"path", "labels"}, {"fieldRef", {{"fieldPath", "metadata.labels"}}}}}}}}},
             {{"name", "p"},
              {"projected",
               {{"sources",
                 {{{"serviceAccountToken", {{"path", "token"}, {"expirationSeconds", 3600}}}}}}}}}})
            .empty());
}

TEST_CASE("volume sources: one per volume, names, paths and modes") {
  CHECK(
      volume_causes(
          {{{"name", "two"}, {"emptyDir", json::object()}, {"hostPath", {{"path", "/x"}}}}}) ==
      VolumeLines{"spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type"});
  CHECK(volume_causes({{{"name", "none"}}}) ==
        VolumeLines{"spec.volumes[0]: Required value: must specify a volume type"});
  CHECK(volume_causes({{{"name", "s"}, {"secret", json::object()}}}) ==
        VolumeLines{"spec.volumes[0].secret.secretName: Required value"});
  CHECK(
      volume_causes({{{"name", "c"},
                      {"configMap",
                       {{"name", "app"},
                        {"defaultMode", 01000},
                        {"items",
                         {{{"key", "k"}, {"path", "/abs"}},
                          {{"key", "k"}, {"path", "a/../b"}, {"mode", -1}}}}}}}}) ==
      VolumeLines{
          "spec.volumes[0].configMap.defaultMode: Invalid value: 512: must be a number between 0 "
          "and 0777 (octal), both inclusive",
          "spec.volumes[0].configMap.items[0].path: Invalid value: \"/abs\": must be a relative "
          "path",
          "spec.volumes[0].configMap.items[1].path: Invalid value: \"a/../b\": must not contain "
          "'..'",
          "spec.volumes[0].configMap.items[1].mode: Invalid value: -1: must be a number between 0 "
          "and 0777 (octal), both inclusive"});
  CHECK(volume_causes(
            {{{"name", "p"},
              {"projected",
               {{"sources",
                 {{{"serviceAccountToken", {{"path", "t"}, {"expirationSeconds", 60}}}}}}}}}}) ==
        VolumeLines{"spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds: "
                    "Invalid value: 60: may not specify a duration less than 10 minutes"});
}
