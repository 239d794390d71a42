#include "plan/recipe.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace enhancer {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(ClampTest, IdentityIsUnchanged) {
  Recipe identity;
  identity.name = "faithful";
  identity.prompt = "Keeps the photo as it is";
  Recipe clamped = Clamp(identity);
  EXPECT_EQ(clamped.name, "faithful");
  EXPECT_EQ(clamped.prompt, identity.prompt);
  EXPECT_EQ(ToJson(clamped), ToJson(identity));
}

TEST(ClampTest, NumbersOutOfBoundsMoveToTheNearestBound) {
  Recipe r;
  r.black_point = -1;
  r.white_point = 7;
  r.white_balance = {0.1, 9, 1.2};
  r.gamma = 10;
  r.contrast = 0;
  r.saturation = -3;
  r.denoise = 2;
  r.sharpen = 5;
  r.sharpen_radius = 0.01;
  Recipe c = Clamp(r);
  EXPECT_EQ(c.black_point, 0.0);
  EXPECT_EQ(c.white_point, 1.0);
  EXPECT_EQ(c.white_balance[0], RecipeBounds::kGainMin);
  EXPECT_EQ(c.white_balance[1], RecipeBounds::kGainMax);
  EXPECT_EQ(c.white_balance[2], 1.2);
  EXPECT_EQ(c.gamma, RecipeBounds::kGammaMax);
  EXPECT_EQ(c.contrast, RecipeBounds::kContrastMin);
  EXPECT_EQ(c.saturation, 0.0);
  EXPECT_EQ(c.denoise, RecipeBounds::kDenoiseMax);
  EXPECT_EQ(c.sharpen, RecipeBounds::kSharpenMax);
  EXPECT_EQ(c.sharpen_radius, RecipeBounds::kSharpenRadiusMin);
}

TEST(ClampTest, NaNBecomesTheIdentityValue) {
  Recipe r;
  r.black_point = r.white_point = r.gamma = r.contrast = r.saturation = kNaN;
  r.denoise = r.sharpen = r.sharpen_radius = kNaN;
  r.white_balance = {kNaN, kNaN, kNaN};
  Recipe c = Clamp(r);
  EXPECT_EQ(c.black_point, 0.0);
  EXPECT_EQ(c.white_point, 1.0);
  EXPECT_EQ(c.white_balance, (std::array<double, 3>{1, 1, 1}));
  EXPECT_EQ(c.gamma, 1.0);
  EXPECT_EQ(c.contrast, 1.0);
  EXPECT_EQ(c.saturation, 1.0);
  EXPECT_EQ(c.denoise, 0.0);
  EXPECT_EQ(c.sharpen, 0.0);
  EXPECT_EQ(c.sharpen_radius, 1.0);
}

TEST(ClampTest, LevelsKeepTheMinimumRange) {
  Recipe r;
  r.black_point = 0.4;
  r.white_point = 0.6;
  Recipe c = Clamp(r);
  EXPECT_DOUBLE_EQ(c.white_point, 0.6);
  EXPECT_NEAR(c.white_point - c.black_point, RecipeBounds::kMinLevelsRange, 1e-12);
}

TEST(ClampTest, NameBecomesALowercaseSlug) {
  struct Case {
    std::string in, out;
  };
  for (const Case& c :
       {Case{"Bright & Airy!", "bright-airy"}, Case{"  vivid  ", "vivid"}, Case{"", "variant"},
        Case{"***", "variant"}, Case{"Café Crème", "caf-cr-me"},
        Case{std::string(100, 'a'), std::string(RecipeBounds::kNameMaxBytes, 'a')}}) {
    Recipe r;
    r.name = c.in;
    EXPECT_EQ(Clamp(r).name, c.out) << c.in;
  }
}

TEST(ClampTest, PromptBecomesOneTrimmedLine) {
  Recipe r;
  r.prompt = "  Lifts shadows,\n\tneutralises\r\na warm cast  ";
  EXPECT_EQ(Clamp(r).prompt, "Lifts shadows, neutralises a warm cast");
}

TEST(ClampTest, LongPromptIsCutOnACharacterBoundary) {
  Recipe r;
  r.prompt = std::string(RecipeBounds::kPromptMaxBytes - 1, 'x') + "\xC3\xA9" + "tail";
  std::string prompt = Clamp(r).prompt;
  EXPECT_EQ(prompt, std::string(RecipeBounds::kPromptMaxBytes - 1, 'x'));
}

TEST(RecipeJsonTest, RoundTrips) {
  Recipe r;
  r.name = "vivid";
  r.prompt = "More colour, \"punchy\" contrast";
  r.black_point = 0.03;
  r.white_point = 0.92;
  r.white_balance = {1.0, 1.05, 1.2};
  r.gamma = 1.1;
  r.contrast = 1.2;
  r.saturation = 1.3;
  r.denoise = 0.2;
  r.sharpen = 0.6;
  r.sharpen_radius = 1.2;
  Result<Recipe> back = RecipeFromJson(ToJson(r));
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(back->name, r.name);
  EXPECT_EQ(back->prompt, r.prompt);
  EXPECT_EQ(back->black_point, r.black_point);
  EXPECT_EQ(back->white_point, r.white_point);
  EXPECT_EQ(back->white_balance, r.white_balance);
  EXPECT_EQ(back->gamma, r.gamma);
  EXPECT_EQ(back->contrast, r.contrast);
  EXPECT_EQ(back->saturation, r.saturation);
  EXPECT_EQ(back->denoise, r.denoise);
  EXPECT_EQ(back->sharpen, r.sharpen);
  EXPECT_EQ(back->sharpen_radius, r.sharpen_radius);
}

TEST(RecipeJsonTest, AutoAdjustmentsRoundTripAndAreOmittedWhenOff) {
  Recipe r;
  EXPECT_EQ(ToJson(r).find("auto_levels"), std::string::npos);
  EXPECT_EQ(ToJson(r).find("grey_world"), std::string::npos);
  r.auto_levels = 0.005;
  r.grey_world = true;
  Result<Recipe> back = RecipeFromJson(ToJson(r));
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(back->auto_levels, 0.005);
  EXPECT_TRUE(back->grey_world);
  Result<Recipe> bad = RecipeFromJson(R"({"grey_world": "yes"})");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("grey_world"), std::string::npos);
}

TEST(RecipeTest, IdentityIsTheRecipeThatChangesNothing) {
  Recipe r;
  r.name = "original";
  r.sharpen_radius = 2.0;  // a radius with no amount changes nothing
  EXPECT_TRUE(IsIdentity(r));
  r.saturation = 1.01;
  EXPECT_FALSE(IsIdentity(r));
  Recipe measured;
  measured.grey_world = true;
  EXPECT_FALSE(IsIdentity(measured));
}

TEST(ClampTest, AutoLevelsIsAFractionOfAtMostFivePercent) {
  Recipe r;
  r.auto_levels = 0.5;
  EXPECT_EQ(Clamp(r).auto_levels, RecipeBounds::kAutoLevelsMax);
  r.auto_levels = -1;
  EXPECT_EQ(Clamp(r).auto_levels, 0.0);
}

TEST(RecipeJsonTest, MissingFieldsAreIdentityAndValuesAreNotClamped) {
  Result<Recipe> r = RecipeFromJson(R"({"name": "Loud", "saturation": 5})");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->name, "Loud");
  EXPECT_EQ(r->saturation, 5.0);
  EXPECT_EQ(r->gamma, 1.0);
  EXPECT_EQ(r->white_balance, (std::array<double, 3>{1, 1, 1}));
}

TEST(RecipeJsonTest, MalformedInputIsInvalidArgument) {
  for (const char* text : {"", "{", "[1,2]", "42", R"({"gamma": "high"})", R"({"name": 3})",
                           R"({"white_balance": [1, 2]})", R"({"white_balance": [1, "a", 2]})",
                           R"({"white_balance": 1})"}) {
    Result<Recipe> r = RecipeFromJson(text);
    ASSERT_FALSE(r.has_value()) << text;
    EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument) << text;
  }
}

TEST(RecipeJsonTest, ErrorNamesTheField) {
  Result<Recipe> r = RecipeFromJson(R"({"contrast": true})");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("contrast"), std::string::npos) << r.error().message();
}

TEST(RecipeJsonTest, NonFiniteNumbersBecomeNullAndReadBackAsIdentity) {
  Recipe r;
  r.gamma = std::numeric_limits<double>::infinity();
  std::string json = ToJson(r);
  EXPECT_NE(json.find("\"gamma\":null"), std::string::npos) << json;
  Result<Recipe> back = RecipeFromJson(json);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->gamma, 1.0);
}

}  // namespace
}  // namespace enhancer
