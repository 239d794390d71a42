// The Queue contract: one test suite every queue must pass (the embedded queue now, SQS later),
// written against the interface only.
//
// To run it on an implementation, compile queue_contract_test.cc into that implementation's test
// binary and instantiate it with a harness factory:
//
//   INSTANTIATE_TEST_SUITE_P(Embedded, QueueContractTest,
//                            ::testing::Values(QueueContractParam{"Embedded", MakeHarness}),
//                            QueueContractParamName);
//
// Times in the tests are short (seconds), so a harness whose Advance() really waits (a remote
// queue) stays usable; with a fake clock they cost nothing.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "queue/queue.h"

namespace enhancer {

// One empty queue for one test.
class QueueHarness {
 public:
  virtual ~QueueHarness() = default;

  // Opens the queue under test. Called again after the previous object was destroyed, it opens
  // the same queue, with the messages and leases the earlier one left (a restart).
  virtual Result<std::unique_ptr<Queue>> Open() = 0;

  // Moves the queue's time forward by `d`: a fake clock's Advance, or a real wait.
  virtual void Advance(std::chrono::milliseconds d) = 0;

  // The queue's dead-letter threshold: a message is delivered at most this many times.
  virtual int max_receive_count() const = 0;

  // Whether Delete with a stale handle fails with InvalidArgument. SQS answers such a delete with
  // success and keeps the message (AWS documents it), so there the suite checks only that
  // nothing was deleted.
  virtual bool refuses_stale_delete() const { return true; }

  // Whether Delete refuses a malformed (non-empty) handle. AWS and moto do
  // (ReceiptHandleIsInvalid); fauxqs accepts any handle on DeleteMessage.
  virtual bool refuses_malformed_delete() const { return true; }
};

struct QueueContractParam {
  std::string name;  // letters and digits only: it becomes part of the test name
  std::function<std::unique_ptr<QueueHarness>()> make_harness;
};

inline void PrintTo(const QueueContractParam& param, std::ostream* os) { *os << param.name; }

inline std::string QueueContractParamName(
    const ::testing::TestParamInfo<QueueContractParam>& info) {
  return info.param.name;
}

class QueueContractTest : public ::testing::TestWithParam<QueueContractParam> {
 protected:
  void SetUp() override;

  // Closes the queue and opens it again.
  void Reopen();

  // Receive without waiting: what is visible right now.
  Result<std::vector<QueueMessage>> ReceiveNow(int max_messages, std::chrono::seconds visibility);

  std::unique_ptr<QueueHarness> harness_;
  std::unique_ptr<Queue> queue_;
};

}  // namespace enhancer
