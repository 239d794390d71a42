// Metrics: counters, gauges and histograms, exposed in the Prometheus text format at /metrics.
//
// A Metrics registry owns its series; the references it hands out live as long as it does and
// are thread-safe (lock-free on the hot path). Names follow Prometheus conventions:
// enhancer_<what>_<unit>[_total].
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace enhancer {

class Counter {
 public:
  void Increment(double by = 1) {
    double old = value_.load(std::memory_order_relaxed);
    while (!value_.compare_exchange_weak(old, old + by, std::memory_order_relaxed)) {
    }
  }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double by) {
    double old = value_.load(std::memory_order_relaxed);
    while (!value_.compare_exchange_weak(old, old + by, std::memory_order_relaxed)) {
    }
  }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  void Observe(double value);
  // Cumulative counts per upper bound (the last is +Inf), the sum and the count.
  struct Snapshot {
    std::vector<double> bounds;
    std::vector<uint64_t> cumulative;
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot Read() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // one per bound, plus +Inf
  std::atomic<double> sum_{0};
};

// Seconds from 5 ms to 2 min: the range of one stage of one job.
std::vector<double> DurationBuckets();

class Metrics {
 public:
  // Each returns the series of that name and label set, creating it on first use. `labels` is
  // `key="value",...` without braces, or empty. `help` is kept from the first call.
  Counter& GetCounter(const std::string& name, const std::string& help, const std::string& labels = "");
  Gauge& GetGauge(const std::string& name, const std::string& help, const std::string& labels = "");
  Histogram& GetHistogram(const std::string& name, const std::string& help, const std::string& labels = "",
                          std::vector<double> bounds = DurationBuckets());
  // A gauge whose value is read when the metrics are rendered (e.g. queue depth). `read`
  // returning nullopt leaves the series out of that rendering.
  void AddCallbackGauge(const std::string& name, const std::string& help, const std::string& labels,
                        std::function<std::optional<double>()> read);

  // The Prometheus text exposition format, version 0.0.4.
  std::string Render() const;

 private:
  enum class Kind { kCounter, kGauge, kHistogram };
  struct Family {
    Kind kind;
    std::string help;
    std::map<std::string, std::unique_ptr<Counter>> counters;
    std::map<std::string, std::unique_ptr<Gauge>> gauges;
    std::map<std::string, std::unique_ptr<Histogram>> histograms;
    std::map<std::string, std::function<std::optional<double>()>> callbacks;
  };
  Family& FamilyOf(const std::string& name, Kind kind, const std::string& help);

  mutable std::mutex mu_;
  std::map<std::string, Family> families_;
};

}  // namespace enhancer
