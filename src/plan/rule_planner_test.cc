#include "plan/rule_planner.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <stop_token>
#include <string>

#include "plan/correction.h"
#include "plan/srgb.h"
#include "plan/test_previews.h"
#include "plan/tone_curve.h"

namespace enhancer {
namespace {

using plan_test::MakePreview;

Result<Plan> PlanFor(const Preview& preview, int count) {
  RulePlanner planner;
  return planner.MakePlan(PlanRequest{&preview, "mug", "kitchen", count}, {});
}

// How far apart two recipes are, over their numbers.
double Distance(const Recipe& a, const Recipe& b) {
  double d = std::abs(a.black_point - b.black_point) + std::abs(a.white_point - b.white_point) +
             std::abs(a.gamma - b.gamma) + std::abs(a.contrast - b.contrast) +
             std::abs(a.saturation - b.saturation) + std::abs(a.denoise - b.denoise) +
             std::abs(a.sharpen - b.sharpen) + std::abs(a.sharpen_radius - b.sharpen_radius);
  for (int c = 0; c < 3; ++c) d += std::abs(a.white_balance[c] - b.white_balance[c]);
  return d;
}

class RulePlannerCountTest : public ::testing::TestWithParam<int> {};

TEST_P(RulePlannerCountTest, GivesExactlyCountDistinctRecipesWithinBounds) {
  const int count = GetParam();
  const Preview preview =
      MakePreview(400, 300, plan_test::InLinearLight(plan_test::ProductScene, {0.6, 0.5, 0.35}));
  Result<Plan> plan = PlanFor(preview, count);
  ASSERT_TRUE(plan.has_value()) << plan.error().ToString();
  ASSERT_EQ(static_cast<int>(plan->recipes.size()), count);
  EXPECT_EQ(plan->planner, "local");
  EXPECT_EQ(plan->recipes.front().name, "faithful");
  std::set<std::string> names;
  for (size_t i = 0; i < plan->recipes.size(); ++i) {
    const Recipe& r = plan->recipes[i];
    EXPECT_TRUE(names.insert(r.name).second) << "duplicate name " << r.name;
    EXPECT_EQ(ToJson(Clamp(r)), ToJson(r)) << "out of bounds: " << ToJson(r);
    EXPECT_FALSE(r.prompt.empty()) << r.name;
    EXPECT_LE(r.prompt.size(), RecipeBounds::kPromptMaxBytes);
    EXPECT_EQ(r.prompt.find('\n'), std::string::npos);
    for (size_t j = 0; j < i; ++j) {
      EXPECT_GT(Distance(r, plan->recipes[j]), 0.05)
          << r.name << " and " << plan->recipes[j].name << " are too alike";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(OneToTen, RulePlannerCountTest, ::testing::Range(1, 11));

TEST(RulePlannerTest, SamePhotoGivesTheSamePlan) {
  const Preview preview =
      MakePreview(400, 300, plan_test::InLinearLight(plan_test::ProductScene, {0.9, 0.8, 0.6}));
  Result<Plan> a = PlanFor(preview, 10), b = PlanFor(preview, 10);
  ASSERT_TRUE(a.has_value() && b.has_value());
  ASSERT_EQ(a->recipes.size(), b->recipes.size());
  for (size_t i = 0; i < a->recipes.size(); ++i) {
    EXPECT_EQ(ToJson(a->recipes[i]), ToJson(b->recipes[i]));
  }
  EXPECT_EQ(a->note, b->note);
}

TEST(RulePlannerTest, FewerRecipesAreAPrefixOfMore) {
  const Preview preview = MakePreview(400, 300, plan_test::ProductScene);
  Result<Plan> three = PlanFor(preview, 3), ten = PlanFor(preview, 10);
  ASSERT_TRUE(three.has_value() && ten.has_value());
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(ToJson(three->recipes[i]), ToJson(ten->recipes[i]));
}

TEST(RulePlannerTest, FaithfulPromptDescribesThisPhoto) {
  const Preview warm_and_dark =
      MakePreview(400, 300, plan_test::InLinearLight(plan_test::ProductScene, {0.5, 0.425, 0.325}));
  Result<Plan> plan = PlanFor(warm_and_dark, 1);
  ASSERT_TRUE(plan.has_value());
  const Recipe& faithful = plan->recipes.front();
  EXPECT_NE(faithful.prompt.find("warm cast"), std::string::npos) << faithful.prompt;
  EXPECT_NE(faithful.prompt.find("lifts exposure by about 1"), std::string::npos)
      << faithful.prompt;
  // It undoes the cast: blue gains the most, red the least.
  EXPECT_GT(faithful.white_balance[2], faithful.white_balance[1]);
  EXPECT_GT(faithful.white_balance[1], faithful.white_balance[0]);

  Result<Plan> clean = PlanFor(MakePreview(400, 300, plan_test::ProductScene), 1);
  ASSERT_TRUE(clean.has_value());
  EXPECT_NE(clean->recipes.front().prompt.find("already balanced"), std::string::npos)
      << clean->recipes.front().prompt;
}

TEST(RulePlannerTest, FaithfulCorrectionRestoresACastProductShot) {
  // The planner's correction, applied to the damaged scene, gives back the scene.
  const Preview damaged =
      MakePreview(400, 300, plan_test::InLinearLight(plan_test::ProductScene, {0.8, 0.68, 0.52}));
  Result<Plan> plan = PlanFor(damaged, 1);
  ASSERT_TRUE(plan.has_value());
  const Recipe& r = plan->recipes.front();
  // The grey ramp's middle: encoded 0.5 in every channel before the damage.
  const plan_test::Colour hurt =
      plan_test::InLinearLight(plan_test::ProductScene, {0.8, 0.68, 0.52})(200, 100);
  for (int c = 0; c < 3; ++c) {
    const double restored =
        r.white_balance[c] * (hurt[c] - r.black_point) / (r.white_point - r.black_point);
    EXPECT_NEAR(std::pow(std::clamp(restored, 0.0, 1.0), 1.0 / r.gamma), 0.5, 0.02) << c;
  }
}

TEST(RulePlannerTest, WhiteBackgroundPutsHighKeySecond) {
  Result<Plan> plan = PlanFor(MakePreview(400, 300, plan_test::ProductScene), 2);
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->recipes[1].name, "high-key");
  Result<Plan> wood = PlanFor(MakePreview(400, 300, plan_test::WoodScene), 2);
  ASSERT_TRUE(wood.has_value());
  EXPECT_NE(wood->recipes[1].name, "high-key");
}

TEST(RulePlannerTest, NoNeutralReferenceKeepsColourAndSaysSo) {
  Result<Plan> plan = PlanFor(MakePreview(400, 300, plan_test::WoodScene), 3);
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->recipes.front().white_balance, (std::array<double, 3>{1, 1, 1}));
  EXPECT_NE(plan->note.find("no neutral reference"), std::string::npos) << plan->note;
}

// Regression, correction quality issue: on a photo with nothing neutral, a cast that dims green
// and blue was answered by lifting exposure, which made it worse than the input.
TEST(RulePlannerTest, CastWithoutANeutralReferenceIsNotAnsweredWithExposure) {
  const Preview damaged = plan_test::WithOwnHistograms(MakePreview(
      400, 300, plan_test::InLinearLight(plan_test::ColourfulScene, {1.0, 0.85, 0.65})));
  Result<Plan> plan = PlanFor(damaged, 1);
  ASSERT_TRUE(plan.has_value());
  const Recipe& r = plan->recipes.front();
  // Red, the channel the light favours, keeps its levels; green and blue are raised toward it.
  for (int level = 0; level <= 255; level += 15) {
    EXPECT_NEAR(255 * ToneCurve(r, 0, level / 255.0), level, 2.0) << level;
  }
  EXPECT_GT(ToneCurve(r, 1, 0.5), 0.51);
  EXPECT_GT(ToneCurve(r, 2, 0.5), ToneCurve(r, 1, 0.5));
  EXPECT_NE(plan->note.find("brightest level of each channel"), std::string::npos) << plan->note;
  EXPECT_NE(r.prompt.find("Softens a warm cast"), std::string::npos) << r.prompt;
}

TEST(RulePlannerTest, UnderexposureWithoutANeutralIsLiftedNoFurtherThanItsBrightestPixel) {
  // One stop under: the glint is the brightest pixel, and is brought back near white (the
  // headroom rule stops short of 1), not past it.
  const Preview dark = plan_test::WithOwnHistograms(
      MakePreview(400, 300, plan_test::InLinearLight(plan_test::ColourfulScene, {0.5, 0.5, 0.5})));
  Result<Plan> plan = PlanFor(dark, 1);
  ASSERT_TRUE(plan.has_value());
  const Recipe& r = plan->recipes.front();
  const double glint = LinearToSrgb(0.5);
  for (int c = 0; c < 3; ++c) {
    EXPECT_LT(ToneCurve(r, c, glint), 1.0) << c;
    EXPECT_GT(ToneCurve(r, c, glint), 0.9) << c;
  }
  EXPECT_GT(MidtoneStops(r), 0.6);
  EXPECT_LT(MidtoneStops(r), 1.0);
}

TEST(RulePlannerTest, LooksDifferInHowFarTheyCorrect) {
  const Preview preview =
      MakePreview(400, 300, plan_test::InLinearLight(plan_test::ProductScene, {1.0, 0.8, 0.55}));
  Result<Plan> plan = PlanFor(preview, 10);
  ASSERT_TRUE(plan.has_value());
  std::set<long> blue_gains;
  for (const Recipe& r : plan->recipes) blue_gains.insert(std::lround(r.white_balance[2] * 100));
  EXPECT_GE(blue_gains.size(), 3u) << "the looks should not all correct the cast equally";
}

TEST(RulePlannerTest, BadRequestsAreInvalidArgument) {
  RulePlanner planner;
  const Preview preview = MakePreview(8, 8, plan_test::ProductScene);
  Preview mismatched = preview;
  mismatched.rgb.pop_back();
  Preview empty;
  struct Case {
    const char* what;
    PlanRequest request;
  };
  for (const Case& c :
       {Case{"no preview", {nullptr, "", "", 3}}, Case{"count 0", {&preview, "", "", 0}},
        Case{"count 11", {&preview, "", "", 11}}, Case{"size mismatch", {&mismatched, "", "", 3}},
        Case{"empty preview", {&empty, "", "", 3}}}) {
    Result<Plan> plan = planner.MakePlan(c.request, {});
    ASSERT_FALSE(plan.has_value()) << c.what;
    EXPECT_EQ(plan.error().code(), StatusCode::kInvalidArgument) << c.what;
  }
  Result<Plan> plan = planner.MakePlan({&preview, "", "", 0}, {});
  EXPECT_NE(plan.error().message().find("between 1 and 10"), std::string::npos);
}

TEST(RulePlannerTest, StoppedBeforeStartIsCancelled) {
  RulePlanner planner;
  const Preview preview = MakePreview(8, 8, plan_test::ProductScene);
  std::stop_source stop;
  stop.request_stop();
  Result<Plan> plan = planner.MakePlan({&preview, "", "", 3}, stop.get_token());
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().code(), StatusCode::kCancelled);
}

}  // namespace
}  // namespace enhancer
