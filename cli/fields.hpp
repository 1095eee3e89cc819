// The printers' null-safe field reads (printers/fields.hpp), by their short names in the CLI.
#pragma once

#include "printers/fields.hpp"

namespace kinda::cli {

using printers::array_at;
using printers::field;

}  // namespace kinda::cli
