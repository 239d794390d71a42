#include "service/product_service.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "db/sqlite_repository.h"
#include "queue/embedded_queue.h"
#include "queue/queue_wrapper.h"
#include "store/local_object_store.h"

namespace enhancer {
namespace {

namespace fs = std::filesystem;

// Counts batch sends and can refuse the entry whose body is `refuse`.
class BatchCountingQueue final : public QueueWrapper {
 public:
  using QueueWrapper::QueueWrapper;
  std::vector<Result<std::string>> SendBatch(const std::vector<SendEntry>& entries) override {
    ++batches;
    std::vector<Result<std::string>> out = QueueWrapper::SendBatch(entries);
    for (size_t i = 0; i < entries.size(); ++i) {
      if (entries[i].body == refuse) {
        out[i] = UnavailableError("queue throttled this entry (injected)");
      }
    }
    return out;
  }
  int batches = 0;
  std::string refuse;
};

class ProductServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "product_service_test.XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    Result<std::unique_ptr<Repository>> repository = OpenSqliteRepository((dir_ / "db.sqlite").string());
    ASSERT_TRUE(repository) << repository.error().ToString();
    repository_ = *std::move(repository);
    ASSERT_TRUE(repository_->Migrate().ok());
    Result<std::unique_ptr<Queue>> queue = OpenEmbeddedQueue({(dir_ / "queue.db").string()});
    ASSERT_TRUE(queue) << queue.error().ToString();
    queue_ = *std::move(queue);
    counting_ = std::make_unique<BatchCountingQueue>(*queue_);
    Result<std::unique_ptr<ObjectStore>> store = OpenLocalObjectStore((dir_ / "media").string());
    ASSERT_TRUE(store);
    store_ = *std::move(store);
    service_ = std::make_unique<ProductService>(*repository_, *counting_, *store_);
  }
  void TearDown() override {
    service_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  int64_t NewProductId(const std::string& name) {
    Result<ProductView> created =
        service_->Create({name, "kitchen", "https://example.com/" + name + ".jpg"});
    EXPECT_TRUE(created) << created.error().ToString();
    return created ? created->product.id : 0;
  }

  fs::path dir_;
  std::unique_ptr<Repository> repository_;
  std::unique_ptr<Queue> queue_;
  std::unique_ptr<BatchCountingQueue> counting_;
  std::unique_ptr<ObjectStore> store_;
  std::unique_ptr<ProductService> service_;
};

TEST_F(ProductServiceTest, EnhanceManySendsOneBatchAndReportsEachProduct) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 12; ++i) ids.push_back(NewProductId("p" + std::to_string(i)));
  ids.insert(ids.begin() + 5, 999);  // unknown: reported, the others still queued
  std::vector<Result<ProductView>> results = service_->EnhanceMany(ids, 2);
  ASSERT_EQ(results.size(), 13u);
  EXPECT_EQ(counting_->batches, 1);
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] == 999) {
      ASSERT_FALSE(results[i]);
      EXPECT_EQ(results[i].error().code(), StatusCode::kNotFound);
      continue;
    }
    ASSERT_TRUE(results[i]) << results[i].error().ToString();
    EXPECT_EQ(results[i]->product.status, ProductStatus::kQueued);
  }
  Result<QueueStats> stats = queue_->Stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->visible, 12);  // exactly one message per queued product
}

TEST_F(ProductServiceTest, AnEntryTheQueueRefusesLeavesItsProductAsItWas) {
  const int64_t a = NewProductId("a"), b = NewProductId("b");
  counting_->refuse = std::to_string(b);  // the message of a product with no count: its id
  std::vector<Result<ProductView>> results = service_->EnhanceMany({a, b}, std::nullopt);
  ASSERT_TRUE(results[0]) << results[0].error().ToString();
  ASSERT_FALSE(results[1]);
  EXPECT_EQ(results[1].error().code(), StatusCode::kUnavailable);
  EXPECT_NE(results[1].error().message().find("queueing product " + std::to_string(b)),
            std::string::npos)
      << results[1].error().message();
  EXPECT_EQ(service_->Get(b)->product.status, ProductStatus::kDraft);
  EXPECT_EQ(service_->Get(a)->product.status, ProductStatus::kQueued);
}

TEST_F(ProductServiceTest, EnhanceManyRefusesABadCountForEveryProduct) {
  const int64_t a = NewProductId("a");
  std::vector<Result<ProductView>> results = service_->EnhanceMany({a}, 11);
  ASSERT_FALSE(results[0]);
  EXPECT_EQ(results[0].error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(counting_->batches, 0);
  EXPECT_EQ(service_->Get(a)->product.status, ProductStatus::kDraft);
}

}  // namespace
}  // namespace enhancer
