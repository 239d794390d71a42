// EnhanceJob against SQLite and a local folder: what the renderers report reaches the product's
// record, where a reviewer sees it.
#include "service/enhance_job.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <string>

#include "core/status_matchers.h"
#include "db/scoped_temp_dir.h"
#include "db/sqlite_repository.h"
#include "plan/rule_planner.h"
#include "render/renderer_wrapper.h"
#include "render/vips_renderer.h"
#include "store/local_object_store.h"

namespace enhancer {
namespace {

constexpr char kFallbackNote[] =
    "gemini-image gave no image for faithful (text only, no image), rendered with libvips";

// Notes its first render as the generative renderer notes a fallback.
class FallbackNotingRenderer : public RendererWrapper {
 public:
  using RendererWrapper::RendererWrapper;

  Result<RenderedImage> Render(const PreparedPhoto& photo, const Recipe& recipe,
                               std::stop_token stop) override {
    Result<RenderedImage> rendered = RendererWrapper::Render(photo, recipe, stop);
    if (rendered && calls_++ == 0) rendered->note = kFallbackNote;
    return rendered;
  }

 private:
  std::atomic<int> calls_{0};
};

std::string ReadPhoto(const std::string& name) {
  std::ifstream in(std::string(ENHANCER_SHARED_DIR) + "/testdata/images/" + name, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(EnhanceJobTest, ARenderersNoteIsRecordedWithThePlannersNote) {
  ScopedTempDir dir;
  ASSERT_FALSE(dir.path().empty());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Repository> repository,
                       OpenSqliteRepository(dir.File("enhancer.db")));
  ASSERT_OK(repository->Migrate());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ObjectStore> store,
                       OpenLocalObjectStore(dir.File("media"), "/media"));
  const std::string photo = ReadPhoto("smarties_1mp.jpg");
  ASSERT_FALSE(photo.empty());
  ASSERT_OK(store->Put("raw/smarties.jpg", photo, "image/jpeg"));
  ASSERT_OK_AND_ASSIGN(Product product,
                       repository->CreateProduct({"Sweets", "food", "raw/smarties.jpg"}));

  std::unique_ptr<Renderer> libvips = MakeVipsRenderer(RenderOptions{});
  FallbackNotingRenderer renderer(*libvips);
  RulePlanner planner;
  PhotoEnhancer enhancer(renderer, planner);
  PhotoFetcher fetcher{FetchOptions{}};
  EnhanceJob job(*repository, *store, fetcher, enhancer, EnhanceJobOptions{2, 5});
  ASSERT_OK(job.Run(ProductMessage{product.id, 2}, /*attempt=*/1, /*force=*/false, {}));

  // The planner's own note, if any, comes first; the renderer's follows.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PreparedPhoto> prepared, libvips->Prepare(photo));
  ASSERT_OK_AND_ASSIGN(
      Plan plan, planner.MakePlan(PlanRequest{&prepared->preview(), "Sweets", "food", 2}, {}));
  const std::string want = plan.note.empty() ? kFallbackNote : plan.note + "; " + kFallbackNote;
  ASSERT_OK_AND_ASSIGN(Product stored, repository->GetProduct(product.id));
  EXPECT_EQ(stored.status, ProductStatus::kPendingReview);
  EXPECT_EQ(stored.plan.planner, "local");
  EXPECT_EQ(stored.plan.note, want);
  ASSERT_OK_AND_ASSIGN(std::vector<ProductImage> images, repository->ListImages(product.id));
  EXPECT_EQ(images.size(), 2u);
}

}  // namespace
}  // namespace enhancer
