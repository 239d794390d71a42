// EnhancerInstance: one installation of the real `enhancer` binary for a test — a fresh folder
// holding its database, queue file and media folder, the environment that points the binary at
// them, and the running `serve` or `worker` process, which the test can signal, kill and restart.
// Every server it starts listens on 127.0.0.1; the destructor kills what still runs (by pid) and
// removes the folder.
#pragma once

#include <signal.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "child_process.h"

namespace enhancer::testing {

class EnhancerInstance {
 public:
  // `name` goes into the folder's name, for a person looking at /tmp.
  explicit EnhancerInstance(const std::string& name);
  EnhancerInstance(const EnhancerInstance&) = delete;
  EnhancerInstance& operator=(const EnhancerInstance&) = delete;
  ~EnhancerInstance();

  // The variables the binary runs with; change them before Start().
  std::map<std::string, std::string>& env() { return env_; }
  const std::filesystem::path& dir() const { return dir_; }
  std::string database_path() const { return (dir_ / "enhancer.db").string(); }
  std::string queue_path() const { return (dir_ / "queue.db").string(); }
  std::filesystem::path media_dir() const { return dir_ / "media"; }

  // Runs `enhancer args...` to the end (a hang guard of two minutes): exit code and output.
  std::pair<int, std::string> Run(const std::vector<std::string>& args);

  // Starts `enhancer serve` or `enhancer worker`; true once its worker runs (and, for serve,
  // once it says where it listens). False (with the log in the failure) otherwise.
  bool Start(const std::string& command);
  bool Running() { return process_ != nullptr && process_->Running(); }
  pid_t pid() const { return process_ ? process_->pid() : -1; }
  // Sends `signal` without waiting.
  void Signal(int signal);
  // Sends `signal` and waits (up to `guard`, then SIGKILL); returns the exit code (128+signal
  // when killed by it).
  int Stop(int signal = SIGTERM, std::chrono::seconds guard = std::chrono::seconds(120));
  // Waits for an exit already under way; -1 after `guard`.
  int Wait(std::chrono::seconds guard);
  // Output of the current (or last) run, and of every run in order.
  std::string Log() const;
  std::string AllLogs() const;
  int port() const { return port_; }

  // The HTTP API of a started `serve`.
  struct Answer {
    int status = 0;  // 0: no answer
    nlohmann::json body;
    std::string raw;
  };
  Answer Get(const std::string& path) const;
  Answer Post(const std::string& path, const nlohmann::json& body) const;
  // POST /uploads with `bytes` as the file; the answer's "key" is a raw_image_url.
  Answer Upload(const std::string& bytes) const;
  // Creates a product and asks for its enhancement; returns its id, or -1 (with a failure).
  int64_t CreateAndEnhance(const std::string& name, const std::string& raw_image_url) const;
  // Polls GET /products/{id} until the product is no longer queued or processing; returns it.
  nlohmann::json WaitUntilSettled(int64_t id,
                                  std::chrono::seconds guard = std::chrono::seconds(300)) const;

 private:
  std::filesystem::path dir_;
  std::map<std::string, std::string> env_;
  std::unique_ptr<ChildProcess> process_;
  std::vector<std::filesystem::path> logs_;
  int port_ = 0;
};

// Regular files under `root`, as paths relative to it ("products/1/ab/1-faithful.jpg").
std::vector<std::string> FilesUnder(const std::filesystem::path& root);

}  // namespace enhancer::testing
