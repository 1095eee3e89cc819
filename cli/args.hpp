// The argument forms kubectl commands accept, parsed into values: resource arguments
// ("pods,sts", "pod redis-0", "pod/redis-0"), Go-style durations ("90s", "1m30s") and --for
// conditions of `wait`. Every error names the bad input and the accepted form.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "api/error.hpp"
#include "api/resources.hpp"

namespace kinda::cli {

struct ResourceArg {
  const api::ResourceInfo* resource = nullptr;
  std::string name;  // empty: every object of the type
};

// "TYPE[,TYPE…] [NAME…]" or "TYPE/NAME…"; types by plural, singular, short name or kind.
Result<std::vector<ResourceArg>> parse_resource_args(const std::vector<std::string>& args);

// Go's time.ParseDuration for the units a user types: ms, s, m, h ("2m", "1h30m", "1.5s");
// "0" is zero.
Result<std::chrono::milliseconds> parse_duration(std::string_view text);

struct WaitCondition {
  bool for_delete = false;
  std::string condition;        // "Ready"
  std::string status = "True";  // --for=condition=Ready=false waits for "False"
};

// "delete", "condition=Ready" or "condition=Ready=false".
Result<WaitCondition> parse_wait_for(std::string_view text);

}  // namespace kinda::cli
