// Standard five-field cron schedules as the CronJob controller reads them (robfig/cron's
// standard parser): "m h dom mon dow" with lists, ranges, steps, names (jan, mon), `?`, and the
// @yearly/@annually/@monthly/@weekly/@daily/@midnight/@hourly descriptors. Times are UTC (or a
// fixed offset); pure, so the next-schedule arithmetic is unit-tested without a clock.
#pragma once

#include <bitset>
#include <chrono>
#include <optional>
#include <string>

#include "api/error.hpp"

namespace kinda::api {

class CronSchedule {
 public:
  using Time = std::chrono::sys_seconds;
  // The parse error reads as Kubernetes' validation detail ("expected exactly 5 fields, found 2:
  // [* *]").
  static Result<CronSchedule> parse(const std::string& text);
  // The first activation strictly after `after`, or nothing within five years.
  std::optional<Time> next(Time after) const;

 private:
  std::bitset<60> minute_;
  std::bitset<24> hour_;
  std::bitset<32> dom_;
  std::bitset<13> month_;
  std::bitset<7> dow_;
  bool dom_star_ = false, dow_star_ = false;
};

}  // namespace kinda::api
