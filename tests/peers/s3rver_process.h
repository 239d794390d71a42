// S3rverProcess: @20minutes/s3rver 5 (an S3 emulator) on 127.0.0.1 and a free port, with its own
// empty data folder, for tests of S3 clients. It verifies SigV4 on header-signed requests and on
// presigned URLs (tampered: 403 SignatureDoesNotMatch; expired: 403 AccessDenied) for the one
// key pair S3RVER / S3RVER, in any region.
//
// Test-only. Known bug: a bucket-level path ending in '/' ("PUT /bucket/") fails its signature
// check; create buckets as "PUT /bucket", as boto3 and the aws CLI do.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>

#include "core/status.h"
#include "peers/peer_process.h"

namespace enhancer::peers {

class S3rverProcess {
 public:
  static constexpr char kAccessKeyId[] = "S3RVER";
  static constexpr char kSecretAccessKey[] = "S3RVER";

  // Starts the server and returns once it accepts requests. FailedPrecondition when Node 22 or
  // the package is not installed (run scripts/install-deps) or the server exits at start;
  // DeadlineExceeded when it never says it is ready.
  static Result<std::unique_ptr<S3rverProcess>> Start();

  // Stops the server (by its pid) and removes its data folder.
  ~S3rverProcess();

  int port() const { return port_; }
  // "http://127.0.0.1:<port>"
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return process_->pid(); }
  // What the server printed (its errors, when a test fails).
  std::string Log() const { return process_->Log(); }

 private:
  S3rverProcess() : dir_("s3rver") {}

  PeerTempDir dir_;  // data/ (the buckets) and the log; removed after the process stops
  std::unique_ptr<PeerProcess> process_;
  int port_ = 0;
};

}  // namespace enhancer::peers
