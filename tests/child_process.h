// ChildProcess: runs a program for a test (e.g. `enhancer serve`), with its output in a file,
// and stops it by process id when the test ends.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace enhancer::testing {

class ChildProcess {
 public:
  // Starts `argv` in `cwd` with the current environment plus `env`; stdout and stderr go to
  // `log_path`.
  ChildProcess(std::vector<std::string> argv, std::map<std::string, std::string> env,
               std::string cwd, std::string log_path);
  // Sends SIGKILL if still running, and reaps it.
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  // Sends `signal` and waits for the exit; returns the exit code (128+signal if killed).
  int Stop(int signal = SIGTERM, std::chrono::seconds timeout = std::chrono::seconds(60));
  // Waits for a normal exit; returns the exit code, or -1 after `timeout` (hang guard).
  int Wait(std::chrono::seconds timeout);
  bool Running();
  std::string Log() const;

 private:
  pid_t pid_ = -1;
  int exit_code_ = -1;
  std::string log_path_;
};

// Polls `done` every 50 ms until it is true or `timeout` passes (a hang guard, not a timing
// assertion). Returns the last result.
bool WaitUntil(const std::function<bool()>& done, std::chrono::seconds timeout);

}  // namespace enhancer::testing
