#include "printers/age.hpp"

namespace kinda::printers {

std::string format_age(std::chrono::seconds age) {
  long long seconds = age.count();
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return std::to_string(seconds) + "s";
  long long minutes = seconds / 60;
  if (minutes < 10) {
    long long s = seconds % 60;
    return std::to_string(minutes) + "m" + (s ? std::to_string(s) + "s" : "");
  }
  if (minutes < 180) return std::to_string(minutes) + "m";
  long long hours = minutes / 60;
  if (hours < 8) {
    long long m = minutes % 60;
    return std::to_string(hours) + "h" + (m ? std::to_string(m) + "m" : "");
  }
  if (hours < 48) return std::to_string(hours) + "h";
  long long days = hours / 24;
  if (hours < 24 * 8) {
    long long h = hours % 24;
    return std::to_string(days) + "d" + (h ? std::to_string(h) + "h" : "");
  }
  if (hours < 24 * 365 * 2) return std::to_string(days) + "d";
  if (hours < 24 * 365 * 8) {
    long long d = days % 365;
    return std::to_string(days / 365) + "y" + (d ? std::to_string(d) + "d" : "");
  }
  return std::to_string(days / 365) + "y";
}

std::string age_since(const nlohmann::json& timestamp, Clock::time_point now) {
  if (!timestamp.is_string()) return "<unknown>";
  auto then = api::parse_rfc3339(timestamp.get<std::string>());
  if (!then) return "<unknown>";
  return format_age(std::chrono::duration_cast<std::chrono::seconds>(now - *then));
}

}  // namespace kinda::printers
