#include "app/queue_watch.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace enhancer {
namespace {

using std::chrono::seconds;

TEST(QueueWatchTest, FinishedProductsAreTheOnesThatLeftThePipeline) {
  StatusCounts counts{{{ProductStatus::kDraft, 100},
                       {ProductStatus::kQueued, 50},
                       {ProductStatus::kProcessing, 4},
                       {ProductStatus::kPendingReview, 3},
                       {ProductStatus::kApproved, 5},
                       {ProductStatus::kRejected, 7},
                       {ProductStatus::kFailed, 11}}};
  EXPECT_EQ(FinishedProducts(counts), 26);
}

TEST(QueueWatchTest, ThroughputIsTheGrowthOverTheLastMinuteOfSamples) {
  const TimePoint t0 = FromUnixMillis(1'700'000'000'000);
  ThroughputWindow window;
  EXPECT_FALSE(window.PerMinute().has_value());
  window.Add(t0, 10);
  EXPECT_FALSE(window.PerMinute().has_value());  // one sample spans no time
  window.Add(t0 + seconds(30), 20);
  ASSERT_TRUE(window.PerMinute().has_value());
  EXPECT_DOUBLE_EQ(*window.PerMinute(), 20.0);  // 10 in 30 s
  window.Add(t0 + seconds(60), 40);
  EXPECT_DOUBLE_EQ(*window.PerMinute(), 30.0);  // 30 in 60 s
  EXPECT_EQ(window.Span(), seconds(60));
  window.Add(t0 + seconds(90), 46);  // t0 has left the window
  EXPECT_EQ(window.Span(), seconds(60));
  EXPECT_DOUBLE_EQ(*window.PerMinute(), 26.0);  // 20 -> 46
}

TEST(QueueWatchTest, AShrinkingCountIsNoThroughput) {
  const TimePoint t0 = FromUnixMillis(1'700'000'000'000);
  ThroughputWindow window;
  window.Add(t0, 10);
  window.Add(t0 + seconds(10), 8);  // two products enhanced again went back to queued
  EXPECT_DOUBLE_EQ(*window.PerMinute(), 0.0);
}

TEST(QueueWatchTest, FormatsASampleForATerminalALogAndAScript) {
  QueueSample sample;
  sample.at = FromUnixMillis(1'700'000'000'000);
  sample.stats = QueueStats{3, 2, 1, 0};
  sample.finished = 17;
  sample.per_minute = 12.0;
  sample.span = std::chrono::milliseconds(60'000);
  EXPECT_EQ(FormatSampleLine(sample),
            "visible 3 · in flight 2 · delayed 1 · dead-lettered 0 · 12.0 finished/min");
  QueueSample young = sample;
  young.span = std::chrono::milliseconds(12'300);
  EXPECT_EQ(FormatSampleLine(young),
            "visible 3 · in flight 2 · delayed 1 · dead-lettered 0 · 12.0 finished/min (12 s)");
  EXPECT_EQ(FormatSampleLogLine(sample),
            "2023-11-14T22:13:20.000Z visible=3 in_flight=2 delayed=1 dead_lettered=0 finished=17 "
            "finished_per_minute=12.0 window_seconds=60");
  nlohmann::json json = nlohmann::json::parse(FormatSampleJson(sample));
  EXPECT_EQ(json["visible"], 3);
  EXPECT_EQ(json["in_flight"], 2);
  EXPECT_EQ(json["finished_per_minute"], 12.0);
  EXPECT_TRUE(json["error"].is_null());

  QueueSample broken;
  broken.at = sample.at;
  broken.queue_error = "database is locked";
  broken.repository_error = "no such table: products";
  EXPECT_EQ(FormatSampleLine(broken),
            "queue unavailable: database is locked · finished/min unknown: no such table: products");
}

}  // namespace
}  // namespace enhancer
