// `--sort-by=.metadata.name`: objects ordered by the value a JSONPath expression finds in each,
// as kubectl's sorter orders them: numbers by value, strings in natural order ("web-2" before
// "web-10"), objects without the field first; equal keys keep their order. Pure.
#pragma once

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/error.hpp"

namespace kinda::cli {

// Digits compare as numbers, the rest as text: "pod-9" < "pod-10".
bool natural_less(std::string_view a, std::string_view b);

// The order of `objects` (indices into it); an error when the expression does not parse or no
// object has the field.
Result<std::vector<size_t>> sort_order(const std::vector<nlohmann::json>& objects,
                                       std::string_view expression);

}  // namespace kinda::cli
