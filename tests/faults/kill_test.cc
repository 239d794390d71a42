// The real `enhancer worker` killed and signalled: SIGKILL mid-run loses and doubles nothing once
// it is restarted; SIGTERM and SIGINT stop receiving (a parked long poll included), let work in
// progress finish within SHUTDOWN_GRACE_SECONDS, release what is still running at once, and
// exit 0.
#include <gtest/gtest.h>

#include <set>

#include "direct_access.h"
#include "enhancer_instance.h"
#include "exactly_once.h"
#include "photo_server.h"
#include "test_photos.h"

namespace enhancer::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr seconds kHangGuard{300};

DirectAccess Open(EnhancerInstance& instance) {
  return DirectAccess(instance.database_path(), instance.queue_path(),
                      instance.media_dir().string());
}

int64_t Count(Repository& repository, ProductStatus status) {
  Result<StatusCounts> counts = repository.CountByStatus();
  if (!counts) return -1;
  for (const auto& [s, n] : counts->counts) {
    if (s == status) return n;
  }
  return 0;
}

QueueStats StatsOf(Queue& queue) {
  Result<QueueStats> stats = queue.Stats();
  EXPECT_TRUE(stats.has_value()) << stats.error().ToString();
  return stats ? *stats : QueueStats{-1, -1, -1, -1};
}

// Creates a product whose raw photo is `url` and queues it, as POST /products + /enhance do.
int64_t CreateAndQueue(DirectAccess& access, const std::string& name, const std::string& url) {
  Result<ProductView> created = access.products->Create({name, "test", url});
  EXPECT_TRUE(created.has_value()) << created.error().ToString();
  if (!created) return -1;
  Result<ProductView> queued = access.products->Enhance(created->product.id, std::nullopt);
  EXPECT_TRUE(queued.has_value()) << queued.error().ToString();
  return created->product.id;
}

TEST(KillTest, AWorkerKilledMidRunAndRestartedEnhancesEachProductExactlyOnce) {
  constexpr int kProducts = 50;
  constexpr int kImages = 3;
  PhotoServer photos;
  // A slow host spreads the run out, so the kill lands with some products done and some not.
  photos.DelayEveryAnswer(milliseconds(250));
  EnhancerInstance worker("kill");
  worker.env()["VISIBILITY_TIMEOUT"] = "10";  // the killed run's leases come back soon
  worker.env()["ENHANCED_IMAGES_COUNT"] = std::to_string(kImages);
  ASSERT_EQ(worker.Run({"migrate"}).first, 0);
  DirectAccess access = Open(worker);
  ASSERT_NE(access.products, nullptr);
  std::vector<int64_t> ids;
  for (int i = 0; i < kProducts; ++i) {
    const std::string path = "/photo-" + std::to_string(i) + ".jpg";
    photos.Serve(path, SmallJpeg(i));
    ids.push_back(CreateAndQueue(access, "product " + std::to_string(i), photos.Url(path)));
  }

  ASSERT_TRUE(worker.Start("worker"));
  ASSERT_TRUE(WaitUntil(
      [&] { return Count(*access.repository, ProductStatus::kPendingReview) >= 10; }, kHangGuard))
      << worker.Log();
  EXPECT_EQ(worker.Stop(SIGKILL), 128 + SIGKILL);
  const int64_t done_at_kill = Count(*access.repository, ProductStatus::kPendingReview);
  const int64_t processing_at_kill = Count(*access.repository, ProductStatus::kProcessing);
  ASSERT_LT(done_at_kill, kProducts) << "every product was done before the kill: slow the host";
  std::cout << "killed with " << done_at_kill << " done and " << processing_at_kill
            << " in progress\n";

  ASSERT_TRUE(worker.Start("worker"));
  EXPECT_TRUE(WaitUntil(
      [&] { return Count(*access.repository, ProductStatus::kPendingReview) == kProducts; },
      kHangGuard))
      << worker.AllLogs();
  // Settled messages are deleted just after the product is recorded: wait for the queue too.
  EXPECT_TRUE(WaitUntil(
      [&] {
        QueueStats s = StatsOf(*access.queue);
        return s.visible + s.in_flight + s.delayed == 0;
      },
      kHangGuard));
  EXPECT_EQ(worker.Stop(SIGTERM), 0) << worker.Log();

  ExpectEachProductEnhancedExactlyOnce(access, worker.media_dir(), ids, kImages);
  QueueStats stats = StatsOf(*access.queue);
  EXPECT_EQ(stats.dead_lettered, 0);
  // A message leased by the killed run came back with its receive count raised.
  if (processing_at_kill > 0) {
    EXPECT_NE(worker.Log().find("(receive 2)"), std::string::npos) << worker.Log();
  }
}

// Kills that land while an image is being uploaded. The local store writes each object to a
// temporary file and renames it; a kill between the two leaves that temporary file behind
// (before the sweep, 3 of 10 runs of this test left one). The next worker to open the store
// removes the temporary files of dead processes, so rows, objects and the disk all end exactly
// once.
TEST(KillTest, KillsDuringUploadsLeaveNoTemporaryFiles) {
  constexpr int kProducts = 40;
  constexpr int kKills = 6;
  PhotoServer photos;  // answers at once: most of a job's time is rendering and uploading
  EnhancerInstance worker("kill-uploads");
  worker.env()["VISIBILITY_TIMEOUT"] = "10";
  ASSERT_EQ(worker.Run({"migrate"}).first, 0);
  DirectAccess access = Open(worker);
  ASSERT_NE(access.products, nullptr);
  std::vector<int64_t> ids;
  for (int i = 0; i < kProducts; ++i) {
    const std::string path = "/photo-" + std::to_string(i) + ".jpg";
    photos.Serve(path, SmallJpeg(i, 400, 300));
    ids.push_back(CreateAndQueue(access, "product " + std::to_string(i), photos.Url(path)));
  }
  for (int kill = 0; kill < kKills; ++kill) {
    const int64_t done = Count(*access.repository, ProductStatus::kPendingReview);
    ASSERT_TRUE(worker.Start("worker"));
    ASSERT_TRUE(WaitUntil(
        [&] { return Count(*access.repository, ProductStatus::kPendingReview) >= done + 2; },
        kHangGuard));
    worker.Stop(SIGKILL);
  }
  ASSERT_TRUE(worker.Start("worker"));
  EXPECT_TRUE(WaitUntil(
      [&] { return Count(*access.repository, ProductStatus::kPendingReview) == kProducts; },
      kHangGuard));
  EXPECT_EQ(worker.Stop(SIGTERM), 0);
  ExpectEachProductEnhancedExactlyOnce(access, worker.media_dir(), ids, 3);
}

// A worker parked in a 20 s long poll ends it at once on SIGTERM or SIGINT. The only way to tell
// a stopped poll from one waited out is the time it takes, so this bound is generous: 15 s for
// what takes well under one.
TEST(KillTest, SigtermAndSigintEndAParkedLongPollAndExitZero) {
  for (int signal : {SIGTERM, SIGINT}) {
    EnhancerInstance worker("parked");
    worker.env()["RECEIVE_WAIT_SECONDS"] = "20";
    ASSERT_TRUE(worker.Start("worker"));
    // Not exited within the guard: SIGKILL, and the exit code says so.
    EXPECT_EQ(worker.Stop(signal, seconds(15)), 0) << worker.Log();
    EXPECT_NE(worker.Log().find(signal == SIGINT ? "Received SIGINT" : "Received SIGTERM"),
              std::string::npos)
        << worker.Log();
  }
}

TEST(KillTest, SigtermLetsAJobInProgressFinishWithinTheGrace) {
  PhotoServer photos;
  photos.ServeWhenReleased("/held.jpg", SmallJpeg(7));
  EnhancerInstance worker("grace");
  worker.env()["SHUTDOWN_GRACE_SECONDS"] = "120";
  ASSERT_EQ(worker.Run({"migrate"}).first, 0);
  DirectAccess access = Open(worker);
  ASSERT_NE(access.products, nullptr);
  const int64_t id = CreateAndQueue(access, "held", photos.Url("/held.jpg"));
  ASSERT_TRUE(worker.Start("worker"));
  ASSERT_TRUE(WaitUntil([&] { return photos.Requests("/held.jpg") == 1; }, kHangGuard));

  worker.Signal(SIGTERM);
  ASSERT_TRUE(WaitUntil(
      [&] { return worker.Log().find("consumer: stopping") != std::string::npos; }, kHangGuard));
  // A product queued now is not taken: receiving has stopped.
  const int64_t late = CreateAndQueue(access, "late", photos.Url("/held.jpg"));
  photos.Release("/held.jpg");
  EXPECT_EQ(worker.Wait(kHangGuard), 0) << worker.Log();

  Result<Product> product = access.repository->GetProduct(id);
  ASSERT_TRUE(product.has_value());
  EXPECT_EQ(product->status, ProductStatus::kPendingReview) << product->error;
  Result<Product> waiting = access.repository->GetProduct(late);
  ASSERT_TRUE(waiting.has_value());
  EXPECT_EQ(waiting->status, ProductStatus::kQueued);
  QueueStats stats = StatsOf(*access.queue);
  EXPECT_EQ(stats.visible, 1) << "only the late product's message is left, untouched";
  EXPECT_EQ(stats.in_flight, 0);
  EXPECT_EQ(photos.Requests("/held.jpg"), 1);
}

TEST(KillTest, AJobStillRunningAfterTheGraceIsReleasedAtOnceAndDoneByTheNextWorker) {
  PhotoServer photos;
  photos.ServeWhenReleased("/held.jpg", SmallJpeg(8));
  EnhancerInstance worker("release");
  worker.env()["SHUTDOWN_GRACE_SECONDS"] = "1";
  worker.env()["FETCH_TIMEOUT_SECONDS"] = "600";  // only the shutdown can end the download
  worker.env()["VISIBILITY_TIMEOUT"] = "300";     // a lease left to lapse would stay 5 minutes
  ASSERT_EQ(worker.Run({"migrate"}).first, 0);
  DirectAccess access = Open(worker);
  ASSERT_NE(access.products, nullptr);
  const int64_t id = CreateAndQueue(access, "held", photos.Url("/held.jpg"));
  ASSERT_TRUE(worker.Start("worker"));
  ASSERT_TRUE(WaitUntil([&] { return photos.Requests("/held.jpg") == 1; }, kHangGuard));

  EXPECT_EQ(worker.Stop(SIGTERM, kHangGuard), 0) << worker.Log();
  EXPECT_NE(worker.Log().find("released unfinished at shutdown"), std::string::npos)
      << worker.Log();
  QueueStats stats = StatsOf(*access.queue);
  EXPECT_EQ(stats.visible, 1) << "released with visibility 0, not left to its 300 s lease";
  EXPECT_EQ(stats.in_flight, 0);
  Result<Product> product = access.repository->GetProduct(id);
  ASSERT_TRUE(product.has_value());
  EXPECT_EQ(product->status, ProductStatus::kQueued);
  EXPECT_NE(product->error.find("will retry"), std::string::npos) << product->error;

  photos.Release("/held.jpg");
  ASSERT_TRUE(worker.Start("worker"));
  EXPECT_TRUE(WaitUntil(
      [&] {
        Result<Product> p = access.repository->GetProduct(id);
        return p && p->status == ProductStatus::kPendingReview;
      },
      kHangGuard))
      << worker.Log();
  EXPECT_EQ(worker.Stop(SIGTERM), 0);
  ExpectEachProductEnhancedExactlyOnce(access, worker.media_dir(), {id}, 3);
}

}  // namespace
}  // namespace enhancer::testing
