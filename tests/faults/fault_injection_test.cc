// Faults injected at every seam, in process (leveldb's fault_injection_test pattern): the real
// SQLite repository, local store, rule planner, libvips renderer, embedded queue, Consumer and
// EnhanceJob, wired as src/app/wiring.cc wires them, with wrappers in between that fail calls.
// Every outcome must still be exactly once: each product enhanced, no row or object doubled.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>

#include "db/repository_wrapper.h"
#include "db/scoped_temp_dir.h"
#include "db/sqlite_repository.h"
#include "direct_access.h"
#include "enhancer_instance.h"
#include "exactly_once.h"
#include "fetch/photo_fetcher.h"
#include "photo_server.h"
#include "plan/planner_wrapper.h"
#include "plan/rule_planner.h"
#include "queue/consumer.h"
#include "queue/embedded_queue.h"
#include "queue/queue_wrapper.h"
#include "render/vips_renderer.h"
#include "service/enhance_job.h"
#include "service/photo_enhancer.h"
#include "service/product_service.h"
#include "store/local_object_store.h"
#include "store/object_store_wrapper.h"
#include "test_photos.h"

namespace enhancer::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr seconds kHangGuard{300};

// Which calls fail, and how. The decision is a hash of the seed, the call, its key (product id,
// object key, product name) and how many times that call was made with that key, so it does not
// depend on how the worker threads interleave: a run is reproducible from its seed.
class FaultPlan {
 public:
  enum class Fault {
    kNone,
    kBefore,  // fails without reaching the target: nothing happened
    kAfter,   // the target did the work, then the caller is told it failed (a lost answer)
  };

  FaultPlan(uint64_t seed, int percent) : seed_(seed), percent_(percent) {}

  Fault Decide(const std::string& call, const std::string& key) {
    std::lock_guard lock(mu_);
    ++calls_[call];
    if (!enabled_) return Fault::kNone;
    const int occurrence = ++occurrences_[call + "|" + key];
    const uint64_t hash = Hash(call + "|" + key + "|" + std::to_string(occurrence));
    if (static_cast<int>(hash % 100) >= percent_) return Fault::kNone;
    ++injected_[call];
    return (hash >> 32) & 1 ? Fault::kAfter : Fault::kBefore;
  }

  void set_enabled(bool enabled) {
    std::lock_guard lock(mu_);
    enabled_ = enabled;
  }
  int injected(const std::string& call) const {
    std::lock_guard lock(mu_);
    auto it = injected_.find(call);
    return it == injected_.end() ? 0 : it->second;
  }
  int calls(const std::string& call) const {
    std::lock_guard lock(mu_);
    auto it = calls_.find(call);
    return it == calls_.end() ? 0 : it->second;
  }

  static Status Injected(const std::string& call) {
    return UnavailableError("injected fault in " + call);
  }

 private:
  uint64_t Hash(const std::string& text) const {
    uint64_t h = 1469598103934665603ull ^ seed_;  // FNV-1a
    for (unsigned char c : text) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= h >> 29;  // FNV's low bits are weak; fold the high ones in
    h *= 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 32);
  }

  const uint64_t seed_;
  const int percent_;
  mutable std::mutex mu_;
  bool enabled_ = true;
  std::map<std::string, int> occurrences_;
  std::map<std::string, int> injected_;
  std::map<std::string, int> calls_;
};

// Runs `call` under the plan: a fault before it skips it, a fault after it replaces its success.
template <typename Call>
auto WithFault(FaultPlan& plan, const std::string& name, const std::string& key, Call call,
               bool can_fail_after = true) -> decltype(call()) {
  FaultPlan::Fault fault = plan.Decide(name, key);
  if (fault == FaultPlan::Fault::kAfter && !can_fail_after) fault = FaultPlan::Fault::kBefore;
  if (fault == FaultPlan::Fault::kBefore) return FaultPlan::Injected(name);
  auto result = call();
  if (fault == FaultPlan::Fault::kAfter) return FaultPlan::Injected(name + " (after it ran)");
  return result;
}

class FaultyRepository final : public RepositoryWrapper {
 public:
  FaultyRepository(Repository& target, FaultPlan& plan) : RepositoryWrapper(target), plan_(plan) {}

  Result<Product> GetProduct(int64_t id) override {
    return WithFault(
        plan_, "repository.GetProduct", std::to_string(id),
        [&] { return RepositoryWrapper::GetProduct(id); }, false);
  }
  Status SetProductStatus(int64_t id, ProductStatus status, const std::string& error) override {
    return WithFault(plan_, "repository.SetProductStatus", std::to_string(id),
                     [&] { return RepositoryWrapper::SetProductStatus(id, status, error); });
  }
  Status CompleteProduct(int64_t id, const std::string& source_hash,
                         const std::vector<ProductImage>& images) override {
    return WithFault(plan_, "repository.CompleteProduct", std::to_string(id),
                     [&] { return RepositoryWrapper::CompleteProduct(id, source_hash, images); });
  }
  Result<std::vector<ProductImage>> ListImages(int64_t id) override {
    return WithFault(
        plan_, "repository.ListImages", std::to_string(id),
        [&] { return RepositoryWrapper::ListImages(id); }, false);
  }

 private:
  FaultPlan& plan_;
};

class FaultyStore final : public ObjectStoreWrapper {
 public:
  FaultyStore(ObjectStore& target, FaultPlan& plan) : ObjectStoreWrapper(target), plan_(plan) {}

  Status Put(std::string_view key, std::string_view bytes, std::string_view type) override {
    return WithFault(plan_, "store.Put", std::string(key),
                     [&] { return ObjectStoreWrapper::Put(key, bytes, type); });
  }
  Result<std::string> Get(std::string_view key) override {
    return WithFault(
        plan_, "store.Get", std::string(key), [&] { return ObjectStoreWrapper::Get(key); }, false);
  }
  Status Delete(std::string_view key) override {
    return WithFault(plan_, "store.Delete", std::string(key),
                     [&] { return ObjectStoreWrapper::Delete(key); });
  }

 private:
  FaultPlan& plan_;
};

// A store whose every call fails, as during an outage.
class DownStore final : public ObjectStoreWrapper {
 public:
  using ObjectStoreWrapper::ObjectStoreWrapper;
  Status Put(std::string_view, std::string_view, std::string_view) override { return Down(); }
  Result<std::string> Get(std::string_view) override { return Down(); }
  Status Delete(std::string_view) override { return Down(); }
  static Status Down() { return UnavailableError("the store is down (injected)"); }
};

class FaultyPlanner final : public PlannerWrapper {
 public:
  FaultyPlanner(Planner& target, FaultPlan& plan) : PlannerWrapper(target), plan_(plan) {}

  Result<Plan> MakePlan(const PlanRequest& request, std::stop_token stop) override {
    return WithFault(
        plan_, "planner.MakePlan", request.product_name,
        [&] { return PlannerWrapper::MakePlan(request, stop); }, false);
  }

 private:
  FaultPlan& plan_;
};

// Loses some acknowledgements: the message is done but comes back after its lease, as a
// duplicate delivery the job must recognise.
class FaultyQueue final : public QueueWrapper {
 public:
  FaultyQueue(Queue& target, FaultPlan& plan) : QueueWrapper(target), plan_(plan) {}

  Status Delete(const std::string& receipt_handle) override {
    const std::string message_id = receipt_handle.substr(0, receipt_handle.find('.'));
    return WithFault(
        plan_, "queue.Delete", message_id, [&] { return QueueWrapper::Delete(receipt_handle); },
        false);
  }

 private:
  FaultPlan& plan_;
};

// Fails the next N reads of a product, then forwards again.
class FlakyReads final : public RepositoryWrapper {
 public:
  using RepositoryWrapper::RepositoryWrapper;
  void FailNext(int n) { failures_ = n; }
  Result<Product> GetProduct(int64_t id) override {
    if (failures_.fetch_sub(1) > 0) return UnavailableError("database busy (injected)");
    return RepositoryWrapper::GetProduct(id);
  }

 private:
  std::atomic<int> failures_{0};
};

class CountingPlanner final : public PlannerWrapper {
 public:
  using PlannerWrapper::PlannerWrapper;
  Result<Plan> MakePlan(const PlanRequest& request, std::stop_token stop) override {
    ++calls_;
    return PlannerWrapper::MakePlan(request, stop);
  }
  int calls() const { return calls_.load(); }

 private:
  std::atomic<int> calls_{0};
};

// The worker's parts, wired as src/app/wiring.cc does, with room for wrappers in between.
class FaultInjectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    Result<std::unique_ptr<Repository>> repo = OpenSqliteRepository(DatabasePath());
    ASSERT_TRUE(repo.has_value()) << repo.error().ToString();
    repository_ = *std::move(repo);
    ASSERT_TRUE(repository_->Migrate().ok());
    Result<std::unique_ptr<ObjectStore>> store = OpenLocalObjectStore(MediaDir().string());
    ASSERT_TRUE(store.has_value()) << store.error().ToString();
    store_ = *std::move(store);
    RenderOptions render;
    render.canvas = 200;
    render.thumbnail = 50;
    renderer_ = MakeVipsRenderer(render);
  }

  void OpenQueue(int max_receive_count) {
    EmbeddedQueueOptions options;
    options.path = dir_.File("queue.db");
    options.max_receive_count = max_receive_count;
    options.poll_interval = milliseconds(50);
    Result<std::unique_ptr<EmbeddedQueue>> queue = EmbeddedQueue::Open(options);
    ASSERT_TRUE(queue.has_value()) << queue.error().ToString();
    queue_ = *std::move(queue);
  }

  ConsumerOptions FastRetries() {
    ConsumerOptions options;
    options.concurrency = 2;
    options.wait_seconds = 1;
    options.visibility = seconds(3);
    options.heartbeat_interval = seconds(1);
    options.base_backoff = seconds(1);
    options.max_backoff = seconds(2);
    options.receive_error_pause = milliseconds(50);
    return options;
  }

  std::string DatabasePath() const { return dir_.File("enhancer.db"); }
  std::filesystem::path MediaDir() const { return dir_.path() / "media"; }

  int64_t CountOf(ProductStatus wanted) {
    Result<StatusCounts> counts = repository_->CountByStatus();
    if (!counts) return -1;
    for (const auto& [status, n] : counts->counts) {
      if (status == wanted) return n;
    }
    return 0;
  }

  // Runs a consumer of `job` until the queue has nothing left to deliver.
  void Drain(Queue& queue, const EnhanceJob& job) {
    Consumer consumer(
        queue,
        [&](const QueueMessage& m, std::stop_token stop) { return job.HandleMessage(m, stop); },
        FastRetries());
    ASSERT_TRUE(consumer.Start().ok());
    EXPECT_TRUE(WaitUntil([&] { return QueueDrained(); }, kHangGuard));
    consumer.Stop();
  }

  QueueStats Stats() {
    Result<QueueStats> stats = queue_->Stats();
    EXPECT_TRUE(stats.has_value()) << stats.error().ToString();
    return stats ? *stats : QueueStats{-1, -1, -1, -1};
  }
  bool QueueDrained() {
    QueueStats s = Stats();
    return s.visible == 0 && s.in_flight == 0 && s.delayed == 0;
  }

  ScopedTempDir dir_;
  std::unique_ptr<Repository> repository_;
  std::unique_ptr<ObjectStore> store_;
  std::unique_ptr<Renderer> renderer_;
  RulePlanner planner_;
  std::unique_ptr<EmbeddedQueue> queue_;
};

// One fault in five, in the planner, the store and the repository (before the call or after it
// did its work), and in the queue's acknowledgements; every product also gets a duplicate message.
// An attempt makes about ten faultable calls, so only about one in nine gets through: the queue
// allows 200 receives, and backoff is short, to let every product finish.
TEST_F(FaultInjectionTest, TransientFaultsInEverySeamLoseAndDoubleNothing) {
  constexpr int kProducts = 40;
  constexpr int kImages = 2;
  constexpr int kMaxReceives = 200;
  OpenQueue(kMaxReceives);
  ProductService service(*repository_, *queue_, *store_);
  std::vector<int64_t> ids;
  for (int i = 0; i < kProducts; ++i) {
    Result<UploadedPhoto> photo = service.Upload(SmallJpeg(i));
    ASSERT_TRUE(photo.has_value()) << photo.error().ToString();
    Result<ProductView> created = service.Create({"product " + std::to_string(i), "", photo->key});
    ASSERT_TRUE(created.has_value()) << created.error().ToString();
    ASSERT_TRUE(service.Enhance(created->product.id, std::nullopt).has_value());
    ids.push_back(created->product.id);
  }
  for (int64_t id : ids) ASSERT_TRUE(queue_->Send(std::to_string(id)).has_value());  // duplicates

  FaultPlan plan(/*seed=*/20261129, /*percent=*/20);
  FaultyRepository repository(*repository_, plan);
  FaultyStore store(*store_, plan);
  FaultyPlanner planner(planner_, plan);
  FaultyQueue queue(*queue_, plan);
  PhotoEnhancer enhancer(*renderer_, planner);
  PhotoFetcher fetcher{FetchOptions{}};  // raw photos are stored objects: no download
  EnhanceJob job(repository, store, fetcher, enhancer, {kImages, kMaxReceives});
  {
    Consumer consumer(
        queue,
        [&](const QueueMessage& m, std::stop_token stop) { return job.HandleMessage(m, stop); },
        FastRetries());
    ASSERT_TRUE(consumer.Start().ok());
    EXPECT_TRUE(WaitUntil(
        [&] { return CountOf(ProductStatus::kPendingReview) == kProducts && QueueDrained(); },
        kHangGuard));
    consumer.Stop();
  }
  for (const char* call :
       {"repository.GetProduct", "repository.SetProductStatus", "repository.CompleteProduct",
        "repository.ListImages", "store.Put", "store.Get", "planner.MakePlan", "queue.Delete"}) {
    EXPECT_GT(plan.injected(call), 0) << call << ": no fault was injected";
    std::cout << call << ": " << plan.injected(call) << " of " << plan.calls(call)
              << " calls failed\n";
  }
  DirectAccess access(DatabasePath(), dir_.File("queue.db"), MediaDir().string());
  ExpectEachProductEnhancedExactlyOnce(access, MediaDir(), ids, kImages);
  EXPECT_EQ(Stats().dead_lettered, 0);

  // Every product once more, now that all are done: each is acknowledged without any work.
  plan.set_enabled(false);
  const int puts = plan.calls("store.Put");
  const int plans = plan.calls("planner.MakePlan");
  for (int64_t id : ids) ASSERT_TRUE(queue_->Send(std::to_string(id)).has_value());
  Drain(queue, job);
  EXPECT_EQ(plan.calls("store.Put"), puts);
  EXPECT_EQ(plan.calls("planner.MakePlan"), plans);
  ExpectEachProductEnhancedExactlyOnce(access, MediaDir(), ids, kImages);
}

// Regression: a duplicate delivery for a product already reviewed hit a transient error reading
// the product; the job then recorded "attempt 1 failed, will retry" over the product's status
// (queued), and the retry re-enhanced it, taking an approved product back to pending_review.
TEST_F(FaultInjectionTest, AReviewedProductStaysReviewedWhenADuplicateCannotReadIt) {
  OpenQueue(5);
  ProductService service(*repository_, *queue_, *store_);
  Result<UploadedPhoto> photo = service.Upload(SmallJpeg(1));
  ASSERT_TRUE(photo.has_value());
  Result<ProductView> created = service.Create({"reviewed", "", photo->key});
  ASSERT_TRUE(created.has_value());
  const int64_t id = created->product.id;
  ASSERT_TRUE(service.Enhance(id, std::nullopt).has_value());
  PhotoFetcher fetcher{FetchOptions{}};
  CountingPlanner planner(planner_);
  PhotoEnhancer enhancer(*renderer_, planner);
  EnhanceJob first(*repository_, *store_, fetcher, enhancer, {3, 5});
  Drain(*queue_, first);
  Result<std::vector<ProductImage>> images = repository_->ListImages(id);
  ASSERT_TRUE(images.has_value());
  ASSERT_EQ(images->size(), 3u);
  ASSERT_TRUE(repository_->SetImageStatus((*images)[0].id, ImageStatus::kApproved).has_value());
  for (size_t i = 1; i < images->size(); ++i) {
    ASSERT_TRUE(repository_->SetImageStatus((*images)[i].id, ImageStatus::kRejected).has_value());
  }
  ASSERT_EQ(repository_->GetProduct(id)->status, ProductStatus::kApproved);
  const int plans = planner.calls();

  FlakyReads flaky(*repository_);
  flaky.FailNext(1);
  EnhanceJob duplicate(flaky, *store_, fetcher, enhancer, {3, 5});
  ASSERT_TRUE(queue_->Send(std::to_string(id)).has_value());
  Drain(*queue_, duplicate);

  Result<Product> after = repository_->GetProduct(id);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->status, ProductStatus::kApproved) << after->error;
  EXPECT_EQ(after->error, "");
  EXPECT_EQ(planner.calls(), plans) << "a reviewed product was enhanced again";
  Result<std::vector<ProductImage>> kept = repository_->ListImages(id);
  ASSERT_TRUE(kept.has_value());
  ASSERT_EQ(kept->size(), 3u);
  EXPECT_EQ((*kept)[0].status, ImageStatus::kApproved);
  EXPECT_EQ((*kept)[1].status, ImageStatus::kRejected);
}

TEST_F(FaultInjectionTest, AStoreThatAlwaysFailsDeadLettersEveryMessageAndFailsEveryProduct) {
  constexpr int kProducts = 6;
  constexpr int kMaxReceives = 3;
  OpenQueue(kMaxReceives);
  PhotoServer photos;
  ProductService service(*repository_, *queue_, *store_);
  std::vector<int64_t> ids;
  for (int i = 0; i < kProducts; ++i) {
    const std::string path = "/photo-" + std::to_string(i) + ".jpg";
    photos.Serve(path, SmallJpeg(i));
    Result<ProductView> created =
        service.Create({"product " + std::to_string(i), "", photos.Url(path)});
    ASSERT_TRUE(created.has_value()) << created.error().ToString();
    ASSERT_TRUE(service.Enhance(created->product.id, std::nullopt).has_value());
    ids.push_back(created->product.id);
  }

  DownStore store(*store_);
  PhotoEnhancer enhancer(*renderer_, planner_);
  FetchOptions fetch;
  Result<std::vector<Cidr>> loopback = ParseCidrList("127.0.0.1/32");
  ASSERT_TRUE(loopback.has_value());
  fetch.allowed_networks = *loopback;
  PhotoFetcher fetcher(fetch);
  EnhanceJob job(*repository_, store, fetcher, enhancer, {2, kMaxReceives});
  Consumer consumer(
      *queue_,
      [&](const QueueMessage& m, std::stop_token stop) { return job.HandleMessage(m, stop); },
      FastRetries());
  ASSERT_TRUE(consumer.Start().ok());
  EXPECT_TRUE(WaitUntil([&] { return Stats().dead_lettered == kProducts; }, kHangGuard));
  consumer.Stop();

  QueueStats stats = Stats();
  EXPECT_EQ(stats.dead_lettered, kProducts);
  EXPECT_EQ(stats.visible + stats.in_flight + stats.delayed, 0);
  for (size_t i = 0; i < ids.size(); ++i) {
    Result<Product> product = repository_->GetProduct(ids[i]);
    ASSERT_TRUE(product.has_value());
    EXPECT_EQ(product->status, ProductStatus::kFailed);
    EXPECT_EQ(product->error, "gave up after 3 attempts: uploading: the store is down (injected)");
    Result<std::vector<ProductImage>> images = repository_->ListImages(ids[i]);
    ASSERT_TRUE(images.has_value());
    EXPECT_TRUE(images->empty());
    EXPECT_EQ(photos.Requests("/photo-" + std::to_string(i) + ".jpg"), kMaxReceives);
  }
  for (const std::string& file : FilesUnder(MediaDir())) ADD_FAILURE() << "left behind: " << file;
}

}  // namespace
}  // namespace enhancer::testing
