// planner_stand_in: the Gemini wire stand-in (src/plan/gemini_stand_in.h) as a process, answering
// every plan after a fixed latency, for bench/e2e/run. Listens on 127.0.0.1 and a free port,
// prints "listening on http://127.0.0.1:PORT", and serves until SIGTERM or SIGINT.
//
//   planner_stand_in --api-key KEY [--latency-ms 300]
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include "plan/gemini_stand_in.h"

int main(int argc, char** argv) {
  std::string key;
  int latency_ms = 300;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--api-key" && i + 1 < argc) {
      key = argv[++i];
    } else if (arg == "--latency-ms" && i + 1 < argc) {
      latency_ms = std::atoi(argv[++i]);
    } else {
      std::cerr << "usage: planner_stand_in --api-key KEY [--latency-ms 300]\n";
      return 2;
    }
  }
  if (key.empty() || latency_ms < 0) {
    std::cerr << "usage: planner_stand_in --api-key KEY [--latency-ms 300]\n";
    return 2;
  }
  // Blocked before the server's threads start, so that only sigwait below sees them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  enhancer::gemini_test::GeminiStandIn stand_in(key);
  stand_in.SetLatency(std::chrono::milliseconds(latency_ms));
  std::cout << "listening on " << stand_in.url() << std::endl;
  int signal = 0;
  sigwait(&stop, &signal);
  std::cout << "answered " << stand_in.generate_requests() << " plans" << std::endl;
  return 0;
}
