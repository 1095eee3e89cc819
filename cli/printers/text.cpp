// Text layout shared by the printers: times, sizes, column alignment, JSON.
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <iterator>

#include "cli/printers/printers.hpp"

#include "cli/printers/json_text.hpp"

namespace kinda::cli {
namespace {

size_t display_width(std::string_view text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

std::string padded(const std::string& cell, size_t width) {
  size_t w = display_width(cell);
  return w >= width ? cell : cell + std::string(width - w, ' ');
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end == std::string_view::npos ? text.npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

using Cells = std::vector<std::string>;

// Go tabwriter's format(): each run of lines having column `col` shares that column's width.
void assign_widths(const std::vector<Cells>& lines, std::vector<std::vector<size_t>>& widths,
                   size_t line0, size_t line1, size_t col, size_t padding) {
  for (size_t i = line0; i < line1;) {
    if (col + 1 >= lines[i].size()) {
      ++i;
      continue;
    }
    size_t end = i, width = 0;
    for (; end < line1 && col + 1 < lines[end].size(); ++end)
      width = std::max(width, display_width(lines[end][col]) + padding);
    for (size_t k = i; k < end; ++k) widths[k][col] = width;
    assign_widths(lines, widths, i, end, col + 1, padding);
    i = end;
  }
}

}  // namespace

std::string describe_time(const nlohmann::json& timestamp) {
  if (!timestamp.is_string()) return "<unknown>";
  auto then = api::parse_rfc3339(timestamp.get<std::string>());
  if (!then) return "<unknown>";
  std::time_t seconds = Clock::to_time_t(*then);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return text;
}

std::string format_bytes(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  if (bytes < 1024) return std::to_string(bytes);
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  for (value /= 1024; value >= 1024 && unit + 1 < std::size(kUnits); value /= 1024) ++unit;
  char text[32];
  // One decimal while it says something ("1.5Mi"), whole numbers above ten ("12Ki").
  if (value < 10 && value != static_cast<double>(static_cast<long>(value)))
    std::snprintf(text, sizeof text, "%.1f%s", value, kUnits[unit]);
  else
    std::snprintf(text, sizeof text, "%.0f%s", value, kUnits[unit]);
  return text;
}

std::vector<size_t> column_widths(const std::vector<Row>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], display_width(row[i]));
  }
  return widths;
}

std::string render_rows(const std::vector<Row>& rows, const std::vector<size_t>& widths) {
  std::string out;
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i + 1 == row.size()) {
        out += row[i];
      } else {
        size_t width = std::max(i < widths.size() ? widths[i] : 0, display_width(row[i]));
        out += padded(row[i], width + 3);
      }
    }
    out += '\n';
  }
  return out;
}

std::string render_table(const std::vector<Row>& rows) {
  return render_rows(rows, column_widths(rows));
}

std::string align_tabbed(std::string_view text, size_t padding) {
  bool final_newline = !text.empty() && text.back() == '\n';
  if (final_newline) text.remove_suffix(1);
  std::vector<Cells> lines;
  for (auto& line : split(text, '\n')) lines.push_back(split(line, '\t'));
  std::vector<std::vector<size_t>> widths;
  for (const auto& line : lines) widths.emplace_back(line.size(), 0);
  assign_widths(lines, widths, 0, lines.size(), 0, padding);
  std::string out;
  for (size_t l = 0; l < lines.size(); ++l) {
    for (size_t c = 0; c < lines[l].size(); ++c)
      out += c + 1 < lines[l].size() ? padded(lines[l][c], widths[l][c]) : lines[l][c];
    if (l + 1 < lines.size() || final_newline) out += '\n';
  }
  return out;
}

nlohmann::json as_list(std::vector<nlohmann::json> items) {
  return {{"apiVersion", "v1"},
          {"kind", "List"},
          {"items", std::move(items)},
          {"metadata", {{"resourceVersion", ""}}}};
}

std::string format_json(const nlohmann::json& value) {
  return value.dump(4) + "\n";
}

std::optional<std::string> format_json_list(std::string_view list_reply) {
  auto items_text = member_text(list_reply, "items");
  if (!items_text) return std::nullopt;
  auto items = array_elements(*items_text);
  if (!items) return std::nullopt;
  std::string out = "{\n    \"apiVersion\": \"v1\",\n    \"items\": [";
  out.reserve(list_reply.size() * 5 / 2);  // indenting about doubles compact JSON
  for (size_t i = 0; i < items->size(); ++i) {
    out += i == 0 ? "\n        " : ",\n        ";
    append_indented((*items)[i], 4, 2, out);
  }
  out += items->empty() ? "]" : "\n    ]";
  out +=
      ",\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    "
      "}\n}\n";
  return out;
}

}  // namespace kinda::cli
