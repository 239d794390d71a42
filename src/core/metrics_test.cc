#include "core/metrics.h"

#include <gtest/gtest.h>

#include <thread>

namespace enhancer {
namespace {

TEST(MetricsTest, RendersCountersGaugesAndHistogramsInPrometheusFormat) {
  Metrics m;
  m.GetCounter("enhancer_messages_received_total", "Messages received.").Increment(3);
  m.GetCounter("enhancer_products_total", "Products finished.", "outcome=\"failed\"").Increment();
  m.GetGauge("enhancer_jobs_in_flight", "Jobs running.").Set(2);
  Histogram& h = m.GetHistogram("enhancer_stage_seconds", "Stage time.", "stage=\"render\"", {0.1, 1});
  h.Observe(0.05);
  h.Observe(0.5);
  h.Observe(7);
  m.AddCallbackGauge("enhancer_queue_messages", "Queue depth.", "state=\"visible\"", [] { return 4.0; });
  m.AddCallbackGauge("enhancer_queue_messages", "Queue depth.", "state=\"gone\"", [] { return std::nullopt; });

  std::string text = m.Render();
  for (const char* line : {
           "# TYPE enhancer_messages_received_total counter\n",
           "enhancer_messages_received_total 3\n",
           "enhancer_products_total{outcome=\"failed\"} 1\n",
           "# TYPE enhancer_jobs_in_flight gauge\n",
           "enhancer_jobs_in_flight 2\n",
           "# TYPE enhancer_stage_seconds histogram\n",
           "enhancer_stage_seconds_bucket{stage=\"render\",le=\"0.1\"} 1\n",
           "enhancer_stage_seconds_bucket{stage=\"render\",le=\"1\"} 2\n",
           "enhancer_stage_seconds_bucket{stage=\"render\",le=\"+Inf\"} 3\n",
           "enhancer_stage_seconds_sum{stage=\"render\"} 7.55\n",
           "enhancer_stage_seconds_count{stage=\"render\"} 3\n",
           "enhancer_queue_messages{state=\"visible\"} 4\n",
       }) {
    EXPECT_NE(text.find(line), std::string::npos) << "missing: " << line << "\n" << text;
  }
  EXPECT_EQ(text.find("gone"), std::string::npos);
}

TEST(MetricsTest, CountsFromManyThreadsAddUp) {
  Metrics m;
  Counter& c = m.GetCounter("c_total", "c");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) c.Increment();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.value(), 40000);
  EXPECT_EQ(&m.GetCounter("c_total", "c"), &c) << "the same series is returned";
}

}  // namespace
}  // namespace enhancer
