#include "service/photo_enhancer.h"

#include <gtest/gtest.h>

#include <mutex>
#include <new>
#include <set>
#include <thread>

#include "plan/rule_planner.h"

namespace enhancer {
namespace {

class FakePhoto final : public PreparedPhoto {
 public:
  FakePhoto() {
    // A warm photo: red high, blue low, so grey world has something to correct.
    statistics_.luma[128] = 100;
    statistics_.channels[0][180] = 100;
    statistics_.channels[1][128] = 100;
    statistics_.channels[2][80] = 100;
  }
  const Preview& preview() const override { return preview_; }
  const PhotoStatistics& statistics() const override { return statistics_; }
  int source_width() const override { return 40; }
  int source_height() const override { return 30; }

 private:
  Preview preview_;
  PhotoStatistics statistics_;
};

// Records what it is asked to render and on which thread; can throw or be remote.
class FakeRenderer final : public Renderer {
 public:
  Result<std::unique_ptr<PreparedPhoto>> Prepare(std::string_view) override {
    return std::unique_ptr<PreparedPhoto>(std::make_unique<FakePhoto>());
  }
  Result<RenderedImage> Render(const PreparedPhoto&, const Recipe& recipe,
                               std::stop_token) override {
    {
      std::lock_guard lock(mu);
      recipes.push_back(recipe);
      threads.insert(std::this_thread::get_id());
    }
    if (recipe.name == throw_for) throw std::bad_alloc();
    RenderedImage out;
    out.image.jpeg = "jpeg of " + recipe.name;
    if (recipe.name == note_for) out.note = "note from " + recipe.name;
    return out;
  }
  bool remote() const override { return is_remote; }

  std::mutex mu;
  std::vector<Recipe> recipes;
  std::set<std::thread::id> threads;
  std::string throw_for, note_for;
  bool is_remote = false;
};

Recipe Named(std::string name) {
  Recipe r;
  r.name = std::move(name);
  return r;
}

class PhotoEnhancerTest : public ::testing::Test {
 protected:
  FakeRenderer renderer_;
  RulePlanner planner_;
  CpuPool pool_{2};
};

TEST_F(PhotoEnhancerTest, RendersEveryRecipeOnThePoolInOrderWithDistinctNames) {
  PhotoEnhancer enhancer(renderer_, planner_, nullptr, &pool_);
  EnhanceRequest request;
  request.recipes = std::vector<Recipe>{Named("warm"), Named("warm"), Named("cool")};
  request.original = true;
  Result<EnhancedPhoto> out = enhancer.Enhance("bytes", request, {});
  ASSERT_TRUE(out) << out.error().ToString();
  ASSERT_EQ(out->images.size(), 3u);
  EXPECT_EQ(out->images[0].recipe.name, "warm");
  EXPECT_EQ(out->images[1].recipe.name, "warm-2");
  EXPECT_EQ(out->images[2].rendered.image.jpeg, "jpeg of cool");
  ASSERT_TRUE(out->original.has_value());
  EXPECT_EQ(out->original->rendered.image.jpeg, "jpeg of original");
  EXPECT_EQ(renderer_.recipes.size(), 4u);  // each once
  EXPECT_FALSE(renderer_.threads.contains(std::this_thread::get_id()));
}

TEST_F(PhotoEnhancerTest, ARemoteRendererWaitsOnTheCallersThreadNotThePool) {
  renderer_.is_remote = true;
  PhotoEnhancer enhancer(renderer_, planner_, nullptr, &pool_);
  EnhanceRequest request;
  request.recipes = std::vector<Recipe>{Named("a"), Named("b")};
  ASSERT_TRUE(enhancer.Enhance("bytes", request, {}));
  EXPECT_EQ(renderer_.threads, std::set<std::thread::id>{std::this_thread::get_id()});
}

TEST_F(PhotoEnhancerTest, MeasuredAdjustmentsAreResolvedBeforeRenderingAndRecorded) {
  PhotoEnhancer enhancer(renderer_, planner_, nullptr, &pool_);
  Recipe r1 = Named("r1");
  r1.grey_world = true;
  EnhanceRequest request;
  request.recipes = std::vector<Recipe>{r1};
  Result<EnhancedPhoto> out = enhancer.Enhance("bytes", request, {});
  ASSERT_TRUE(out) << out.error().ToString();
  ASSERT_EQ(renderer_.recipes.size(), 1u);
  EXPECT_FALSE(renderer_.recipes[0].grey_world);
  const double grey = (180.0 + 128.0 + 80.0) / 3;
  EXPECT_NEAR(renderer_.recipes[0].white_balance[0], grey / 180, 1e-9);  // red cut
  EXPECT_NEAR(renderer_.recipes[0].white_balance[2], grey / 80, 1e-9);   // blue lifted
  EXPECT_EQ(out->images[0].recipe.white_balance, renderer_.recipes[0].white_balance);
}

TEST_F(PhotoEnhancerTest, ARendersNoteJoinsThePlannersNote) {
  renderer_.note_for = "b";
  PhotoEnhancer enhancer(renderer_, planner_, nullptr, &pool_);
  EnhanceRequest request;
  request.recipes = std::vector<Recipe>{Named("a"), Named("b")};
  Result<EnhancedPhoto> out = enhancer.Enhance("bytes", request, {});
  ASSERT_TRUE(out);
  EXPECT_EQ(out->note, "note from b");
}

// A pool thread must never see an exception: an allocation failing inside a render is an
// Internal error for this photo, and the process (and the pool) carry on.
TEST_F(PhotoEnhancerTest, ARenderThatThrowsIsAnInternalErrorAndThePoolCarriesOn) {
  renderer_.throw_for = "b";
  PhotoEnhancer enhancer(renderer_, planner_, nullptr, &pool_);
  EnhanceRequest request;
  request.recipes = std::vector<Recipe>{Named("a"), Named("b")};
  Result<EnhancedPhoto> out = enhancer.Enhance("bytes", request, {});
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code(), StatusCode::kInternal);
  renderer_.throw_for.clear();
  EXPECT_TRUE(enhancer.Enhance("bytes", request, {}));
}

TEST_F(PhotoEnhancerTest, AStopBeforeRenderingIsCancelled) {
  PhotoEnhancer enhancer(renderer_, planner_, nullptr, &pool_);
  EnhanceRequest request;
  request.recipes = std::vector<Recipe>{Named("a")};
  std::stop_source stop;
  stop.request_stop();
  Result<EnhancedPhoto> out = enhancer.Enhance("bytes", request, stop.get_token());
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code(), StatusCode::kCancelled);
  EXPECT_TRUE(renderer_.recipes.empty());
}

}  // namespace
}  // namespace enhancer
