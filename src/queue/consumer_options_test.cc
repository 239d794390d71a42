#include "queue/consumer_options.h"

#include <gtest/gtest.h>

#include <functional>

#include "core/status_matchers.h"

namespace enhancer {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(ConsumerOptionsTest, DefaultsAreValid) { EXPECT_OK(ConsumerOptions{}.Validate()); }

TEST(ConsumerOptionsTest, EachFieldIsCheckedAndTheMessageNamesItsBounds) {
  struct Case {
    std::function<void(ConsumerOptions&)> spoil;
    std::string message;  // exact: messages come from the same constants as the checks
  };
  const Case kCases[] = {
      {[](ConsumerOptions& o) { o.concurrency = 0; },
       "consumer: concurrency must be between 1 and 256, got 0"},
      {[](ConsumerOptions& o) { o.concurrency = 257; },
       "consumer: concurrency must be between 1 and 256, got 257"},
      {[](ConsumerOptions& o) { o.wait_seconds = 0; },
       "consumer: wait_seconds must be between 1 and 20, got 0"},
      {[](ConsumerOptions& o) { o.wait_seconds = 21; },
       "consumer: wait_seconds must be between 1 and 20, got 21"},
      {[](ConsumerOptions& o) { o.visibility = seconds(0); },
       "consumer: visibility must be between 1 s and 43200 s, got 0 s"},
      {[](ConsumerOptions& o) { o.visibility = seconds(43201); },
       "consumer: visibility must be between 1 s and 43200 s, got 43201 s"},
      {[](ConsumerOptions& o) { o.heartbeat_interval = o.visibility; },
       "consumer: heartbeat_interval must be at least 1 s and shorter than visibility (60 s), "
       "got 60 s"},
      {[](ConsumerOptions& o) { o.heartbeat_interval = seconds(0); },
       "consumer: heartbeat_interval must be at least 1 s and shorter than visibility (60 s), "
       "got 0 s"},
      {[](ConsumerOptions& o) { o.max_job_time = seconds(59); },
       "consumer: max_job_time must be between visibility (60 s) and 43200 s, got 59 s"},
      {[](ConsumerOptions& o) { o.max_job_time = seconds(43201); },
       "consumer: max_job_time must be between visibility (60 s) and 43200 s, got 43201 s"},
      {[](ConsumerOptions& o) { o.max_backoff = seconds(-1); },
       "consumer: max_backoff must be between 0 s and 43200 s, got -1 s"},
      {[](ConsumerOptions& o) { o.base_backoff = seconds(301); },
       "consumer: base_backoff must be between 0 s and max_backoff (300 s), got 301 s"},
      {[](ConsumerOptions& o) { o.receive_error_pause = milliseconds(0); },
       "consumer: receive_error_pause must be positive, got 0 ms"},
      {[](ConsumerOptions& o) { o.shutdown_grace = milliseconds(-1); },
       "consumer: shutdown_grace must not be negative, got -1 ms"},
  };
  for (const Case& c : kCases) {
    ConsumerOptions options;
    c.spoil(options);
    Status status = options.Validate();
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << c.message;
    EXPECT_EQ(status.message(), c.message);
  }
}

TEST(ConsumerOptionsTest, BoundsThemselvesAreAccepted) {
  ConsumerOptions options;
  options.concurrency = ConsumerOptions::kMaxConcurrency;
  options.wait_seconds = ConsumerOptions::kMinWaitSeconds;
  options.visibility = seconds(2);
  options.heartbeat_interval = seconds(1);
  options.max_job_time = seconds(2);  // equal to visibility
  options.base_backoff = seconds(0);
  options.max_backoff = seconds(0);
  options.shutdown_grace = milliseconds(0);
  EXPECT_OK(options.Validate());
  options.max_job_time = ConsumerOptions::kMaxVisibility;
  EXPECT_OK(options.Validate());
}

TEST(ConsumerOptionsTest, AnUnsetMaxJobTimeIsFifteenMinutesOrTheVisibilityWhenLonger) {
  ConsumerOptions options;
  EXPECT_EQ(options.EffectiveMaxJobTime(), seconds(900));
  options.visibility = seconds(1800);
  options.heartbeat_interval = seconds(600);
  EXPECT_EQ(options.EffectiveMaxJobTime(), seconds(1800));
  EXPECT_OK(options.Validate());
  options.max_job_time = seconds(3600);
  EXPECT_EQ(options.EffectiveMaxJobTime(), seconds(3600));
}

}  // namespace
}  // namespace enhancer
