#include "api/field_validation.hpp"

#include "api/kind_types.hpp"

namespace kinda::api {
namespace {

using nlohmann::json;

void drop_in_struct(const StructType& type, json& object, const std::string& path,
                    std::vector<std::string>& dropped);

void drop_in_value(const FieldType& type, json& value, const std::string& path,
                   std::vector<std::string>& dropped) {
  if (!type.is_struct()) return;
  const StructType* element = KindTypes::get().find(type.element);
  switch (type.shape) {
    case FieldType::Shape::kValue:
      if (value.is_object()) drop_in_struct(*element, value, path, dropped);
      break;
    case FieldType::Shape::kMap:
      if (value.is_object())
        for (auto& [key, item] : value.items())
          if (item.is_object()) drop_in_struct(*element, item, path + "." + key, dropped);
      break;
    case FieldType::Shape::kList:
      if (value.is_array())
        for (size_t i = 0; i < value.size(); ++i)
          if (value[i].is_object())
            drop_in_struct(*element, value[i], path + "[" + std::to_string(i) + "]", dropped);
      break;
  }
}

void drop_in_struct(const StructType& type, json& object, const std::string& path,
                    std::vector<std::string>& dropped) {
  for (auto it = object.begin(); it != object.end();) {
    const std::string field_path = path.empty() ? it.key() : path + "." + it.key();
    if (const FieldType* field = type.field(it.key())) {
      drop_in_value(*field, it.value(), field_path, dropped);
      ++it;
    } else {
      dropped.push_back(field_path);
      it = object.erase(it);
    }
  }
}

}  // namespace

std::optional<FieldValidation> field_validation_of(std::string_view param) {
  if (param.empty() || param == "Warn") return FieldValidation::kWarn;
  if (param == "Ignore") return FieldValidation::kIgnore;
  if (param == "Strict") return FieldValidation::kStrict;
  return std::nullopt;
}

std::vector<std::string> drop_unknown_fields(std::string_view kind, json& object) {
  std::vector<std::string> dropped;
  const StructType* type = KindTypes::get().for_kind(kind);
  if (type && object.is_object()) drop_in_struct(*type, object, "", dropped);
  return dropped;
}

Status enforce_field_validation(FieldValidation mode, std::string_view kind, json& object,
                                std::vector<std::string>& warnings) {
  json checked = mode == FieldValidation::kStrict ? object : json();
  auto dropped = drop_unknown_fields(kind, mode == FieldValidation::kStrict ? checked : object);
  if (dropped.empty()) return Ok{};
  if (mode == FieldValidation::kStrict) {
    std::string k(kind);
    auto api_version = object.find("apiVersion");
    std::string version = api_version != object.end() && api_version->is_string()
                              ? api_version->get<std::string>()
                              : "v1";
    version = version.substr(version.find('/') + 1);  // "apps/v1" → "v1"
    std::string message = k + " in version \"" + version + "\" cannot be handled as a " + k +
                          ": strict decoding error: ";
    for (size_t i = 0; i < dropped.size(); ++i)
      message += (i ? ", " : "") + std::string("unknown field \"") + dropped[i] + "\"";
    return Error::bad_request(message);
  }
  if (mode == FieldValidation::kWarn)
    for (const auto& path : dropped) warnings.push_back("unknown field \"" + path + "\"");
  return Ok{};
}

}  // namespace kinda::api
