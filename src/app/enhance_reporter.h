// EnhanceReporter: what `enhancer enhance` tells whoever runs it, while it runs and at the end.
//
//   stderr, a terminal: one progress line redrawn in place (done/total, photos per second, time
//       left, a file being worked on), refreshed every second; failures are printed above it as
//       they happen.
//   stderr, not a terminal: one plain line per photo ("[3/12] enhanced b/c.jpg (2 variants,
//       0.8 s)"), never a carriage return.
//   --quiet: nothing on stderr but the failures.
//   stdout: with --json one JSON object per photo as it finishes ({"file", "status" ok|skipped|
//       failed, "error", "outputs", "elapsed_ms"}); without, only the contact sheet's path at the
//       end. Progress never goes to stdout.
//   At the end, on stderr: every failure with its reason (even with --quiet), then a summary.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/photo_job.h"
#include "app/photo_walk.h"
#include "app/progress_line.h"

namespace enhancer {

struct ReporterOptions {
  bool json = false;
  bool quiet = false;
  bool live = false;    // stderr is a terminal (and not quiet): draw the progress line
  std::string out_dir;  // as given; JSON outputs are joined to it
};

// Thread-safe: workers call Started() and Finished() concurrently.
class EnhanceReporter {
 public:
  // Writes to the file descriptors `out` (results) and `err` (progress, log, failures); does
  // not own them.
  EnhanceReporter(ReporterOptions options, int out, int err);
  ~EnhanceReporter();  // stops the refresh thread
  EnhanceReporter(const EnhanceReporter&) = delete;
  EnhanceReporter& operator=(const EnhanceReporter&) = delete;

  void Begin(size_t total);
  void Started(const PhotoInput& photo);
  void Finished(const PhotoInput& photo, const PhotoResult& result);
  // A message for the person, above the progress line (not shown with --quiet).
  void Note(const std::string& message);
  // Stops the progress line, prints the failures and the summary; `sheet_path` is the contact
  // sheet written, or empty when it could not be.
  void End(const std::string& sheet_path, bool interrupted);

 private:
  void RedrawLocked();
  void WriteLocked(int fd, std::string_view text);  // clears the progress line first
  double ElapsedSeconds() const;

  const ReporterOptions options_;
  const int out_;
  const int err_;
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();

  std::mutex mu_;
  std::condition_variable_any refresh_;
  ProgressLine line_;                     // guarded by mu_
  size_t total_ = 0;                      // guarded by mu_
  size_t done_ = 0, enhanced_ = 0, skipped_ = 0, stopped_ = 0;  // guarded by mu_
  std::vector<std::string> working_;      // guarded by mu_: started, not finished
  std::vector<std::pair<std::string, std::string>> failures_;  // guarded by mu_: file, reason
  bool ended_ = false;                    // guarded by mu_
  std::jthread ticker_;  // last: started after everything it reads exists
};

}  // namespace enhancer
