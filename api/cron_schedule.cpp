#include "api/cron_schedule.hpp"

#include <sstream>
#include <vector>

namespace kinda::api {
namespace {

using namespace std::chrono;

struct Range {
  int min, max;
  const char* const* names;  // index 0 is the value `min`
};

constexpr const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",  "jul",
                                   "aug", "sep", "oct", "nov", "dec", nullptr};
constexpr const char* kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", nullptr};

std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

Result<int> value_of(const std::string& text, const Range& r) {
  if (r.names)
    for (int i = 0; r.names[i]; ++i)
      if (lower(text) == r.names[i]) return r.min + i;
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos)
    return Error::bad_request("failed to parse int from " + text + ": strconv.Atoi: parsing \"" +
                              text + "\": invalid syntax");
  return std::stoi(text);
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, sep)) out.push_back(item);
  if (!text.empty() && text.back() == sep) out.push_back("");
  return out;
}

// One field into bits [min, max]; `star` tells whether it was `*` or `?` (day matching differs).
Result<std::vector<bool>> parse_field(const std::string& field, const Range& r, bool& star) {
  std::vector<bool> bits(static_cast<size_t>(r.max + 1), false);
  star = false;
  for (const auto& part : split(field, ',')) {
    auto slash = part.find('/');
    std::string span = part.substr(0, slash);
    int lo, hi, step = 1;
    bool whole = span == "*" || span == "?";
    if (whole) {
      lo = r.min, hi = r.max;
    } else {
      auto dash = span.find('-');
      auto first = value_of(span.substr(0, dash), r);
      if (!first) return first.error();
      lo = hi = *first;
      if (dash != std::string::npos) {
        auto last = value_of(span.substr(dash + 1), r);
        if (!last) return last.error();
        hi = *last;
      }
    }
    if (slash != std::string::npos) {
      auto s = value_of(part.substr(slash + 1), Range{0, 0, nullptr});
      if (!s) return s.error();
      step = *s;
      if (!whole && span.find('-') == std::string::npos) hi = r.max;  // "5/15" = "5-max/15"
      if (step <= 0)
        return Error::bad_request("step of range should be a positive number: " + part);
    } else if (whole && part.size() == span.size()) {
      star = true;
    }
    if (lo < r.min)
      return Error::bad_request("beginning of range (" + std::to_string(lo) + ") below minimum (" +
                                std::to_string(r.min) + "): " + part);
    if (hi > r.max)
      return Error::bad_request("end of range (" + std::to_string(hi) + ") above maximum (" +
                                std::to_string(r.max) + "): " + part);
    if (lo > hi)
      return Error::bad_request("beginning of range (" + std::to_string(lo) +
                                ") beyond end of range (" + std::to_string(hi) + "): " + part);
    for (int v = lo; v <= hi; v += step) bits[static_cast<size_t>(v)] = true;
  }
  return bits;
}

}  // namespace

Result<CronSchedule> CronSchedule::parse(const std::string& input) {
  std::string text = input;
  if (text.starts_with("TZ=") || text.starts_with("CRON_TZ="))
    return Error::bad_request("CRON_TZ or TZ used in schedule \"" + input +
                              "\" is not allowed, use timeZone instead");
  std::string d = lower(text);
  if (d == "@yearly" || d == "@annually") text = "0 0 1 1 *";
  if (d == "@monthly") text = "0 0 1 * *";
  if (d == "@weekly") text = "0 0 * * 0";
  if (d == "@daily" || d == "@midnight") text = "0 0 * * *";
  if (d == "@hourly") text = "0 * * * *";
  if (!text.empty() && text[0] == '@')
    return Error::bad_request("unrecognized descriptor: " + text);
  std::vector<std::string> fields;
  std::istringstream in(text);
  for (std::string f; in >> f;) fields.push_back(f);
  if (fields.size() != 5) {
    std::string list;
    for (const auto& f : fields) list += (list.empty() ? "" : " ") + f;
    return Error::bad_request("expected exactly 5 fields, found " + std::to_string(fields.size()) +
                              ": [" + list + "]");
  }
  CronSchedule s;
  bool star = false;
  const Range ranges[] = {
      {0, 59, nullptr}, {0, 23, nullptr}, {1, 31, nullptr}, {1, 12, kMonths}, {0, 7, kDays}};
  for (size_t i = 0; i < 5; ++i) {
    auto bits = parse_field(fields[i], ranges[i], star);
    if (!bits) return bits.error();
    for (size_t v = 0; v < bits->size(); ++v) {
      if (!(*bits)[v]) continue;
      switch (i) {
        case 0:
          s.minute_.set(v);
          break;
        case 1:
          s.hour_.set(v);
          break;
        case 2:
          s.dom_.set(v);
          break;
        case 3:
          s.month_.set(v);
          break;
        case 4:
          s.dow_.set(v % 7);
          break;  // 7 is Sunday too
      }
    }
    if (i == 2) s.dom_star_ = star;
    if (i == 4) s.dow_star_ = star;
  }
  return s;
}

std::optional<CronSchedule::Time> CronSchedule::next(Time after) const {
  // Minute by minute would be up to 2.6 million steps a five-year search; skip whole days and
  // hours that cannot match instead.
  auto t = floor<minutes>(after) + minutes(1);
  const auto limit = after + years(5);
  while (t <= limit) {
    auto day = floor<days>(t);
    year_month_day ymd{day};
    weekday wd{day};
    bool dom_ok = dom_[static_cast<unsigned>(ymd.day())];
    bool dow_ok = dow_[wd.c_encoding()];
    // As cron (and robfig/cron): when either day field is `*` both must match, else either.
    bool day_ok = (dom_star_ || dow_star_) ? (dom_ok && dow_ok) : (dom_ok || dow_ok);
    if (!month_[static_cast<unsigned>(ymd.month())] || !day_ok) {
      t = day + days(1);
      continue;
    }
    hh_mm_ss hms{t - day};
    if (!hour_[static_cast<size_t>(hms.hours().count())]) {
      t = day + hms.hours() + hours(1);
      continue;
    }
    if (minute_[static_cast<size_t>(hms.minutes().count())]) return time_point_cast<seconds>(t);
    t += minutes(1);
  }
  return std::nullopt;
}

}  // namespace kinda::api
