#include "core/cpu_pool.h"

#include <algorithm>
#include <memory>

namespace enhancer {

CpuPool::CpuPool(int threads) {
  if (threads < 1) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads_.reserve(threads);
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Work(); });
}

CpuPool::~CpuPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

void CpuPool::Work() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to do
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

void CpuPool::RunAll(std::vector<std::function<void()>> tasks) {
  if (tasks.empty()) return;
  struct Countdown {
    std::mutex mutex;
    std::condition_variable done;
    size_t left;
  };
  auto countdown = std::make_shared<Countdown>();
  countdown->left = tasks.size();
  {
    std::lock_guard lock(mutex_);
    for (std::function<void()>& task : tasks) {
      queue_.push_back([task = std::move(task), countdown] {
        task();
        std::lock_guard lock(countdown->mutex);
        if (--countdown->left == 0) countdown->done.notify_all();
      });
    }
  }
  wake_.notify_all();
  std::unique_lock lock(countdown->mutex);
  countdown->done.wait(lock, [&] { return countdown->left == 0; });
}

}  // namespace enhancer
