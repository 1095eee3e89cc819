// A label selector as kubectl prints it in a SELECTOR column (metav1.FormatLabelSelector):
// "a=b,k in (x,y),!z" with the requirements sorted by key, "<none>" when empty.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace kinda::printers {

std::string label_selector_text(const nlohmann::json& selector);

}  // namespace kinda::printers
