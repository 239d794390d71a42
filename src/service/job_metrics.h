// JobMetrics: the series the worker updates as messages move through it (see GET /metrics).
#pragma once

#include <chrono>

#include "core/metrics.h"
#include "core/status.h"

namespace enhancer {

struct JobMetrics {
  explicit JobMetrics(Metrics& m);

  Counter& received;
  Counter& deleted;
  Counter& retried;
  Counter& products_ok;
  Counter& products_failed;
  Gauge& in_flight;
  Counter& bytes_uploaded;
  Counter& prompt_tokens;
  Counter& output_tokens;
  Histogram& download;
  Histogram& decode;
  Histogram& plan;
  Histogram& render;
  Histogram& upload;
  Histogram& database;
};

// Observes the seconds from construction to destruction into a histogram (if any).
class StageTimer {
 public:
  explicit StageTimer(Histogram* histogram)
      : histogram_(histogram), start_(std::chrono::steady_clock::now()) {}
  ~StageTimer() {
    if (histogram_) {
      histogram_->Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
    }
  }
  StageTimer(const StageTimer&) = delete;
  StageTimer& operator=(const StageTimer&) = delete;

 private:
  Histogram* histogram_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace enhancer
