// QueueWatch: `enhancer queue stats --watch`: the queue's counts (visible, in flight, delayed,
// dead-lettered) and the last minute's throughput, sampled every interval until SIGINT or
// SIGTERM (exit 0). On a terminal one line is redrawn in place; otherwise each sample is one
// line (or one JSON object with --json), for logs and scripts.
//
// Throughput is measured, not asked for: each sample also counts the products that have left
// the pipeline (pending_review + approved + rejected + failed, from the repository's
// CountByStatus), and the growth of that count over the last 60 s of samples is the number of
// products finished per minute.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "core/clock.h"
#include "db/repository.h"
#include "queue/queue.h"

namespace enhancer {

// Products that have left the pipeline: pending_review + approved + rejected + failed.
int64_t FinishedProducts(const StatusCounts& counts);

// The last `window` of (time, finished products) samples. Not thread-safe.
class ThroughputWindow {
 public:
  explicit ThroughputWindow(std::chrono::seconds window = std::chrono::seconds(60))
      : window_(window) {}

  // Samples must come in time order; older ones than `window` before `at` are dropped (the
  // newest of those is kept as the window's start, so a full window spans `window`).
  void Add(TimePoint at, int64_t finished);

  // Products finished per minute: the growth from the oldest sample in the window to the
  // newest, divided by their span in minutes. nullopt until two samples span some time. The
  // count can shrink (a product enhanced again goes back to queued): that counts as 0.
  std::optional<double> PerMinute() const;

  // The time the samples in the window span.
  std::chrono::milliseconds Span() const;

 private:
  struct Sample {
    TimePoint at;
    int64_t finished;
  };
  std::chrono::seconds window_;
  std::deque<Sample> samples_;
};

struct QueueSample {
  TimePoint at;
  std::optional<QueueStats> stats;      // nullopt when the queue did not answer
  std::string queue_error;              // why not
  std::optional<int64_t> finished;      // nullopt when the repository did not answer
  std::string repository_error;         // why not
  std::optional<double> per_minute;
  std::chrono::milliseconds span{0};
};

// "visible 3 · in flight 2 · delayed 0 · dead-lettered 0 · 12.0 finished/min", with
// " (12 s)", the window, while it is shorter than a minute.
std::string FormatSampleLine(const QueueSample& sample);
// "2026-11-29T03:10:00.123Z visible=3 in_flight=2 delayed=0 dead_lettered=0 finished=17
// finished_per_minute=12.0" (fields without an answer are left out, errors appended).
std::string FormatSampleLogLine(const QueueSample& sample);
// {"time", "visible", "in_flight", "delayed", "dead_lettered", "finished",
//  "finished_per_minute", "window_seconds", "error"}.
std::string FormatSampleJson(const QueueSample& sample);

struct QueueWatchOptions {
  std::chrono::milliseconds interval{1000};  // between samples, >= 100 ms
  bool json = false;                         // one JSON object per sample
};

// Loads the configuration, opens the queue and the repository, and samples until SIGINT or
// SIGTERM. Returns the exit code: 0 when interrupted, 2 for bad configuration, 1 when the queue
// cannot be opened. A failing sample is shown and the watch goes on.
int RunQueueWatch(const QueueWatchOptions& options);

}  // namespace enhancer
