// CpuPool: a fixed set of threads, one per core by default, that runs the CPU-heavy parts of
// every job in the process (decoding, rendering, encoding). Jobs themselves may be many more
// than the cores, because most of their time is spent waiting (a download, a remote planner,
// an upload); whatever their number, the pixel work never runs on more threads than the pool
// has, so the cores are neither idle nor oversubscribed and memory stays bounded.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace enhancer {

class CpuPool {
 public:
  // `threads` < 1 means one per core.
  explicit CpuPool(int threads = 0);
  ~CpuPool();  // finishes the queued tasks, then joins
  CpuPool(const CpuPool&) = delete;
  CpuPool& operator=(const CpuPool&) = delete;

  int threads() const { return static_cast<int>(threads_.size()); }

  // Runs every task on the pool and returns when all have finished, in first-come order with
  // other callers' tasks. Tasks must not throw, and must not call RunAll themselves (a pool
  // thread waiting for the pool could wait for ever).
  void RunAll(std::vector<std::function<void()>> tasks);

 private:
  void Work();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace enhancer
