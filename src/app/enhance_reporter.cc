#include "app/enhance_reporter.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace enhancer {
namespace {

void WriteAll(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // a closed pipe: the run goes on, its files are what matter
    text.remove_prefix(static_cast<size_t>(n));
  }
}

std::string Seconds(std::chrono::milliseconds elapsed) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f s", static_cast<double>(elapsed.count()) / 1000.0);
  return text;
}

}  // namespace

EnhanceReporter::EnhanceReporter(ReporterOptions options, int out, int err)
    : options_(std::move(options)), out_(out), err_(err), line_(err) {
  if (!options_.live) return;
  // Time left and photos/s change while a long photo renders; redraw every second.
  ticker_ = std::jthread([this](std::stop_token stop) {
    std::unique_lock lock(mu_);
    while (!stop.stop_requested()) {
      refresh_.wait_for(lock, stop, std::chrono::seconds(1), [] { return false; });
      if (!stop.stop_requested() && !ended_ && total_ > 0) RedrawLocked();
    }
  });
}

EnhanceReporter::~EnhanceReporter() {
  ticker_.request_stop();
  if (ticker_.joinable()) ticker_.join();
}

double EnhanceReporter::ElapsedSeconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void EnhanceReporter::RedrawLocked() {
  if (!options_.live || ended_) return;
  ProgressState state{done_, total_, failures_.size(), ElapsedSeconds(),
                      working_.empty() ? "" : working_.back()};
  line_.Draw(FormatProgress(state, line_.Width()));
}

void EnhanceReporter::WriteLocked(int fd, std::string_view text) {
  if (options_.live) line_.Clear();
  WriteAll(fd, text);
}

void EnhanceReporter::Begin(size_t total) {
  std::lock_guard lock(mu_);
  total_ = total;
  RedrawLocked();
}

void EnhanceReporter::Started(const PhotoInput& photo) {
  std::lock_guard lock(mu_);
  working_.push_back(photo.path);
  RedrawLocked();
}

void EnhanceReporter::Finished(const PhotoInput& photo, const PhotoResult& result) {
  std::lock_guard lock(mu_);
  if (auto it = std::find(working_.begin(), working_.end(), photo.path); it != working_.end()) {
    working_.erase(it);
  }
  ++done_;
  const bool failed = result.outcome == PhotoOutcome::kFailed;
  // Cancelled only happens after Ctrl-C: the photo is not at fault, so it is not a failure.
  const bool stopped = failed && result.error.code() == StatusCode::kCancelled;
  if (stopped) {
    ++stopped_;
  } else if (failed) {
    failures_.emplace_back(photo.path, result.error.message());
  }
  if (result.outcome == PhotoOutcome::kEnhanced) ++enhanced_;
  if (result.outcome == PhotoOutcome::kSkipped) ++skipped_;

  if (options_.json) {
    nlohmann::json outputs = nlohmann::json::array();
    for (const std::string& file : result.outputs) {
      outputs.push_back((std::filesystem::path(options_.out_dir) / file).generic_string());
    }
    nlohmann::json line = {{"file", photo.path},
                           {"status", PhotoOutcomeName(result.outcome)},
                           {"error", failed ? nlohmann::json(result.error.message()) : nullptr},
                           {"outputs", std::move(outputs)},
                           {"elapsed_ms", result.elapsed.count()}};
    WriteLocked(out_, line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  }

  const std::string count = "[" + std::to_string(done_) + "/" + std::to_string(total_) + "] ";
  if (stopped) {
    if (!options_.quiet) WriteLocked(err_, count + "stopped " + photo.path + " (interrupted)\n");
  } else if (failed) {
    if (options_.live || !options_.quiet) {
      WriteLocked(err_, count + "failed " + photo.path + ": " + result.error.message() + "\n");
    }
  } else if (!options_.live && !options_.quiet) {
    if (result.outcome == PhotoOutcome::kSkipped) {
      WriteLocked(err_, count + "up to date " + photo.path + "\n");
    } else {
      WriteLocked(err_, count + "enhanced " + photo.path + " (" +
                            std::to_string(result.images.size()) + " variants, " +
                            Seconds(result.elapsed) + ")\n");
    }
  }
  RedrawLocked();
}

void EnhanceReporter::Note(const std::string& message) {
  std::lock_guard lock(mu_);
  if (options_.quiet) return;
  WriteLocked(err_, message + "\n");
  RedrawLocked();
}

void EnhanceReporter::End(const std::string& sheet_path, bool interrupted) {
  std::lock_guard lock(mu_);
  if (options_.live) line_.Clear();
  ended_ = true;
  std::string text;
  if (!failures_.empty()) {
    text += std::to_string(failures_.size()) + (failures_.size() == 1 ? " photo" : " photos") +
            " failed:\n";
    for (const auto& [file, reason] : failures_) text += "  " + file + ": " + reason + "\n";
  }
  if (!options_.quiet) {
    const double elapsed = ElapsedSeconds();
    char rate[32];
    std::snprintf(rate, sizeof(rate), "%.1f", elapsed > 0 ? static_cast<double>(done_) / elapsed : 0.0);
    text += std::to_string(total_) + (total_ == 1 ? " photo: " : " photos: ") +
            std::to_string(enhanced_) + " enhanced, " + std::to_string(skipped_) +
            " up to date, " + std::to_string(failures_.size()) + " failed";
    if (interrupted) {
      text += ", " + std::to_string(stopped_) + " stopped and " + std::to_string(total_ - done_) +
              " not started (interrupted)";
    }
    text += ", in " + FormatDuration(elapsed) + " (" + rate + " photos/s).\n";
    if (!sheet_path.empty()) text += "Contact sheet: " + sheet_path + "\n";
  }
  WriteAll(err_, text);
  if (!options_.json && !sheet_path.empty()) WriteAll(out_, sheet_path + "\n");
}

}  // namespace enhancer
