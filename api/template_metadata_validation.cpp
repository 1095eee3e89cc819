#include "api/template_metadata_validation.hpp"

#include "api/decoding.hpp"
#include "api/resources.hpp"

namespace kinda::api {

using nlohmann::json;

void check_label_map(Causes& c, const json& map, const std::string& path) {
  if (map.is_null()) return;
  if (!map.is_object()) return c.add(path, "must be a map of string keys to string values");
  for (auto& [k, v] : map.items()) {
    if (!v.is_string()) {
      c.add(path + "[" + k + "]", "Invalid value: " + v.dump() + ": must be a string");
      continue;
    }
    auto value = v.get<std::string>();
    if (value.size() > 63)
      c.add(path, "Invalid value: \"" + value + "\": must be no more than 63 characters");
    auto name = k.substr(k.find('/') == std::string::npos ? 0 : k.find('/') + 1);
    if (name.empty() || name.size() > 63)
      c.add(path, "Invalid value: \"" + k + "\": name part must be 1-63 characters");
  }
}

// The metadata the controller copies into each pod or claim it makes: what the API would refuse
// to decode there (annotations that are no map of strings) is refused in the template already,
// or the set would be stuck before its first pod.
void check_template_metadata(Causes& c, const json& meta, const std::string& path) {
  if (meta.is_null()) return;
  if (!meta.is_object()) return c.invalid(path, meta, "must be an object");
  json as_pod = {{"metadata", meta}};
  if (auto decoded = decode_object(*find_resource("pods"), as_pod); !decoded) {
    const std::string& message = decoded.error().message;
    return c.add(path, "Invalid value: " + message.substr(message.find(": ") + 2));
  }
  if (meta.contains("labels")) check_label_map(c, meta["labels"], path + ".labels");
}

}  // namespace kinda::api
