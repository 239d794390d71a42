#include "app/queue_watch.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/config.h"
#include "app/progress_line.h"
#include "app/wiring.h"

namespace enhancer {
namespace {

std::string OneDecimal(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f", value);
  return text;
}

// Waits until `deadline` or a blocked SIGINT/SIGTERM, whichever comes first. True on a signal.
bool WaitForSignal(const sigset_t& signals, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::nanoseconds(0)) return false;
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
    timespec timeout{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
    const int signal = sigtimedwait(&signals, nullptr, &timeout);
    if (signal == SIGINT || signal == SIGTERM) return true;
    if (signal < 0 && errno == EAGAIN) return false;
    // EINTR (another signal, handled elsewhere): wait for the rest of the interval.
  }
}

QueueSample TakeSample(Queue& queue, Repository* repository, std::string_view repository_error,
                       ThroughputWindow& window) {
  QueueSample sample;
  sample.at = Clock::Real().Now();
  Result<QueueStats> stats = queue.Stats();
  if (stats) {
    sample.stats = *stats;
  } else {
    sample.queue_error = stats.error().message();
  }
  if (repository == nullptr) {
    sample.repository_error = std::string(repository_error);
  } else if (Result<StatusCounts> counts = repository->CountByStatus(); counts) {
    sample.finished = FinishedProducts(*counts);
    window.Add(sample.at, *sample.finished);
  } else {
    sample.repository_error = counts.error().message();
  }
  sample.per_minute = window.PerMinute();
  sample.span = window.Span();
  return sample;
}

}  // namespace

int64_t FinishedProducts(const StatusCounts& counts) {
  int64_t finished = 0;
  for (const auto& [status, count] : counts.counts) {
    if (status == ProductStatus::kPendingReview || status == ProductStatus::kApproved ||
        status == ProductStatus::kRejected || status == ProductStatus::kFailed) {
      finished += count;
    }
  }
  return finished;
}

void ThroughputWindow::Add(TimePoint at, int64_t finished) {
  samples_.push_back({at, finished});
  // Keep one sample at or before the window's start, so that the window spans all of it.
  while (samples_.size() > 2 && samples_[1].at <= at - window_) samples_.pop_front();
}

std::optional<double> ThroughputWindow::PerMinute() const {
  if (samples_.size() < 2) return std::nullopt;
  const std::chrono::milliseconds span = Span();
  if (span.count() <= 0) return std::nullopt;
  const int64_t growth = std::max<int64_t>(0, samples_.back().finished - samples_.front().finished);
  return static_cast<double>(growth) * 60'000.0 / static_cast<double>(span.count());
}

std::chrono::milliseconds ThroughputWindow::Span() const {
  if (samples_.empty()) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(samples_.back().at -
                                                               samples_.front().at);
}

std::string FormatSampleLine(const QueueSample& sample) {
  std::string line;
  if (sample.stats) {
    line = "visible " + std::to_string(sample.stats->visible) + " · in flight " +
           std::to_string(sample.stats->in_flight) + " · delayed " +
           std::to_string(sample.stats->delayed) + " · dead-lettered " +
           std::to_string(sample.stats->dead_lettered);
  } else {
    line = "queue unavailable: " + sample.queue_error;
  }
  if (sample.per_minute) {
    line += " · " + OneDecimal(*sample.per_minute) + " finished/min";
    // Only a window shorter than a minute (just started) is worth the columns.
    if (sample.span < std::chrono::seconds(59)) {
      line += " (" + std::to_string((sample.span.count() + 500) / 1000) + " s)";
    }
  } else if (sample.finished) {
    line += " · finished/min: measuring";
  } else {
    line += " · finished/min unknown: " + sample.repository_error;
  }
  return line;
}

std::string FormatSampleLogLine(const QueueSample& sample) {
  std::string line = FormatIso8601(sample.at);
  if (sample.stats) {
    line += " visible=" + std::to_string(sample.stats->visible) +
            " in_flight=" + std::to_string(sample.stats->in_flight) +
            " delayed=" + std::to_string(sample.stats->delayed) +
            " dead_lettered=" + std::to_string(sample.stats->dead_lettered);
  }
  if (sample.finished) line += " finished=" + std::to_string(*sample.finished);
  if (sample.per_minute) {
    line += " finished_per_minute=" + OneDecimal(*sample.per_minute) +
            " window_seconds=" + std::to_string((sample.span.count() + 500) / 1000);
  }
  if (!sample.queue_error.empty()) line += " queue_error=\"" + sample.queue_error + "\"";
  if (!sample.repository_error.empty()) {
    line += " repository_error=\"" + sample.repository_error + "\"";
  }
  return line;
}

std::string FormatSampleJson(const QueueSample& sample) {
  nlohmann::json json = {{"time", FormatIso8601(sample.at)}};
  if (sample.stats) {
    json["visible"] = sample.stats->visible;
    json["in_flight"] = sample.stats->in_flight;
    json["delayed"] = sample.stats->delayed;
    json["dead_lettered"] = sample.stats->dead_lettered;
  }
  json["finished"] = sample.finished ? nlohmann::json(*sample.finished) : nullptr;
  json["finished_per_minute"] = sample.per_minute ? nlohmann::json(*sample.per_minute) : nullptr;
  json["window_seconds"] = static_cast<double>(sample.span.count()) / 1000.0;
  std::string error = sample.queue_error;
  if (!sample.repository_error.empty()) {
    error += (error.empty() ? "" : "; ") + sample.repository_error;
  }
  json["error"] = error.empty() ? nlohmann::json(nullptr) : nlohmann::json(error);
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

int RunQueueWatch(const QueueWatchOptions& options) {
  // Blocked before anything starts a thread, then taken with sigtimedwait between samples:
  // Ctrl-C ends the watch cleanly (exit 0) instead of killing it mid-line.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  Result<Environment> env = ReadEnvironment(".");
  Result<Config> config = env ? LoadConfig(*env) : Result<Config>(env.error());
  if (!config) {
    std::cerr << "enhancer: " << config.error().message() << "\n";
    return 2;
  }
  AwsClients aws(*config);
  Result<std::unique_ptr<Queue>> queue = OpenQueue(*config, aws);
  if (!queue) {
    std::cerr << "enhancer: " << queue.error().WithContext("opening the queue").message() << "\n";
    return 1;
  }
  // Without the database the counts still show; only the throughput is unknown.
  Result<std::unique_ptr<Repository>> repository = OpenRepository(*config);
  const std::string repository_error =
      repository ? "" : repository.error().WithContext("opening the database").message();

  const bool terminal = isatty(STDOUT_FILENO) == 1;
  ProgressLine line(STDOUT_FILENO);
  ThroughputWindow window;
  const auto start = std::chrono::steady_clock::now();
  for (int64_t tick = 1;; ++tick) {
    QueueSample sample = TakeSample(**queue, repository ? repository->get() : nullptr,
                                    repository_error, window);
    if (options.json) {
      std::cout << FormatSampleJson(sample) << std::endl;
    } else if (terminal) {
      line.Draw(FitRight(FormatSampleLine(sample), static_cast<size_t>(std::max(0, line.Width() - 1))));
    } else {
      std::cout << FormatSampleLogLine(sample) << std::endl;
    }
    // Ticks on a fixed schedule: a slow sample does not push the later ones back.
    auto next = start + tick * options.interval;
    for (const auto now = std::chrono::steady_clock::now(); next <= now; ++tick) next += options.interval;
    if (WaitForSignal(signals, next)) break;
  }
  if (terminal && !options.json) std::cout << "\n" << std::flush;  // keep the last line
  return 0;
}

}  // namespace enhancer
