#include "core/cpu_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

namespace enhancer {
namespace {

TEST(CpuPoolTest, RunAllRunsEveryTaskBeforeReturning) {
  CpuPool pool(2);
  std::atomic<int> done{0};
  std::vector<std::function<void()>> tasks;
  for (int i = 0; i < 50; ++i) tasks.push_back([&] { done.fetch_add(1); });
  pool.RunAll(std::move(tasks));
  EXPECT_EQ(done.load(), 50);
}

TEST(CpuPoolTest, NeverRunsMoreTasksAtOnceThanItHasThreads) {
  CpuPool pool(2);
  std::atomic<int> running{0}, most{0};
  auto task = [&] {
    const int now = running.fetch_add(1) + 1;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::yield();
    running.fetch_sub(1);
  };
  // Four callers at once, each with several tasks.
  std::vector<std::thread> callers;
  for (int c = 0; c < 4; ++c) {
    callers.emplace_back([&] {
      std::vector<std::function<void()>> tasks(20, task);
      pool.RunAll(std::move(tasks));
    });
  }
  for (std::thread& t : callers) t.join();
  EXPECT_GE(most.load(), 1);
  EXPECT_LE(most.load(), 2);
}

TEST(CpuPoolTest, TasksRunOnThePoolsThreadsNotTheCallers) {
  CpuPool pool(3);
  EXPECT_EQ(pool.threads(), 3);
  std::set<std::thread::id> ids;
  std::mutex mutex;
  std::vector<std::function<void()>> tasks(30, [&] {
    std::lock_guard lock(mutex);
    ids.insert(std::this_thread::get_id());
  });
  pool.RunAll(std::move(tasks));
  EXPECT_FALSE(ids.contains(std::this_thread::get_id()));
  EXPECT_LE(ids.size(), 3u);
}

TEST(CpuPoolTest, DefaultIsOneThreadPerCore) {
  CpuPool pool;
  EXPECT_EQ(pool.threads(), static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
}

TEST(CpuPoolTest, EmptyRunAllReturnsAtOnce) {
  CpuPool pool(1);
  pool.RunAll({});
  int value = 0;
  std::vector<std::function<void()>> one;
  one.push_back([&] { value = 7; });
  pool.RunAll(std::move(one));
  EXPECT_EQ(value, 7);
}

}  // namespace
}  // namespace enhancer
