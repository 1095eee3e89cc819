// The endpoint choice of one Service port: round-robin, ClientIP affinity until its idle timeout
// or until the endpoint goes away, and skipping endpoints a connection failed to reach.
#include <catch2/catch.hpp>

#include "proxy/backend_picker.hpp"

using kinda::proxy::Backend;
using kinda::proxy::BackendPicker;
using namespace std::chrono_literals;

namespace {
const Backend kPickerA{"127.64.0.5", 80};
const Backend kPickerB{"127.64.0.6", 80};
const Backend kPickerC{"127.64.0.7", 80};
}  // namespace

TEST_CASE("round-robin over the endpoints", "[proxy_picker]") {
  BackendPicker picker;
  auto now = BackendPicker::Clock::now();
  CHECK_FALSE(picker.pick("127.0.0.1", now));
  picker.set_backends({kPickerA, kPickerB, kPickerC});
  std::vector<Backend> picked;
  for (int i = 0; i < 6; ++i) picked.push_back(*picker.pick("127.0.0.1", now));
  CHECK(picked == std::vector<Backend>{kPickerA, kPickerB, kPickerC, kPickerA, kPickerB, kPickerC});
  CHECK(*picker.pick("127.0.0.1", now, {kPickerA, kPickerB}) == kPickerC);
  CHECK_FALSE(picker.pick("127.0.0.1", now, {kPickerA, kPickerB, kPickerC}));
}

TEST_CASE("ClientIP affinity sticks until idle for the timeout", "[proxy_picker]") {
  BackendPicker picker(1000ms);
  picker.set_backends({kPickerA, kPickerB});
  auto t = BackendPicker::Clock::now();
  CHECK(*picker.pick("127.64.0.20", t) == kPickerA);
  CHECK(*picker.pick("127.64.0.21", t) == kPickerB);
  CHECK(*picker.pick("127.64.0.22", t) == kPickerA);  // round-robin's next turn is B
  for (int i = 1; i <= 5; ++i) CHECK(*picker.pick("127.64.0.20", t + i * 900ms) == kPickerA);
  // Idle for longer than the timeout: a fresh round-robin choice.
  CHECK(*picker.pick("127.64.0.20", t + 4500ms + 1001ms) == kPickerB);
}

TEST_CASE("an affinity ends when its endpoint goes away", "[proxy_picker]") {
  BackendPicker picker(1h);
  picker.set_backends({kPickerA, kPickerB});
  auto t = BackendPicker::Clock::now();
  CHECK(*picker.pick("127.64.0.20", t) == kPickerA);
  picker.set_backends({kPickerB, kPickerC});
  CHECK(*picker.pick("127.64.0.20", t) != kPickerA);
  picker.set_backends({});
  CHECK_FALSE(picker.pick("127.64.0.20", t));
}

TEST_CASE("a failed endpoint moves the affinity to the one that answered", "[proxy_picker]") {
  BackendPicker picker(1h);
  picker.set_backends({kPickerA, kPickerB});
  auto t = BackendPicker::Clock::now();
  CHECK(*picker.pick("127.64.0.20", t) == kPickerA);
  CHECK(*picker.pick("127.64.0.20", t, {kPickerA}) == kPickerB);
  CHECK(*picker.pick("127.64.0.20", t) == kPickerB);
}
