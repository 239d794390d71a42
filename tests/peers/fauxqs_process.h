// FauxqsProcess: fauxqs 2.4 (an SQS emulator, AWS JSON 1.0 protocol) on 127.0.0.1 and a free
// port, for tests of SQS clients. It keeps SQS's semantics closely: long polls, per-receive
// visibility, ChangeMessageVisibility that does not count a receive, RedrivePolicy moving a
// message to its dead-letter queue, batches, and a stale receipt handle treated as AWS does
// (DeleteMessage succeeds without deleting; ChangeMessageVisibility is refused).
//
// Test-only. What it does not do: check signatures (any credentials pass), speak the query
// protocol, or refuse a malformed receipt handle on DeleteMessage. The queue URLs it returns name
// the host sqs.<region>.localhost, which does not resolve: send every request to endpoint().
// All state is in memory and goes with the process.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "core/status.h"
#include "peers/peer_process.h"

namespace enhancer::peers {

class FauxqsProcess {
 public:
  // Starts the server and returns once it accepts requests. FailedPrecondition when Node 22 or
  // the package is not installed (run scripts/install-deps) or the server exits at start;
  // DeadlineExceeded when it never says it is ready.
  static Result<std::unique_ptr<FauxqsProcess>> Start();

  // Stops the server by its pid and removes its log folder.
  ~FauxqsProcess();

  int port() const { return port_; }
  // "http://127.0.0.1:<port>"
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return process_->pid(); }
  // What the server printed (its errors, when a test fails).
  std::string Log() const { return process_->Log(); }

 private:
  FauxqsProcess() : dir_("fauxqs") {}

  PeerTempDir dir_;  // the log; removed after the process stops
  std::unique_ptr<PeerProcess> process_;
  int port_ = 0;
};

}  // namespace enhancer::peers
