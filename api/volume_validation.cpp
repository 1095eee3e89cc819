#include "api/volume_validation.hpp"

#include "api/quantity.hpp"

namespace kinda::api {
namespace {

using nlohmann::json;

// In the order the API server checks them, so the one it names as the second source is ours too.
constexpr const char* kSources[] = {"emptyDir",
                                    "hostPath",
                                    "gitRepo",
                                    "gcePersistentDisk",
                                    "awsElasticBlockStore",
                                    "secret",
                                    "nfs",
                                    "iscsi",
                                    "glusterfs",
                                    "flocker",
                                    "persistentVolumeClaim",
                                    "rbd",
                                    "quobyte",
                                    "cinder",
                                    "cephfs",
                                    "downwardAPI",
                                    "fc",
                                    "flexVolume",
                                    "configMap",
                                    "azureFile",
                                    "vsphereVolume",
                                    "photonPersistentDisk",
                                    "projected",
                                    "portworxVolume",
                                    "azureDisk",
                                    "storageos",
                                    "scaleIO",
                                    "csi",
                                    "ephemeral",
                                    "image"};

constexpr const char* kModeProblem = "must be a number between 0 and 0777 (octal), both inclusive";

void check_mode(Causes& c, const json& object, const char* key, const std::string& path) {
  const json& mode = field(object, key);
  if (mode.is_null()) return;
  if (!mode.is_number_integer() || mode.get<long long>() < 0 || mode.get<long long>() > 0777)
    c.invalid(path + "." + key, mode, kModeProblem);
}

// Kubernetes' validateLocalNonReservedPath.
void check_relative_path(Causes& c, const json& object, const std::string& path) {
  const std::string p = checked_string(c, object, "path", path + ".path");
  if (p.empty()) {
    if (field(object, "path").is_null()) c.required(path + ".path");
    return;
  }
  if (p.front() == '/') return c.invalid(path + ".path", p, "must be a relative path");
  for (size_t start = 0; start <= p.size();) {
    const size_t slash = std::min(p.find('/', start), p.size());
    if (p.compare(start, slash - start, "..") == 0)
      return c.invalid(path + ".path", p, "must not contain '..'");
    start = slash + 1;
  }
  if (p.rfind("..", 0) == 0) c.invalid(path + ".path", p, "must not start with '..'");
}

void check_key_items(Causes& c, const json& source, const std::string& path) {
  const json& items = field(source, "items");
  if (items.is_null()) return;
  if (!items.is_array()) return c.add(path + ".items", "must be a list");
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string p = index_path(path + ".items", i);
    if (string_field(items[i], "key").empty()) c.required(p + ".key");
    check_relative_path(c, items[i], p);
    check_mode(c, items[i], "mode", p);
  }
}

void check_named(Causes& c, const json& source, const char* name_key, const std::string& path) {
  if (checked_string(c, source, name_key, path + "." + name_key).empty())
    c.required(path + "." + name_key);
}

void check_downward_items(Causes& c, const json& source, const std::string& path) {
  const json& items = field(source, "items");
  if (items.is_null()) return;
  if (!items.is_array()) return c.add(path + ".items", "must be a list");
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string p = index_path(path + ".items", i);
    check_relative_path(c, items[i], p);
    check_mode(c, items[i], "mode", p);
    const json& field_ref = field(items[i], "fieldRef");
    const json& resource_ref = field(items[i], "resourceFieldRef");
    if (!field_ref.is_null() && !resource_ref.is_null()) {
      c.invalid(p, items[i], "fieldRef and resourceFieldRef can not be specified simultaneously");
    } else if (!field_ref.is_null()) {
      const std::string fp = string_field(field_ref, "fieldPath");
      const bool keyed =
          (fp.rfind("metadata.labels['", 0) == 0 || fp.rfind("metadata.annotations['", 0) == 0) &&
          fp.size() > 2 && fp.compare(fp.size() - 2, 2, "']") == 0;
      if (fp.empty())
        c.required(p + ".fieldRef.fieldPath");
      else if (!keyed && fp != "metadata.name" && fp != "metadata.namespace" &&
               fp != "metadata.uid" && fp != "metadata.labels" && fp != "metadata.annotations")
        c.unsupported(p + ".fieldRef.fieldPath", fp,
                      "\"metadata.annotations\", \"metadata.labels\", \"metadata.name\", "
                      "\"metadata.namespace\", \"metadata.uid\"");
    } else if (!resource_ref.is_null()) {
      const std::string resource = string_field(resource_ref, "resource");
      if (string_field(resource_ref, "containerName").empty())
        c.required(p + ".resourceFieldRef.containerName");
      if (resource != "limits.cpu" && resource != "limits.memory" && resource != "requests.cpu" &&
          resource != "requests.memory" && resource != "limits.ephemeral-storage" &&
          resource != "requests.ephemeral-storage")
        c.unsupported(p + ".resourceFieldRef.resource", resource,
                      "\"limits.cpu\", \"limits.ephemeral-storage\", \"limits.memory\", "
                      "\"requests.cpu\", \"requests.ephemeral-storage\", \"requests.memory\"");
    } else {
      c.required(p, "one of fieldRef and resourceFieldRef must be set");
    }
  }
}

void check_projected(Causes& c, const json& projected, const std::string& path) {
  check_mode(c, projected, "defaultMode", path);
  const json& sources = field(projected, "sources");
  if (sources.is_null()) return;
  if (!sources.is_array()) return c.add(path + ".sources", "must be a list");
  for (size_t i = 0; i < sources.size(); ++i) {
    const std::string p = index_path(path + ".sources", i);
    int kinds = 0;
    for (const char* kind :
         {"configMap", "secret", "downwardAPI", "serviceAccountToken", "clusterTrustBundle"}) {
      const json& source = field(sources[i], kind);
      if (source.is_null()) continue;
      const std::string sp = p + "." + kind;
      if (++kinds > 1) {
        c.forbidden(sp, "may not specify more than 1 volume type per source");
        continue;
      }
      if (std::string(kind) == "configMap" || std::string(kind) == "secret") {
        check_named(c, source, "name", sp);
        check_key_items(c, source, sp);
      } else if (std::string(kind) == "downwardAPI") {
        check_downward_items(c, source, sp);
      } else if (std::string(kind) == "serviceAccountToken") {
        check_relative_path(c, source, sp);
        const json& seconds = field(source, "expirationSeconds");
        if (seconds.is_number_integer() && seconds.get<long long>() < 600)
          c.invalid(sp + ".expirationSeconds", seconds,
                    "may not specify a duration less than 10 minutes");
        else if (seconds.is_number_integer() && seconds.get<long long>() > (1LL << 32))
          c.invalid(sp + ".expirationSeconds", seconds,
                    "may not specify a duration larger than 2^32 seconds");
      }
    }
    if (kinds == 0) c.required(p, "must specify at least 1 volume type per source");
  }
}

}  // namespace

void check_volume_source(Causes& c, const json& volume, const std::string& path) {
  if (!volume.is_object()) return;
  int sources = 0;
  for (const char* kind : kSources) {
    const json& source = field(volume, kind);
    if (source.is_null()) continue;
    const std::string sp = path + "." + kind;
    if (++sources > 1) {
      c.forbidden(sp, "may not specify more than 1 volume type");
      continue;
    }
    const std::string k = kind;
    if (k == "configMap") {
      check_named(c, source, "name", sp);
      check_mode(c, source, "defaultMode", sp);
      check_key_items(c, source, sp);
    } else if (k == "secret") {
      check_named(c, source, "secretName", sp);
      check_mode(c, source, "defaultMode", sp);
      check_key_items(c, source, sp);
    } else if (k == "downwardAPI") {
      check_mode(c, source, "defaultMode", sp);
      check_downward_items(c, source, sp);
    } else if (k == "projected") {
      check_projected(c, source, sp);
    } else if (k == "emptyDir") {
      const std::string medium = checked_string(c, source, "medium", sp + ".medium");
      if (!medium.empty() && medium != "Memory" && medium.rfind("HugePages", 0) != 0)
        c.unsupported(sp + ".medium", medium, "\"\", \"Memory\"");
      const json& size = field(source, "sizeLimit");
      if (!size.is_null() && !memory_bytes(size))
        c.invalid(sp + ".sizeLimit", size, "must be a quantity");
    } else if (k == "hostPath") {
      if (checked_string(c, source, "path", sp + ".path").empty()) c.required(sp + ".path");
    } else if (k == "persistentVolumeClaim") {
      if (checked_string(c, source, "claimName", sp + ".claimName").empty())
        c.required(sp + ".claimName");
    }
  }
  if (sources == 0) c.required(path, "must specify a volume type");
}

}  // namespace kinda::api
