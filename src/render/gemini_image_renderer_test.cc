// The generative renderer against the Gemini stand-in on 127.0.0.1: the image the model returns
// is checked, fitted and stored at the libvips sizes; an answer without a usable image is asked
// for again and then replaced by the libvips render, with a note; errors follow the planner's
// rules; the key stays in its header.
#include "render/gemini_image_renderer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/base64.h"
#include "core/status_matchers.h"
#include "plan/gemini_stand_in.h"
#include "plan/gemini_test_support.h"
#include "render/test_support.h"
#include "render/vips_renderer.h"

namespace enhancer {
namespace {

using gemini_test::GeminiReply;
using gemini_test::GeminiStandIn;
using gemini_test::kTestApiKey;
using gemini_test::StandInRequest;
using std::chrono::milliseconds;

constexpr char kModel[] = "gemini-2.5-flash-image";

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

Recipe BrightRecipe() {
  Recipe recipe;
  recipe.name = "bright-airy";
  recipe.prompt = "Lift the midtones and whiten the background for an airy look.";
  recipe.gamma = 1.3;
  recipe.white_point = 0.92;
  recipe.sharpen = 0.4;
  return recipe;
}

// The colour at (x, y) is within `tolerance` of `want` in every channel.
::testing::AssertionResult ColourNear(const render_test::RgbImage& image, int x, int y,
                                      std::array<uint8_t, 3> want, int tolerance) {
  const uint8_t* got = image.at(x, y);
  for (int c = 0; c < 3; ++c) {
    if (std::abs(got[c] - want[c]) > tolerance) {
      return ::testing::AssertionFailure()
             << "pixel (" << x << ", " << y << ") is " << int(got[0]) << "," << int(got[1]) << ","
             << int(got[2]) << ", not near " << int(want[0]) << "," << int(want[1]) << ","
             << int(want[2]);
    }
  }
  return ::testing::AssertionSuccess();
}

class GeminiImageRendererTest : public ::testing::Test {
 protected:
  GeminiImageRendererTest() : stand_in_(kTestApiKey), http_(MakeCurlHttpClient()) {
    stand_in_.SetAliases({kModel});
    stand_in_.SetModelVersion(kModel);
  }

  // Every test: the key went only in its header, never into a URL or a log line, and the
  // stand-in found nothing wrong with a request.
  void TearDown() override {
    EXPECT_FALSE(Contains(log_.text(), kTestApiKey)) << log_.text();
    for (const StandInRequest& r : stand_in_.requests()) {
      EXPECT_FALSE(Contains(r.path, kTestApiKey)) << r.path;
      EXPECT_FALSE(Contains(r.query, kTestApiKey)) << r.query;
      EXPECT_FALSE(Contains(r.body, kTestApiKey)) << "the key is not in the body";
      EXPECT_EQ(r.api_key_header, kTestApiKey);
      EXPECT_EQ(r.problem, "") << r.path;
    }
  }

  GeminiImageRendererOptions Options() {
    GeminiImageRendererOptions options;
    options.base_url = stand_in_.url();
    options.api_key = kTestApiKey;
    options.model = kModel;
    options.retry.clock = &clock_;
    // Waits take no real time: they are recorded and move the fake clock.
    options.retry.sleep = [this](milliseconds delay, std::stop_token stop) {
      std::lock_guard lock(sleeps_mu_);
      sleeps_.push_back(delay);
      clock_.Advance(delay);
      return !stop.stop_requested();
    };
    return options;
  }

  std::unique_ptr<GeminiImageRenderer> Make(GeminiImageRendererOptions options) {
    Result<std::unique_ptr<GeminiImageRenderer>> renderer =
        GeminiImageRenderer::Create(*http_, std::move(options));
    EXPECT_OK(renderer);
    return renderer ? *std::move(renderer) : nullptr;
  }

  // Prepares `photo_name` and renders `recipe`; any error message is checked for the key.
  Result<RenderedImage> Run(const Recipe& recipe = BrightRecipe(),
                            GeminiImageRendererOptions options = {}, std::stop_token stop = {},
                            const char* photo_name = "coffee_1mp.jpg") {
    if (options.api_key.empty()) options = Options();
    std::unique_ptr<GeminiImageRenderer> renderer = Make(std::move(options));
    if (renderer == nullptr) return InternalError("no renderer");
    Result<std::unique_ptr<PreparedPhoto>> photo =
        renderer->Prepare(render_test::ReadFile(render_test::TestImagePath(photo_name)));
    if (!photo) return photo.error();
    Result<RenderedImage> rendered = renderer->Render(**photo, recipe, stop);
    if (!rendered) {
      EXPECT_FALSE(Contains(rendered.error().message(), kTestApiKey)) << rendered.error().message();
    }
    return rendered;
  }

  // What the libvips renderer makes of the same photo and recipe.
  RenderedImage LibvipsRender(const Recipe& recipe, const char* photo_name = "coffee_1mp.jpg") {
    std::unique_ptr<Renderer> libvips = MakeVipsRenderer(RenderOptions{});
    Result<std::unique_ptr<PreparedPhoto>> photo =
        libvips->Prepare(render_test::ReadFile(render_test::TestImagePath(photo_name)));
    EXPECT_OK(photo);
    Result<RenderedImage> rendered = libvips->Render(**photo, recipe, {});
    EXPECT_OK(rendered);
    return rendered ? *rendered : RenderedImage{};
  }

  std::vector<milliseconds> sleeps() {
    std::lock_guard lock(sleeps_mu_);
    return sleeps_;
  }

  static void ExpectStoredSizes(const RenderedImage& rendered) {
    EXPECT_EQ(rendered.image.width, 1600);
    EXPECT_EQ(rendered.image.height, 1600);
    EXPECT_EQ(rendered.thumbnail.width, 600);
    EXPECT_EQ(rendered.thumbnail.height, 600);
    const render_test::JpegFacts image = render_test::InspectJpeg(rendered.image.jpeg);
    const render_test::JpegFacts thumbnail = render_test::InspectJpeg(rendered.thumbnail.jpeg);
    EXPECT_TRUE(image.is_jpeg);
    EXPECT_EQ(image.width, 1600);
    EXPECT_EQ(image.height, 1600);
    EXPECT_TRUE(thumbnail.is_jpeg);
    EXPECT_EQ(thumbnail.width, 600);
    EXPECT_EQ(thumbnail.height, 600);
  }

  gemini_test::LogCapture log_;
  GeminiStandIn stand_in_;
  std::unique_ptr<HttpClient> http_;
  FakeClock clock_;
  std::mutex sleeps_mu_;
  std::vector<milliseconds> sleeps_;  // guarded by sleeps_mu_
};

TEST_F(GeminiImageRendererTest, TheReturnedImageIsFittedPaddedAndStoredAtTheLibvipsSizes) {
  ASSERT_OK_AND_ASSIGN(RenderedImage rendered, Run());
  EXPECT_EQ(rendered.note, "");
  ExpectStoredSizes(rendered);

  // The stand-in's 300 x 200 PNG fills the width: 1600 x 1067, centred between white bands. Its
  // colour is the final image, not the thought's interim red one and not the photo.
  const render_test::RgbImage image = render_test::Decode(rendered.image.jpeg);
  EXPECT_TRUE(ColourNear(image, 800, 800, gemini_test::kStandInImageColour, 4));
  EXPECT_TRUE(ColourNear(image, 10, 400, gemini_test::kStandInImageColour, 4));
  EXPECT_TRUE(ColourNear(image, 800, 100, {255, 255, 255}, 2));
  EXPECT_TRUE(ColourNear(image, 800, 1500, {255, 255, 255}, 2));
  const render_test::RgbImage thumbnail = render_test::Decode(rendered.thumbnail.jpeg);
  EXPECT_TRUE(ColourNear(thumbnail, 300, 300, gemini_test::kStandInImageColour, 4));
  EXPECT_TRUE(ColourNear(thumbnail, 300, 20, {255, 255, 255}, 2));

  ASSERT_EQ(stand_in_.generate_requests(), 1);
  const StandInRequest request = stand_in_.requests().at(0);
  EXPECT_TRUE(request.image_request);
  EXPECT_EQ(request.model, kModel);
  EXPECT_TRUE(Contains(request.prompt, BrightRecipe().prompt)) << request.prompt;
  EXPECT_TRUE(Contains(request.prompt, "\"bright-airy\"")) << request.prompt;
  EXPECT_TRUE(Contains(request.prompt, "Add and remove nothing")) << request.prompt;
}

// A 2400 x 1600 photo goes at 1536 x 1024; a 900 x 1200 one stored sideways (EXIF orientation 6)
// goes upright and at its own size, not enlarged to the canvas.
TEST_F(GeminiImageRendererTest, ThePhotoIsSentUprightWithoutMetadataAndAtMost1536Pixels) {
  struct Case {
    const char* photo;
    int width, height;
  };
  const Case cases[] = {{"coffee_4mp.jpg", 1536, 1024}, {"coffee_1mp_orient6.jpg", 1200, 900}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.photo);
    ASSERT_OK(Run(BrightRecipe(), Options(), {}, c.photo));
    const nlohmann::json body = nlohmann::json::parse(stand_in_.requests().back().body);
    const std::optional<std::string> jpeg =
        Base64Decode(body["contents"][0]["parts"][0]["inline_data"]["data"].get<std::string>());
    ASSERT_TRUE(jpeg.has_value());
    const render_test::JpegFacts sent = render_test::InspectJpeg(*jpeg);
    EXPECT_TRUE(sent.is_jpeg);
    EXPECT_EQ(sent.width, c.width);
    EXPECT_EQ(sent.height, c.height);
    EXPECT_FALSE(sent.progressive);
    EXPECT_FALSE(sent.has_exif);
  }
}

TEST_F(GeminiImageRendererTest, ATextOnlyAnswerIsAskedAgainAndThenTheImageIsUsed) {
  stand_in_.Script({GeminiReply::kTextOnly, GeminiReply::kImage});
  ASSERT_OK_AND_ASSIGN(RenderedImage rendered, Run());
  EXPECT_EQ(rendered.note, "");
  ExpectStoredSizes(rendered);
  const render_test::RgbImage image = render_test::Decode(rendered.image.jpeg);
  EXPECT_TRUE(ColourNear(image, 800, 800, gemini_test::kStandInImageColour, 4));
  ASSERT_EQ(stand_in_.generate_requests(), 2);
  const std::vector<StandInRequest> requests = stand_in_.requests();
  EXPECT_FALSE(Contains(requests[0].prompt, "previous answer"));
  EXPECT_TRUE(Contains(requests[1].prompt, "previous answer could not be used (text only"))
      << requests[1].prompt;
  EXPECT_TRUE(sleeps().empty()) << "a second question is not a retry: no backoff";
}

// The three ways an answer can lack a usable image, each twice: the recipe is rendered by libvips,
// exactly as the libvips renderer would, and the note says so.
TEST_F(GeminiImageRendererTest, NoUsableImageTwiceFallsBackToLibvipsWithANote) {
  struct Case {
    GeminiReply reply;
    std::string problem;
  };
  const Case cases[] = {
      {GeminiReply::kTextOnly, "(text only, no image)"},
      {GeminiReply::kNotAnImage, "(the returned image/png was refused: not an image"},
      {GeminiReply::kOversizedImage,
       "(the returned image/png was refused: image is 20000x20000 pixels, more than the limit "
       "of 100000000 pixels)"},
  };
  const RenderedImage libvips = LibvipsRender(BrightRecipe());
  for (const Case& c : cases) {
    SCOPED_TRACE(c.problem);
    const int before = stand_in_.generate_requests();
    stand_in_.Script({c.reply, c.reply});
    ASSERT_OK_AND_ASSIGN(RenderedImage rendered, Run());
    EXPECT_EQ(stand_in_.generate_requests(), before + 2);
    EXPECT_TRUE(rendered.note.starts_with("gemini-image gave no image for bright-airy "))
        << rendered.note;
    EXPECT_TRUE(rendered.note.ends_with(", rendered with libvips")) << rendered.note;
    EXPECT_TRUE(Contains(rendered.note, c.problem)) << rendered.note;
    ExpectStoredSizes(rendered);
    EXPECT_EQ(rendered.image.jpeg, libvips.image.jpeg) << "the libvips render of the recipe";
    EXPECT_EQ(rendered.thumbnail.jpeg, libvips.thumbnail.jpeg);
  }
  EXPECT_TRUE(Contains(log_.text(), "gemini-image gave no usable image for bright-airy"))
      << log_.text();
  EXPECT_TRUE(Contains(log_.text(), "rendering with libvips")) << log_.text();
}

TEST_F(GeminiImageRendererTest, TwoDifferentProblemsAreBothNamed) {
  stand_in_.Script({GeminiReply::kTextOnly, GeminiReply::kNotAnImage});
  ASSERT_OK_AND_ASSIGN(RenderedImage rendered, Run());
  EXPECT_TRUE(Contains(rendered.note,
                       "(text only, no image; then the returned image/png was "
                       "refused: not an image"))
      << rendered.note;
}

TEST_F(GeminiImageRendererTest, ThrottlingWaitsTheRetryInfoDelay) {
  stand_in_.SetRetryDelay("17s");
  stand_in_.Script({GeminiReply::kRateLimited, GeminiReply::kImage});
  ASSERT_OK_AND_ASSIGN(RenderedImage rendered, Run());
  EXPECT_EQ(rendered.note, "");
  EXPECT_EQ(stand_in_.generate_requests(), 2);
  EXPECT_EQ(sleeps(), std::vector<milliseconds>{milliseconds(17000)});
}

TEST_F(GeminiImageRendererTest, ServerErrorsAreRetriedWithBackoff) {
  stand_in_.Script({GeminiReply::kServerError, GeminiReply::kUnavailable, GeminiReply::kImage});
  ASSERT_OK_AND_ASSIGN(RenderedImage rendered, Run());
  EXPECT_EQ(rendered.note, "");
  EXPECT_EQ(stand_in_.generate_requests(), 3);
  EXPECT_EQ(sleeps().size(), 2u);
}

// Errors of the service, the key or the model are not the answer's fault: no fallback, the job
// is retried later or fails with the reason.
TEST_F(GeminiImageRendererTest, ServiceErrorsAreReturnedNotHiddenByAFallback) {
  struct Case {
    std::vector<GeminiReply> script;
    StatusCode code;
    std::string words;
  };
  const Case cases[] = {
      {{GeminiReply::kDailyQuota}, StatusCode::kResourceExhausted, "daily Gemini quota"},
      {{GeminiReply::kUnavailable, GeminiReply::kUnavailable, GeminiReply::kUnavailable,
        GeminiReply::kUnavailable},
       StatusCode::kUnavailable,
       "no answer after 4 attempts"},
      {{GeminiReply::kModelNotFound}, StatusCode::kNotFound, "is not found"},
      {{GeminiReply::kEchoKeyError}, StatusCode::kInvalidArgument, "Request with key [redacted]"},
  };
  for (const Case& c : cases) {
    stand_in_.Script(c.script);
    Result<RenderedImage> rendered = Run();
    EXPECT_CODE(rendered, c.code);
    EXPECT_TRUE(Contains(rendered.error().message(), c.words)) << rendered.error().message();
  }
}

TEST_F(GeminiImageRendererTest, AStopEndsTheRenderWithoutAFallback) {
  std::stop_source before;
  before.request_stop();
  EXPECT_CODE(Run(BrightRecipe(), Options(), before.get_token()), StatusCode::kCancelled);
  EXPECT_EQ(stand_in_.generate_requests(), 0);

  stand_in_.Script({GeminiReply::kUnavailable, GeminiReply::kImage});
  std::stop_source during;
  GeminiImageRendererOptions options = Options();
  options.retry.sleep = [&during](milliseconds, std::stop_token stop) {
    during.request_stop();  // as a shutdown arriving during the backoff
    return !stop.stop_requested();
  };
  EXPECT_CODE(Run(BrightRecipe(), options, during.get_token()), StatusCode::kCancelled);
  EXPECT_EQ(stand_in_.generate_requests(), 1);
}

TEST_F(GeminiImageRendererTest, PrepareChecksThePhotoAsLibvipsDoesAndSendsNothing) {
  std::unique_ptr<GeminiImageRenderer> renderer = Make(Options());
  ASSERT_NE(renderer, nullptr);
  EXPECT_CODE(renderer->Prepare("<!DOCTYPE html><html></html>"), StatusCode::kInvalidArgument);
  EXPECT_CODE(renderer->Prepare(""), StatusCode::kInvalidArgument);

  // A photo the libvips renderer prepared is not one this renderer can send.
  std::unique_ptr<Renderer> libvips = MakeVipsRenderer(RenderOptions{});
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<PreparedPhoto> other,
      libvips->Prepare(render_test::ReadFile(render_test::TestImagePath("coffee_1mp.jpg"))));
  EXPECT_CODE(renderer->Render(*other, BrightRecipe(), {}), StatusCode::kInvalidArgument);
  EXPECT_EQ(stand_in_.generate_requests(), 0);
}

TEST_F(GeminiImageRendererTest, ValidatesItsOptions) {
  struct Case {
    const char* what;
    std::function<void(GeminiImageRendererOptions&)> change;
  };
  const Case cases[] = {
      {"empty key", [](GeminiImageRendererOptions& o) { o.api_key.clear(); }},
      {"key with a line break", [](GeminiImageRendererOptions& o) { o.api_key += "\r\nX: 1"; }},
      {"no model", [](GeminiImageRendererOptions& o) { o.model.clear(); }},
      {"model with a slash", [](GeminiImageRendererOptions& o) { o.model = "a/../b"; }},
      {"relative base URL", [](GeminiImageRendererOptions& o) { o.base_url = "generative"; }},
      {"canvas 8", [](GeminiImageRendererOptions& o) { o.render.canvas = 8; }},
      {"request side 100", [](GeminiImageRendererOptions& o) { o.max_request_side = 100; }},
      {"zero attempts", [](GeminiImageRendererOptions& o) { o.retry.max_attempts = 0; }},
      {"no clock", [](GeminiImageRendererOptions& o) { o.retry.clock = nullptr; }},
  };
  for (const Case& c : cases) {
    GeminiImageRendererOptions options = Options();
    c.change(options);
    Status status = options.Validate();
    EXPECT_CODE(status, StatusCode::kInvalidArgument) << c.what;
    EXPECT_FALSE(Contains(status.message(), kTestApiKey)) << status.message();
    EXPECT_CODE(GeminiImageRenderer::Create(*http_, options), StatusCode::kInvalidArgument)
        << c.what;
  }
  EXPECT_OK(Options().Validate());
  EXPECT_CODE(GeminiImageRenderer::Create(std::unique_ptr<HttpClient>(), Options()),
              StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace enhancer
