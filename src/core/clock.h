// Clock: the one source of "now" for code whose behaviour depends on time (queue visibility,
// retry delays), so tests can move time by hand instead of sleeping.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <mutex>

namespace enhancer {

using TimePoint = std::chrono::system_clock::time_point;
using Millis = std::chrono::milliseconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;

  // The process-wide wall clock. Thread-safe; lives forever.
  static Clock& Real();
};

// A clock that moves only when told. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start = TimePoint(std::chrono::seconds(1'700'000'000)))
      : now_(start) {}
  TimePoint Now() const override {
    std::lock_guard lock(mu_);
    return now_;
  }
  void Advance(std::chrono::milliseconds d) {
    std::lock_guard lock(mu_);
    now_ += d;
  }

 private:
  mutable std::mutex mu_;
  TimePoint now_;
};

// Milliseconds since the Unix epoch: how instants are stored in databases.
inline int64_t ToUnixMillis(TimePoint t) {
  return std::chrono::duration_cast<Millis>(t.time_since_epoch()).count();
}
inline TimePoint FromUnixMillis(int64_t ms) { return TimePoint(Millis(ms)); }

// "2026-11-29T02:07:47.123Z"
std::string FormatIso8601(TimePoint t);

}  // namespace enhancer
