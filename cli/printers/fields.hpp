// The printers' null-safe field reads (printers/fields.hpp) and cell text, by their short names
// in the CLI.
#pragma once

#include "printers/fields.hpp"
#include "printers/table.hpp"

namespace kinda::cli {

using printers::array_at;
using printers::field;
// A value as a table cell prints it: a string as it is, null as "", anything else as JSON.
using printers::cell_text;

}  // namespace kinda::cli
