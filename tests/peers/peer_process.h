// PeerProcess: a real server that an integration test runs on 127.0.0.1 (s3rver, fauxqs,
// moto_server), started by the test and stopped by its own process id, never by name.
//
// Test-only. Servers report readiness by printing a line ("S3RVER_PORT=41234"); the test waits
// for that line, so no test sleeps while a server starts.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace enhancer::peers {

class PeerProcess {
 public:
  // Runs `argv` (argv[0] a path, or a name looked up in PATH) with the current environment plus
  // `env`; stdout and stderr go to `log_path` (created or truncated). FailedPrecondition when it
  // cannot be started (the program is missing or not executable: the log says which).
  static Result<std::unique_ptr<PeerProcess>> Start(std::vector<std::string> argv,
                                                    std::map<std::string, std::string> env,
                                                    std::string log_path);

  // Stops the process if it still runs.
  ~PeerProcess();
  PeerProcess(const PeerProcess&) = delete;
  PeerProcess& operator=(const PeerProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool Running();

  // SIGTERM to this pid, SIGKILL if it has not exited after `grace`; reaps it. Idempotent.
  void Stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

  // Waits for the process to exit by itself (a command such as the aws CLI) and returns its exit
  // code, 128 + the signal when a signal ended it. DeadlineExceeded after `timeout` (a hang
  // guard), the process then still running.
  Result<int> Wait(std::chrono::seconds timeout);

  // Everything the process printed so far.
  std::string Log() const;

  // Polls the log until a line starts with `prefix` and returns the rest of that line.
  // FailedPrecondition when the process exits first, DeadlineExceeded after `timeout` (a hang
  // guard, not a timing assertion); both messages end with the log's tail.
  Result<std::string> WaitForLogLine(std::string_view prefix, std::chrono::seconds timeout);

 private:
  PeerProcess(pid_t pid, std::string log_path) : pid_(pid), log_path_(std::move(log_path)) {}
  std::string LogTail() const;

  // Reaps the process if it has exited, keeping its exit code; true once reaped.
  bool Reap(bool block);

  pid_t pid_;
  bool reaped_ = false;
  int exit_code_ = -1;
  std::string log_path_;
};

// A fresh folder under the system temporary folder, removed with everything in it.
class PeerTempDir {
 public:
  // `name` becomes part of the folder's name, for whoever looks in /tmp.
  explicit PeerTempDir(std::string_view name);
  ~PeerTempDir();
  PeerTempDir(const PeerTempDir&) = delete;
  PeerTempDir& operator=(const PeerTempDir&) = delete;

  // Empty when the folder could not be made.
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// tests/peers in the source tree: where package.json, node_modules and the launch scripts are.
std::string PeersDir();

// The Node.js that tests/peers/package-lock.json pins (node_modules/.bin/node, Node 22; the
// machine's default node may be older). FailedPrecondition naming scripts/install-deps when it
// is missing.
Result<std::string> PeersNodeBinary();

}  // namespace enhancer::peers
