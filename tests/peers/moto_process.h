// MotoProcess: moto_server 5 (AWS service emulators; here for SQS over AWS JSON 1.0) on
// 127.0.0.1 and a free port. moto_server comes with the machine image's Python (pip); a test
// that needs it fails, naming it, where it is missing.
//
// With check_signatures, moto verifies SigV4 like AWS: the first three requests are free
// (INITIAL_NO_AUTH_ACTION_COUNT=3), meant for creating an IAM user, its access key and an
// allow-all policy; every request after them must be signed with a key moto issued, and a wrong
// secret gets 403 SignatureDoesNotMatch (an XML body, even for JSON SQS).
//
// Test-only. moto routes a request by its credential scope, so unsigned SQS calls land in its S3
// handler: always sign. It answers 50-80 requests/s with Connection: close; fine for functional
// tests, not for load.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "core/status.h"
#include "peers/peer_process.h"

namespace enhancer::peers {

class MotoProcess {
 public:
  // The requests moto serves unsigned when it checks signatures.
  static constexpr int kFreeRequests = 3;

  // Starts the server and returns once it listens. FailedPrecondition when moto_server is not
  // on PATH or exits at start; DeadlineExceeded when it never says it runs.
  static Result<std::unique_ptr<MotoProcess>> Start(bool check_signatures);

  // Stops the server by its pid and removes its log folder.
  ~MotoProcess();

  int port() const { return port_; }
  // "http://127.0.0.1:<port>"
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return process_->pid(); }
  std::string Log() const { return process_->Log(); }

 private:
  MotoProcess() : dir_("moto") {}

  PeerTempDir dir_;  // the log; removed after the process stops
  std::unique_ptr<PeerProcess> process_;
  int port_ = 0;
};

// The full path of `program` in PATH; NotFound naming it and PATH when it is not there.
Result<std::string> FindInPath(const std::string& program);

}  // namespace enhancer::peers
