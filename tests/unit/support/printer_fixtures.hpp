// What the printer tests share: a resource by any of its names, and a time from RFC 3339.
#pragma once

#include <string>

#include "api/resources.hpp"
#include "api/timestamps.hpp"

namespace printer_test {

inline const kinda::api::ResourceInfo& resource(const char* name) {
  return *kinda::api::find_resource(name);
}

inline kinda::api::Clock::time_point at(const std::string& rfc3339) {
  return *kinda::api::parse_rfc3339(rfc3339);
}

}  // namespace printer_test
