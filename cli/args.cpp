#include "cli/args.hpp"

#include <cctype>
#include <cstdlib>

namespace kinda::cli {
namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

Result<const api::ResourceInfo*> resource_named(const std::string& type) {
  if (const auto* resource = api::find_resource(type)) return resource;
  return Error{0,
               "",
               "the server doesn't have a resource type \"" + type +
                   "\"; kinda serves pods, statefulsets, deployments, replicasets, services, "
                   "persistentvolumeclaims, "
                   "namespaces and events",
               {}};
}

}  // namespace

Result<std::vector<ResourceArg>> parse_resource_args(const std::vector<std::string>& args) {
  if (args.empty())
    return Error{
        0, "", "you must specify the type of resource, e.g. \"pods\" or \"sts/redis\"", {}};
  std::vector<ResourceArg> out;
  if (args[0].find('/') != std::string::npos) {
    for (const auto& arg : args) {
      size_t slash = arg.find('/');
      if (slash == std::string::npos)
        return Error{0,
                     "",
                     "there is no need to specify a resource type as a separate argument when "
                     "passing arguments in resource/name form (e.g. 'kinda get resource/<name>' "
                     "instead of 'kinda get resource resource/<name>')",
                     {}};
      if (slash == 0 || slash + 1 == arg.size())
        return Error{
            0, "", "arguments in resource/name form must have a single resource and name", {}};
      auto resource = resource_named(arg.substr(0, slash));
      if (!resource) return resource.error();
      out.push_back({*resource, arg.substr(slash + 1)});
    }
    return out;
  }
  std::vector<const api::ResourceInfo*> types;
  for (const auto& type : split(args[0], ',')) {
    auto resource = resource_named(type);
    if (!resource) return resource.error();
    types.push_back(*resource);
  }
  for (const auto* type : types) {
    if (args.size() == 1) out.push_back({type, ""});
    for (size_t i = 1; i < args.size(); ++i) {
      if (args[i].find('/') != std::string::npos)
        return Error{0,
                     "",
                     "there is no need to specify a resource type as a separate argument when "
                     "passing arguments in resource/name form",
                     {}};
      out.push_back({type, args[i]});
    }
  }
  return out;
}

Result<std::chrono::milliseconds> parse_duration(std::string_view text) {
  auto invalid = [&] {
    return Error{0,
                 "",
                 "invalid duration \"" + std::string(text) +
                     "\": use a number with a unit, e.g. 30s, 2m, 1h30m",
                 {}};
  };
  if (text == "0") return std::chrono::milliseconds::zero();
  if (text.empty()) return invalid();
  double total_ms = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
      ++i;
    if (i == start) return invalid();
    double number = std::strtod(std::string(text.substr(start, i - start)).c_str(), nullptr);
    size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view unit = text.substr(unit_start, i - unit_start);
    double scale = unit == "ms"  ? 1
                   : unit == "s" ? 1e3
                   : unit == "m" ? 6e4
                   : unit == "h" ? 3.6e6
                                 : 0;
    if (scale == 0) return invalid();
    total_ms += number * scale;
  }
  return std::chrono::milliseconds(static_cast<long long>(total_ms));
}

Result<WaitCondition> parse_wait_for(std::string_view text) {
  if (text == "delete") return WaitCondition{true, "", ""};
  constexpr std::string_view kPrefix = "condition=";
  if (text.starts_with(kPrefix) && text.size() > kPrefix.size()) {
    std::string rest(text.substr(kPrefix.size()));
    WaitCondition condition;
    size_t equals = rest.find('=');
    condition.condition = rest.substr(0, equals);
    if (equals != std::string::npos) {
      std::string value = rest.substr(equals + 1);
      if (value == "true" || value == "True")
        condition.status = "True";
      else if (value == "false" || value == "False")
        condition.status = "False";
      else
        condition.status = value;
    }
    if (!condition.condition.empty()) return condition;
  }
  return Error{0,
               "",
               "unrecognized condition: \"" + std::string(text) +
                   "\"; use --for=delete or --for=condition=NAME[=VALUE], e.g. "
                   "--for=condition=Ready",
               {}};
}

}  // namespace kinda::cli
