// Wiring picks the renderer RENDERER names, and checks a Gemini image model before the first
// product (against the Gemini stand-in on 127.0.0.1).
#include "app/wiring.h"

#include <gtest/gtest.h>

#include <string>

#include "core/status_matchers.h"
#include "plan/gemini_stand_in.h"
#include "render/gemini_image_renderer.h"

namespace enhancer {
namespace {

constexpr char kKey[] = "AIzaWiringTestKey-0123456789";

Config GeminiImageConfig(const std::string& base_url, const std::string& model) {
  Result<Config> config = LoadConfig({{"RENDERER", "gemini-image"},
                                      {"GEMINI_IMAGE_MODEL", model},
                                      {"GEMINI_API_KEY", kKey},
                                      {"GEMINI_BASE_URL", base_url}});
  EXPECT_OK(config);
  return config ? *config : Config{};
}

TEST(MakeRendererTest, LibvipsByDefault) {
  ASSERT_OK_AND_ASSIGN(Config config, LoadConfig({}));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Renderer> renderer, MakeRenderer(config));
  EXPECT_EQ(dynamic_cast<GeminiImageRenderer*>(renderer.get()), nullptr);
}

TEST(MakeRendererTest, AGeminiImageModelThatExistsIsWired) {
  gemini_test::GeminiStandIn stand_in(kKey);
  stand_in.SetModels({{"gemini-2.5-flash"}, {"gemini-2.5-flash-image"}}, 10);
  Config config = GeminiImageConfig(stand_in.url(), "gemini-2.5-flash-image");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Renderer> renderer, MakeRenderer(config));
  auto* gemini = dynamic_cast<GeminiImageRenderer*>(renderer.get());
  ASSERT_NE(gemini, nullptr);
  EXPECT_EQ(gemini->options().model, "gemini-2.5-flash-image");
  EXPECT_EQ(gemini->options().render.canvas, config.output_size);
  EXPECT_EQ(gemini->options().render.max_pixels, config.max_image_pixels);
}

TEST(MakeRendererTest, AnUnknownGeminiImageModelStopsStartUp) {
  gemini_test::GeminiStandIn stand_in(kKey);
  Config config = GeminiImageConfig(stand_in.url(), "gemini-1.0-image");
  Result<std::unique_ptr<Renderer>> renderer = MakeRenderer(config);
  ASSERT_CODE(renderer, StatusCode::kNotFound);
  EXPECT_NE(renderer.error().message().find("GEMINI_IMAGE_MODEL gemini-1.0-image"),
            std::string::npos)
      << renderer.error().message();
  EXPECT_EQ(renderer.error().message().find(kKey), std::string::npos);
  // Without the check (as tests of other parts may ask) the renderer is made all the same.
  EXPECT_OK(MakeRenderer(config, /*check_model=*/false));
}

}  // namespace
}  // namespace enhancer
