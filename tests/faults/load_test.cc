// Load through the real `enhancer serve`: a thousand products queued at once drain with nothing
// lost or doubled, while the API keeps answering GET /products/{id} with a valid product every
// time. No timing is asserted; the drain time is printed for information (bench/load/run.sh
// measures latency properly, under wrk).
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <set>
#include <thread>

#include "direct_access.h"
#include "enhancer_instance.h"
#include "exactly_once.h"
#include "photo_server.h"
#include "test_photos.h"

namespace enhancer::testing {
namespace {

using nlohmann::json;
using std::chrono::seconds;

constexpr seconds kHangGuard{540};

TEST(LoadTest, AThousandProductsDrainWhileTheApiKeepsAnswering) {
  constexpr int kProducts = 1000;
  constexpr int kReaders = 2;
  PhotoServer photos;
  EnhancerInstance serve("load");
  serve.env()["ENHANCED_IMAGES_COUNT"] = "1";
  serve.env()["OUTPUT_SIZE"] = "64";
  serve.env()["THUMBNAIL_SIZE"] = "16";
  serve.env()["WORKER_CONCURRENCY"] = "2";
  ASSERT_TRUE(serve.Start("serve"));

  // Every product first, as drafts; then all of them queued at once.
  std::vector<int64_t> ids;
  for (int i = 0; i < kProducts; ++i) {
    const std::string path = "/p" + std::to_string(i) + ".jpg";
    photos.Serve(path, SmallJpeg(i, 64, 48));
    EnhancerInstance::Answer created =
        serve.Post("/products",
                   {{"name", "product " + std::to_string(i)}, {"raw_image_url", photos.Url(path)}});
    ASSERT_EQ(created.status, 201) << created.raw;
    ids.push_back(created.body["id"]);
  }
  const auto queued_at = std::chrono::steady_clock::now();
  for (int64_t id : ids) {
    ASSERT_EQ(serve.Post("/products/" + std::to_string(id) + "/enhance", json::object()).status,
              202);
  }

  // Readers hammer GET /products/{id} until the drain ends; every answer must be a product.
  std::atomic<bool> drained{false};
  std::atomic<int> answers{0};
  std::atomic<int> bad{0};
  std::mutex mu;
  std::vector<std::string> bad_examples;
  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back([&, r] {
      std::mt19937 random(r + 1);
      std::uniform_int_distribution<size_t> pick(0, ids.size() - 1);
      const std::set<std::string> statuses = {"queued", "processing", "pending_review"};
      while (!drained.load()) {
        const int64_t id = ids[pick(random)];
        EnhancerInstance::Answer answer = serve.Get("/products/" + std::to_string(id));
        const bool ok = answer.status == 200 && answer.body.is_object() &&
                        answer.body.value("id", int64_t{-1}) == id &&
                        statuses.count(answer.body.value("status", "")) == 1 &&
                        answer.body["images"].is_array();
        answers.fetch_add(1);
        if (!ok) {
          bad.fetch_add(1);
          std::lock_guard lock(mu);
          if (bad_examples.size() < 5) {
            bad_examples.push_back(std::to_string(answer.status) + " " + answer.raw);
          }
        }
      }
    });
  }
  const bool done = WaitUntil(
      [&] {
        return serve.Get("/products/counts").body["counts"].value("pending_review", 0) == kProducts;
      },
      kHangGuard);
  const auto drain = std::chrono::steady_clock::now() - queued_at;
  drained = true;
  for (std::thread& reader : readers) reader.join();
  ASSERT_TRUE(done) << serve.Get("/products/counts").raw;

  EXPECT_GT(answers.load(), 0);
  EXPECT_EQ(bad.load(), 0) << "first bad answers:\n"
                           << [&] {
                                std::string all;
                                for (const std::string& b : bad_examples) all += b + "\n";
                                return all;
                              }();
  std::cout << kProducts << " products drained in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(drain).count()
            << " ms; the API answered " << answers.load() << " reads meanwhile\n";

  EXPECT_EQ(serve.Stop(SIGTERM), 0) << serve.Log();
  DirectAccess access(serve.database_path(), serve.queue_path(), serve.media_dir().string());
  ExpectEachProductEnhancedExactlyOnce(access, serve.media_dir(), ids, 1);
  Result<QueueStats> stats = access.queue->Stats();
  ASSERT_TRUE(stats.has_value());
  EXPECT_EQ(stats->visible + stats->in_flight + stats->delayed + stats->dead_lettered, 0);
}

}  // namespace
}  // namespace enhancer::testing
