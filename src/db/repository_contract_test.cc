#include "db/repository_contract_test.h"

#include <algorithm>
#include <set>
#include <thread>
#include <vector>

#include "core/status_matchers.h"

namespace enhancer {

void RepositoryContractTest::SetUp() {
  harness_ = GetParam().make_harness();
  ASSERT_NE(harness_, nullptr);
  ASSERT_OK_AND_ASSIGN(repo_, harness_->Open());
  ASSERT_OK(repo_->Migrate());
}

void RepositoryContractTest::Reopen() {
  repo_.reset();
  Result<std::unique_ptr<Repository>> reopened = harness_->Open();
  ASSERT_TRUE(reopened.has_value()) << reopened.error().ToString();
  repo_ = std::move(*reopened);
}

Product RepositoryContractTest::Create(const std::string& name, const std::string& category) {
  Result<Product> product =
      repo_->CreateProduct({name, category, "https://shop.example/raw/" + name + ".jpg"});
  if (!product) {
    ADD_FAILURE() << "CreateProduct(" << name << "): " << product.error().ToString();
    return {};
  }
  return *product;
}

ProductImage RepositoryContractTest::MakeImage(const std::string& key) {
  ProductImage image;
  image.storage_key = "enhanced/" + key + ".jpg";
  image.thumbnail_key = "thumbs/" + key + ".jpg";
  image.variant = key;
  image.prompt = "make " + key + " look good";
  image.recipe_json = R"({"name":")" + key + R"("})";
  image.width = 1600;
  image.height = 1200;
  image.bytes = 123456;
  return image;
}

namespace {

void ExpectSameProduct(const Product& a, const Product& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.category, b.category);
  EXPECT_EQ(a.raw_image_url, b.raw_image_url);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.error, b.error);
  EXPECT_EQ(a.source_hash, b.source_hash);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
}

std::vector<int64_t> IdsOf(const std::vector<Product>& products) {
  std::vector<int64_t> ids;
  for (const Product& p : products) ids.push_back(p.id);
  return ids;
}

std::vector<std::string> KeysOf(const std::vector<ProductImage>& images) {
  std::vector<std::string> keys;
  for (const ProductImage& image : images) keys.push_back(image.storage_key);
  return keys;
}

int64_t CountOf(const StatusCounts& counts, ProductStatus status) {
  for (const auto& [s, n] : counts.counts) {
    if (s == status) return n;
  }
  return -1;
}

}  // namespace

// ---- Migrate ----

TEST_P(RepositoryContractTest, MigrateIsIdempotentAndKeepsData) {
  Product product = Create("lamp");
  ASSERT_OK(repo_->Migrate());
  ASSERT_OK(repo_->Migrate());
  ASSERT_OK_AND_ASSIGN(Product stored, repo_->GetProduct(product.id));
  ExpectSameProduct(stored, product);
  Reopen();
  ASSERT_OK(repo_->Migrate());
  ASSERT_OK_AND_ASSIGN(stored, repo_->GetProduct(product.id));
  ExpectSameProduct(stored, product);
}

// ---- CreateProduct / GetProduct ----

TEST_P(RepositoryContractTest, CreateProductReturnsTheStoredDraft) {
  ASSERT_OK_AND_ASSIGN(Product created,
                       repo_->CreateProduct({"Red shoe", "shoes", "https://a.example/shoe.jpg"}));
  EXPECT_GT(created.id, 0);
  EXPECT_EQ(created.name, "Red shoe");
  EXPECT_EQ(created.category, "shoes");
  EXPECT_EQ(created.raw_image_url, "https://a.example/shoe.jpg");
  EXPECT_EQ(created.status, ProductStatus::kDraft);
  EXPECT_EQ(created.error, "");
  EXPECT_EQ(created.source_hash, "");
  EXPECT_EQ(created.created_at, FormatIso8601(harness_->clock().Now()));
  EXPECT_EQ(created.updated_at, created.created_at);

  ASSERT_OK_AND_ASSIGN(Product fetched, repo_->GetProduct(created.id));
  ExpectSameProduct(fetched, created);
}

TEST_P(RepositoryContractTest, CreateProductKeepsAnEmptyCategoryAndUnicode) {
  ASSERT_OK_AND_ASSIGN(Product created,
                       repo_->CreateProduct({"Sac à main « été » 👜", "", "raw/bag.jpg"}));
  ASSERT_OK_AND_ASSIGN(Product fetched, repo_->GetProduct(created.id));
  EXPECT_EQ(fetched.name, "Sac à main « été » 👜");
  EXPECT_EQ(fetched.category, "");
  EXPECT_EQ(fetched.raw_image_url, "raw/bag.jpg");
}

TEST_P(RepositoryContractTest, CreateProductGivesDistinctRisingIds) {
  Product a = Create("a");
  Product b = Create("b");
  Product c = Create("c");
  EXPECT_LT(a.id, b.id);
  EXPECT_LT(b.id, c.id);
}

TEST_P(RepositoryContractTest, CreateProductRefusesAnEmptyNameOrImageUrl) {
  EXPECT_CODE(repo_->CreateProduct({"", "shoes", "https://a.example/x.jpg"}),
              StatusCode::kInvalidArgument);
  EXPECT_CODE(repo_->CreateProduct({"shoe", "shoes", ""}), StatusCode::kInvalidArgument);
  ASSERT_OK_AND_ASSIGN(StatusCounts counts, repo_->CountByStatus());
  EXPECT_EQ(CountOf(counts, ProductStatus::kDraft), 0);
}

TEST_P(RepositoryContractTest, GetUnknownProductIsNotFoundWithItsId) {
  Result<Product> missing = repo_->GetProduct(42);
  EXPECT_CODE(missing, StatusCode::kNotFound);
  EXPECT_EQ(missing.error().message(), "product 42 does not exist");
}

// ---- SetProductStatus ----

TEST_P(RepositoryContractTest, SetProductStatusSetsStatusErrorAndUpdatedAt) {
  Product product = Create("kettle");
  harness_->clock().Advance(std::chrono::milliseconds(1500));
  ASSERT_OK(repo_->SetProductStatus(product.id, ProductStatus::kFailed, "not an image"));
  ASSERT_OK_AND_ASSIGN(Product failed, repo_->GetProduct(product.id));
  EXPECT_EQ(failed.status, ProductStatus::kFailed);
  EXPECT_EQ(failed.error, "not an image");
  EXPECT_EQ(failed.created_at, product.created_at);
  EXPECT_EQ(failed.updated_at, FormatIso8601(harness_->clock().Now()));
  EXPECT_GT(failed.updated_at, failed.created_at);

  ASSERT_OK(repo_->SetProductStatus(product.id, ProductStatus::kQueued, ""));
  ASSERT_OK_AND_ASSIGN(Product queued, repo_->GetProduct(product.id));
  EXPECT_EQ(queued.status, ProductStatus::kQueued);
  EXPECT_EQ(queued.error, "");
}

TEST_P(RepositoryContractTest, SetProductStatusAcceptsEveryStatus) {
  Product product = Create("chair");
  for (ProductStatus status :
       {ProductStatus::kQueued, ProductStatus::kProcessing, ProductStatus::kPendingReview,
        ProductStatus::kApproved, ProductStatus::kRejected, ProductStatus::kFailed,
        ProductStatus::kDraft}) {
    ASSERT_OK(repo_->SetProductStatus(product.id, status, ""));
    ASSERT_OK_AND_ASSIGN(Product stored, repo_->GetProduct(product.id));
    EXPECT_EQ(stored.status, status) << ProductStatusName(status);
  }
}

TEST_P(RepositoryContractTest, SetProductStatusOfUnknownProductIsNotFound) {
  Status status = repo_->SetProductStatus(42, ProductStatus::kQueued, "");
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "product 42 does not exist");
}

// ---- RecordPlan ----

TEST_P(RepositoryContractTest, RecordPlanKeepsThePlannerNoteAndTokensOnTheProduct) {
  Product product = Create("planned");
  EXPECT_TRUE(product.plan.planner.empty());
  EXPECT_EQ(product.plan.prompt_tokens, 0);
  PlanRecord plan{"local (gemini fallback)", "Gemini's answer did not fit; local planner used", 2580, 1280};
  ASSERT_OK(repo_->RecordPlan(product.id, plan));
  ASSERT_OK_AND_ASSIGN(Product stored, repo_->GetProduct(product.id));
  EXPECT_EQ(stored.plan.planner, plan.planner);
  EXPECT_EQ(stored.plan.note, plan.note);
  EXPECT_EQ(stored.plan.prompt_tokens, 2580);
  EXPECT_EQ(stored.plan.output_tokens, 1280);
  Reopen();
  ASSERT_OK_AND_ASSIGN(Product reopened, repo_->GetProduct(product.id));
  EXPECT_EQ(reopened.plan.output_tokens, 1280);

  Status missing = repo_->RecordPlan(4242, plan);
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.message(), "product 4242 does not exist");
}

// ---- DeleteProduct ----

TEST_P(RepositoryContractTest, DeleteProductRemovesItAndItsImagesAndReturnsThem) {
  Product doomed = Create("doomed");
  Product kept = Create("kept");
  ASSERT_OK(repo_->CompleteProduct(doomed.id, "h1", {MakeImage("a"), MakeImage("b")}));
  ASSERT_OK(repo_->CompleteProduct(kept.id, "h2", {MakeImage("c")}));

  ASSERT_OK_AND_ASSIGN(std::vector<ProductImage> removed, repo_->DeleteProduct(doomed.id));
  ASSERT_EQ(removed.size(), 2u);
  EXPECT_EQ(removed[0].storage_key, "enhanced/a.jpg");
  EXPECT_EQ(removed[1].thumbnail_key, "thumbs/b.jpg");
  EXPECT_EQ(repo_->GetProduct(doomed.id).error().code(), StatusCode::kNotFound);
  EXPECT_EQ(repo_->GetImage(removed[0].id).error().code(), StatusCode::kNotFound);
  ASSERT_OK_AND_ASSIGN(std::vector<ProductImage> left, repo_->ListImages(kept.id));
  EXPECT_EQ(left.size(), 1u);

  Result<std::vector<ProductImage>> again = repo_->DeleteProduct(doomed.id);
  EXPECT_EQ(again.error().code(), StatusCode::kNotFound);
  EXPECT_EQ(again.error().message(), "product " + std::to_string(doomed.id) + " does not exist");
}

// ---- ListProducts ----

TEST_P(RepositoryContractTest, ListProductsPagesByCursorInIdOrder) {
  std::vector<int64_t> ids;
  for (const char* name : {"p1", "p2", "p3", "p4", "p5"}) ids.push_back(Create(name).id);

  ProductFilter filter;
  filter.limit = 2;
  ASSERT_OK_AND_ASSIGN(ProductPage page1, repo_->ListProducts(filter));
  EXPECT_EQ(IdsOf(page1.items), (std::vector<int64_t>{ids[0], ids[1]}));
  ASSERT_TRUE(page1.next_after_id.has_value());

  filter.after_id = page1.next_after_id;
  ASSERT_OK_AND_ASSIGN(ProductPage page2, repo_->ListProducts(filter));
  EXPECT_EQ(IdsOf(page2.items), (std::vector<int64_t>{ids[2], ids[3]}));
  ASSERT_TRUE(page2.next_after_id.has_value());

  filter.after_id = page2.next_after_id;
  ASSERT_OK_AND_ASSIGN(ProductPage page3, repo_->ListProducts(filter));
  EXPECT_EQ(IdsOf(page3.items), (std::vector<int64_t>{ids[4]}));
  EXPECT_FALSE(page3.next_after_id.has_value());
}

TEST_P(RepositoryContractTest, ListProductsHasNoNextPageWhenTheLastPageIsFull) {
  Product a = Create("a");
  Product b = Create("b");
  ProductFilter filter;
  filter.limit = 2;
  ASSERT_OK_AND_ASSIGN(ProductPage page, repo_->ListProducts(filter));
  EXPECT_EQ(IdsOf(page.items), (std::vector<int64_t>{a.id, b.id}));
  EXPECT_FALSE(page.next_after_id.has_value());
}

TEST_P(RepositoryContractTest, ListProductsOfAnEmptyTableIsEmpty) {
  ASSERT_OK_AND_ASSIGN(ProductPage page, repo_->ListProducts({}));
  EXPECT_TRUE(page.items.empty());
  EXPECT_FALSE(page.next_after_id.has_value());
}

TEST_P(RepositoryContractTest, ListProductsFiltersByStatusAndCategory) {
  Product shoe1 = Create("shoe1", "shoes");
  Product hat = Create("hat", "hats");
  Product shoe2 = Create("shoe2", "shoes");
  Product shoe3 = Create("shoe3", "shoes");
  ASSERT_OK(repo_->SetProductStatus(shoe2.id, ProductStatus::kQueued, ""));
  ASSERT_OK(repo_->SetProductStatus(hat.id, ProductStatus::kQueued, ""));

  ProductFilter by_category;
  by_category.category = "shoes";
  ASSERT_OK_AND_ASSIGN(ProductPage shoes, repo_->ListProducts(by_category));
  EXPECT_EQ(IdsOf(shoes.items), (std::vector<int64_t>{shoe1.id, shoe2.id, shoe3.id}));

  ProductFilter by_status;
  by_status.status = ProductStatus::kQueued;
  ASSERT_OK_AND_ASSIGN(ProductPage queued, repo_->ListProducts(by_status));
  EXPECT_EQ(IdsOf(queued.items), (std::vector<int64_t>{hat.id, shoe2.id}));

  ProductFilter both = by_category;
  both.status = ProductStatus::kDraft;
  ASSERT_OK_AND_ASSIGN(ProductPage draft_shoes, repo_->ListProducts(both));
  EXPECT_EQ(IdsOf(draft_shoes.items), (std::vector<int64_t>{shoe1.id, shoe3.id}));

  // The cursor and the filter combine: the next page continues within the filter.
  both.limit = 1;
  ASSERT_OK_AND_ASSIGN(ProductPage first, repo_->ListProducts(both));
  EXPECT_EQ(IdsOf(first.items), (std::vector<int64_t>{shoe1.id}));
  ASSERT_TRUE(first.next_after_id.has_value());
  both.after_id = first.next_after_id;
  ASSERT_OK_AND_ASSIGN(ProductPage second, repo_->ListProducts(both));
  EXPECT_EQ(IdsOf(second.items), (std::vector<int64_t>{shoe3.id}));
  EXPECT_FALSE(second.next_after_id.has_value());

  ProductFilter nothing;
  nothing.category = "no such category";
  ASSERT_OK_AND_ASSIGN(ProductPage none, repo_->ListProducts(nothing));
  EXPECT_TRUE(none.items.empty());
}

TEST_P(RepositoryContractTest, ListProductsChecksTheLimit) {
  Create("a");
  for (int limit : {0, -1, 201}) {
    ProductFilter filter;
    filter.limit = limit;
    EXPECT_CODE(repo_->ListProducts(filter), StatusCode::kInvalidArgument) << limit;
  }
  for (int limit : {1, 200}) {
    ProductFilter filter;
    filter.limit = limit;
    ASSERT_OK_AND_ASSIGN(ProductPage page, repo_->ListProducts(filter));
    EXPECT_EQ(page.items.size(), 1u);
  }
}

// ---- CompleteProduct / ListImages / GetImage ----

TEST_P(RepositoryContractTest, CompleteProductRecordsImagesAndSetsPendingReview) {
  Product product = Create("vase");
  ASSERT_OK(repo_->SetProductStatus(product.id, ProductStatus::kProcessing, "earlier failure"));
  harness_->clock().Advance(std::chrono::seconds(3));
  ASSERT_OK(
      repo_->CompleteProduct(product.id, "abc123", {MakeImage("faithful"), MakeImage("bright")}));

  ASSERT_OK_AND_ASSIGN(Product done, repo_->GetProduct(product.id));
  EXPECT_EQ(done.status, ProductStatus::kPendingReview);
  EXPECT_EQ(done.error, "");
  EXPECT_EQ(done.source_hash, "abc123");
  EXPECT_EQ(done.updated_at, FormatIso8601(harness_->clock().Now()));

  ASSERT_OK_AND_ASSIGN(std::vector<ProductImage> images, repo_->ListImages(product.id));
  ASSERT_EQ(images.size(), 2u);
  for (const ProductImage& image : images) {
    ProductImage expected = MakeImage(image.variant);
    EXPECT_GT(image.id, 0);
    EXPECT_EQ(image.product_id, product.id);
    EXPECT_EQ(image.storage_key, expected.storage_key);
    EXPECT_EQ(image.thumbnail_key, expected.thumbnail_key);
    EXPECT_EQ(image.prompt, expected.prompt);
    EXPECT_EQ(image.recipe_json, expected.recipe_json);
    EXPECT_EQ(image.width, 1600);
    EXPECT_EQ(image.height, 1200);
    EXPECT_EQ(image.bytes, 123456);
    EXPECT_EQ(image.status, ImageStatus::kPendingReview);
    EXPECT_EQ(image.created_at, FormatIso8601(harness_->clock().Now()));

    ASSERT_OK_AND_ASSIGN(ProductImage fetched, repo_->GetImage(image.id));
    EXPECT_EQ(fetched.storage_key, image.storage_key);
    EXPECT_EQ(fetched.product_id, product.id);
  }
  EXPECT_EQ(KeysOf(images),
            (std::vector<std::string>{"enhanced/faithful.jpg", "enhanced/bright.jpg"}));
}

TEST_P(RepositoryContractTest, CompleteProductTwiceKeepsExactlyOneSetOfRows) {
  Product product = Create("mug");
  const std::vector<ProductImage> images = {MakeImage("a"), MakeImage("b"), MakeImage("c")};
  ASSERT_OK(repo_->CompleteProduct(product.id, "hash1", images));
  ASSERT_OK_AND_ASSIGN(std::vector<ProductImage> first, repo_->ListImages(product.id));

  harness_->clock().Advance(std::chrono::seconds(10));
  ProductImage changed = images[1];
  changed.bytes = 999;
  ASSERT_OK(repo_->CompleteProduct(product.id, "hash1", {images[0], changed, images[2]}));
  ASSERT_OK_AND_ASSIGN(std::vector<ProductImage> second, repo_->ListImages(product.id));

  ASSERT_EQ(second.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(second[i].id, first[i].id) << "rows are updated in place, not re-created";
    EXPECT_EQ(second[i].storage_key, first[i].storage_key);
    EXPECT_EQ(second[i].created_at, first[i].created_at);
  }
  EXPECT_EQ(second[1].bytes, 999);
}

TEST_P(RepositoryContractTest, CompleteProductReplacesStalePendingImagesButKeepsReviewedOnes) {
  Product product = Create("sofa");
  ASSERT_OK(repo_->CompleteProduct(product.id, "old",
                                   {MakeImage("kept"), MakeImage("dropped"), MakeImage("liked")}));
  ASSERT_OK_AND_ASSIGN(std::vector<ProductImage> old_images, repo_->ListImages(product.id));
  ASSERT_EQ(old_images.size(), 3u);
  ASSERT_OK(repo_->SetImageStatus(old_images[2].id, ImageStatus::kApproved));

  harness_->clock().Advance(std::chrono::seconds(1));
  // "liked" comes back with other content: the reviewed row must not change.
  ProductImage liked_again = MakeImage("liked");
  liked_again.prompt = "something else";
  ASSERT_OK(repo_->CompleteProduct(product.id, "new",
                                   {MakeImage("kept"), MakeImage("fresh"), liked_again}));

  ASSERT_OK_AND_ASSIGN(std::vector<ProductImage> images, repo_->ListImages(product.id));
  EXPECT_EQ(KeysOf(images), (std::vector<std::string>{"enhanced/kept.jpg", "enhanced/liked.jpg",
                                                      "enhanced/fresh.jpg"}));
  EXPECT_EQ(images[0].id, old_images[0].id);
  EXPECT_EQ(images[1].status, ImageStatus::kApproved);
  EXPECT_EQ(images[1].prompt, MakeImage("liked").prompt);
  EXPECT_EQ(images[2].status, ImageStatus::kPendingReview);
  EXPECT_CODE(repo_->GetImage(old_images[1].id), StatusCode::kNotFound);

  ASSERT_OK_AND_ASSIGN(Product stored, repo_->GetProduct(product.id));
  EXPECT_EQ(stored.status, ProductStatus::kPendingReview);
  EXPECT_EQ(stored.source_hash, "new");
}

TEST_P(RepositoryContractTest, CompleteProductWithNoImagesClearsPendingOnes) {
  Product product = Create("rug");
  ASSERT_OK(repo_->CompleteProduct(product.id, "h", {MakeImage("a")}));
  ASSERT_OK(repo_->CompleteProduct(product.id, "h", {}));
  ASSERT_OK_AND_ASSIGN(std::vector<ProductImage> images, repo_->ListImages(product.id));
  EXPECT_TRUE(images.empty());
}

TEST_P(RepositoryContractTest, CompleteUnknownProductIsNotFoundAndWritesNothing) {
  Status status = repo_->CompleteProduct(42, "h", {MakeImage("a")});
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "product 42 does not exist");
  ASSERT_OK_AND_ASSIGN(std::vector<ProductImage> images, repo_->ListImages(42));
  EXPECT_TRUE(images.empty());
}

TEST_P(RepositoryContractTest, CompleteProductRefusesDuplicateOrEmptyKeysAndChangesNothing) {
  Product product = Create("bed");
  ASSERT_OK(repo_->CompleteProduct(product.id, "h1", {MakeImage("a")}));
  ASSERT_OK(repo_->SetProductStatus(product.id, ProductStatus::kProcessing, ""));

  ProductImage no_key = MakeImage("b");
  no_key.storage_key = "";
  EXPECT_CODE(repo_->CompleteProduct(product.id, "h2", {MakeImage("b"), MakeImage("b")}),
              StatusCode::kInvalidArgument);
  EXPECT_CODE(repo_->CompleteProduct(product.id, "h2", {MakeImage("c"), no_key}),
              StatusCode::kInvalidArgument);

  ASSERT_OK_AND_ASSIGN(std::vector<ProductImage> images, repo_->ListImages(product.id));
  EXPECT_EQ(KeysOf(images), (std::vector<std::string>{"enhanced/a.jpg"}));
  ASSERT_OK_AND_ASSIGN(Product stored, repo_->GetProduct(product.id));
  EXPECT_EQ(stored.status, ProductStatus::kProcessing);
  EXPECT_EQ(stored.source_hash, "h1");
}

TEST_P(RepositoryContractTest, ImagesAreListedOldestFirst) {
  Product product = Create("table");
  ASSERT_OK(repo_->CompleteProduct(product.id, "h", {MakeImage("first")}));
  ASSERT_OK_AND_ASSIGN(auto images, repo_->ListImages(product.id));
  ASSERT_OK(repo_->SetImageStatus(images[0].id, ImageStatus::kApproved));
  harness_->clock().Advance(std::chrono::seconds(5));
  ASSERT_OK(repo_->CompleteProduct(product.id, "h", {MakeImage("second")}));
  ASSERT_OK_AND_ASSIGN(images, repo_->ListImages(product.id));
  EXPECT_EQ(KeysOf(images),
            (std::vector<std::string>{"enhanced/first.jpg", "enhanced/second.jpg"}));
  EXPECT_LT(images[0].created_at, images[1].created_at);
}

TEST_P(RepositoryContractTest, ImagesOfUnknownProductAreEmpty) {
  ASSERT_OK_AND_ASSIGN(std::vector<ProductImage> images, repo_->ListImages(12345));
  EXPECT_TRUE(images.empty());
}

TEST_P(RepositoryContractTest, GetUnknownImageIsNotFoundWithItsId) {
  Result<ProductImage> missing = repo_->GetImage(7);
  EXPECT_CODE(missing, StatusCode::kNotFound);
  EXPECT_EQ(missing.error().message(), "image 7 does not exist");
}

// ---- SetImageStatus ----

TEST_P(RepositoryContractTest, ProductIsApprovedOnceAllImagesAreReviewedAndOneApproved) {
  Product product = Create("clock");
  ASSERT_OK(repo_->CompleteProduct(product.id, "h", {MakeImage("a"), MakeImage("b")}));
  ASSERT_OK_AND_ASSIGN(auto images, repo_->ListImages(product.id));

  ASSERT_OK_AND_ASSIGN(ProductImage a, repo_->SetImageStatus(images[0].id, ImageStatus::kApproved));
  EXPECT_EQ(a.id, images[0].id);
  EXPECT_EQ(a.status, ImageStatus::kApproved);
  ASSERT_OK_AND_ASSIGN(Product halfway, repo_->GetProduct(product.id));
  EXPECT_EQ(halfway.status, ProductStatus::kPendingReview);

  harness_->clock().Advance(std::chrono::seconds(2));
  ASSERT_OK(repo_->SetImageStatus(images[1].id, ImageStatus::kRejected));
  ASSERT_OK_AND_ASSIGN(Product done, repo_->GetProduct(product.id));
  EXPECT_EQ(done.status, ProductStatus::kApproved);
  EXPECT_EQ(done.updated_at, FormatIso8601(harness_->clock().Now()));
}

TEST_P(RepositoryContractTest, ProductIsRejectedWhenEveryImageIsRejected) {
  Product product = Create("fan");
  ASSERT_OK(repo_->CompleteProduct(product.id, "h", {MakeImage("a"), MakeImage("b")}));
  ASSERT_OK_AND_ASSIGN(auto images, repo_->ListImages(product.id));
  ASSERT_OK(repo_->SetImageStatus(images[0].id, ImageStatus::kRejected));
  ASSERT_OK_AND_ASSIGN(Product halfway, repo_->GetProduct(product.id));
  EXPECT_EQ(halfway.status, ProductStatus::kPendingReview);
  ASSERT_OK(repo_->SetImageStatus(images[1].id, ImageStatus::kRejected));
  ASSERT_OK_AND_ASSIGN(Product done, repo_->GetProduct(product.id));
  EXPECT_EQ(done.status, ProductStatus::kRejected);

  // Changing one's mind after the decision moves the product with it.
  ASSERT_OK(repo_->SetImageStatus(images[1].id, ImageStatus::kApproved));
  ASSERT_OK_AND_ASSIGN(Product approved, repo_->GetProduct(product.id));
  EXPECT_EQ(approved.status, ProductStatus::kApproved);
}

TEST_P(RepositoryContractTest, AnImageSentBackToReviewReopensTheProduct) {
  Product product = Create("desk");
  ASSERT_OK(repo_->CompleteProduct(product.id, "h", {MakeImage("a")}));
  ASSERT_OK_AND_ASSIGN(auto images, repo_->ListImages(product.id));
  ASSERT_OK(repo_->SetImageStatus(images[0].id, ImageStatus::kApproved));
  ASSERT_OK_AND_ASSIGN(Product approved, repo_->GetProduct(product.id));
  EXPECT_EQ(approved.status, ProductStatus::kApproved);

  ASSERT_OK(repo_->SetImageStatus(images[0].id, ImageStatus::kPendingReview));
  ASSERT_OK_AND_ASSIGN(Product reopened, repo_->GetProduct(product.id));
  EXPECT_EQ(reopened.status, ProductStatus::kPendingReview);
}

TEST_P(RepositoryContractTest, SetStatusOfUnknownImageIsNotFound) {
  Result<ProductImage> missing = repo_->SetImageStatus(7, ImageStatus::kApproved);
  EXPECT_CODE(missing, StatusCode::kNotFound);
  EXPECT_EQ(missing.error().message(), "image 7 does not exist");
}

// ---- CountByStatus ----

TEST_P(RepositoryContractTest, CountByStatusListsEveryStatusIncludingZeros) {
  ASSERT_OK_AND_ASSIGN(StatusCounts empty, repo_->CountByStatus());
  EXPECT_EQ(empty.counts.size(), 7u);
  std::set<ProductStatus> seen;
  for (const auto& [status, n] : empty.counts) {
    seen.insert(status);
    EXPECT_EQ(n, 0) << ProductStatusName(status);
  }
  EXPECT_EQ(seen.size(), 7u);

  Create("a");
  Create("b");
  Product c = Create("c");
  Product d = Create("d");
  ASSERT_OK(repo_->SetProductStatus(c.id, ProductStatus::kFailed, "bad"));
  ASSERT_OK(repo_->CompleteProduct(d.id, "h", {MakeImage("x")}));
  ASSERT_OK_AND_ASSIGN(StatusCounts counts, repo_->CountByStatus());
  EXPECT_EQ(counts.counts.size(), 7u);
  EXPECT_EQ(CountOf(counts, ProductStatus::kDraft), 2);
  EXPECT_EQ(CountOf(counts, ProductStatus::kFailed), 1);
  EXPECT_EQ(CountOf(counts, ProductStatus::kPendingReview), 1);
  EXPECT_EQ(CountOf(counts, ProductStatus::kQueued), 0);
  EXPECT_EQ(CountOf(counts, ProductStatus::kProcessing), 0);
  EXPECT_EQ(CountOf(counts, ProductStatus::kApproved), 0);
  EXPECT_EQ(CountOf(counts, ProductStatus::kRejected), 0);
}

// ---- Durability and threads ----

TEST_P(RepositoryContractTest, DataSurvivesCloseAndReopen) {
  Product product = Create("piano");
  ASSERT_OK(repo_->CompleteProduct(product.id, "hash", {MakeImage("a"), MakeImage("b")}));
  ASSERT_OK_AND_ASSIGN(auto images, repo_->ListImages(product.id));
  ASSERT_OK(repo_->SetImageStatus(images[0].id, ImageStatus::kApproved));
  ASSERT_OK_AND_ASSIGN(Product before, repo_->GetProduct(product.id));

  Reopen();
  ASSERT_OK_AND_ASSIGN(Product after, repo_->GetProduct(product.id));
  ExpectSameProduct(after, before);
  ASSERT_OK_AND_ASSIGN(auto images_after, repo_->ListImages(product.id));
  ASSERT_EQ(images_after.size(), 2u);
  EXPECT_EQ(images_after[0].id, images[0].id);
  EXPECT_EQ(images_after[0].status, ImageStatus::kApproved);
  EXPECT_EQ(images_after[1].status, ImageStatus::kPendingReview);
}

TEST_P(RepositoryContractTest, ConcurrentCallersEachGetTheirOwnRows) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 20;
  std::vector<std::vector<int64_t>> ids(kThreads);
  std::vector<std::string> errors(kThreads);
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          std::string name = "t" + std::to_string(t) + "-" + std::to_string(i);
          Result<Product> p = repo_->CreateProduct({name, "load", "raw/" + name});
          if (!p) {
            errors[t] = p.error().ToString();
            return;
          }
          Status s = repo_->CompleteProduct(p->id, "h", {MakeImage(name)});
          if (!s.ok()) {
            errors[t] = s.ToString();
            return;
          }
          ids[t].push_back(p->id);
        }
      });
    }
  }
  std::set<int64_t> all;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(errors[t], "") << "thread " << t;
    all.insert(ids[t].begin(), ids[t].end());
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kPerThread));
  ASSERT_OK_AND_ASSIGN(StatusCounts counts, repo_->CountByStatus());
  EXPECT_EQ(CountOf(counts, ProductStatus::kPendingReview), kThreads * kPerThread);
}

}  // namespace enhancer
