#include "render/vips_renderer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <thread>
#include <vector>
#include <vips/vips8>

#include "render/test_support.h"

namespace enhancer {
namespace {

using render_test::InspectJpeg;
using render_test::JpegFacts;
using render_test::RgbImage;

std::string Photo(const char* name) {
  return render_test::ReadFile(render_test::TestImagePath(name));
}

std::unique_ptr<Renderer> Make(RenderOptions options = {}) { return MakeVipsRenderer(options); }

void ExpectInvalid(const Result<std::unique_ptr<PreparedPhoto>>& result, const std::string& words) {
  ASSERT_FALSE(result.has_value()) << "expected an error mentioning: " << words;
  EXPECT_EQ(result.error().code(), StatusCode::kInvalidArgument) << result.error().ToString();
  EXPECT_NE(result.error().message().find(words), std::string::npos) << result.error().message();
}

uint32_t Crc32(const std::string& bytes) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char b : bytes) {
    crc ^= b;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

std::string Be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

std::string Chunk(const std::string& type, const std::string& data) {
  return Be32(static_cast<uint32_t>(data.size())) + type + data + Be32(Crc32(type + data));
}

// A PNG whose header says width x height (8-bit grey); its pixel data is a stub. Only a reader
// that decodes before checking the size would find out.
std::string PngClaiming(uint32_t width, uint32_t height) {
  std::string ihdr = Be32(width) + Be32(height) + std::string("\x08\x00\x00\x00\x00", 5);
  std::string idat("\x78\x9C\x01\x00\x00\xFF\xFF", 7);
  return std::string("\x89PNG\r\n\x1A\n", 8) + Chunk("IHDR", ihdr) + Chunk("IDAT", idat) +
         Chunk("IEND", "");
}

// Encodes with libvips, for formats the shared photos do not come in.
std::string Encode(const vips::VImage& image, const char* suffix) {
  void* buffer = nullptr;
  size_t size = 0;
  image.write_to_buffer(suffix, &buffer, &size);
  std::string out(static_cast<char*>(buffer), size);
  g_free(buffer);
  return out;
}

vips::VImage Solid(int width, int height, std::vector<double> colour) {
  EXPECT_TRUE(InitVips().ok());
  return (vips::VImage::black(width, height) + colour)
      .cast(VIPS_FORMAT_UCHAR)
      .copy(vips::VImage::option()->set("interpretation", colour.size() >= 3
                                                              ? VIPS_INTERPRETATION_sRGB
                                                              : VIPS_INTERPRETATION_B_W));
}

double MeanAbsDifference(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  EXPECT_EQ(a.size(), b.size());
  double sum = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) sum += std::abs(a[i] - b[i]);
  return sum / static_cast<double>(a.size());
}

TEST(VipsRendererPrepareTest, RefusesInputThatIsNotAnImage) {
  auto renderer = Make();
  ExpectInvalid(renderer->Prepare(""), "not an image: the input is empty");
  ExpectInvalid(renderer->Prepare("<html><body>hello</body></html>"), "not an image");
  ExpectInvalid(renderer->Prepare("<svg xmlns='http://www.w3.org/2000/svg'/>"), "not an image");
}

TEST(VipsRendererPrepareTest, RefusesTooManyBytesBeforeLookingAtThem) {
  RenderOptions options;
  options.max_bytes = 1000;
  ExpectInvalid(Make(options)->Prepare(std::string(1001, 'x')),
                "image is 1001 bytes, more than the limit of 1000");
}

TEST(VipsRendererPrepareTest, RefusesAHugePixelCountFromTheHeaderAlone) {
  ExpectInvalid(Make()->Prepare(PngClaiming(30000, 30000)),
                "image is 30000x30000 pixels, more than the limit of 100000000 pixels");
}

TEST(VipsRendererPrepareTest, PixelLimitIsTheOption) {
  RenderOptions options;
  options.max_pixels = 1'000'000;
  ExpectInvalid(Make(options)->Prepare(Photo("coffee_1mp.jpg")),
                "image is 1200x900 pixels, more than the limit of 1000000 pixels");
  options.max_pixels = 1'080'000;
  EXPECT_TRUE(Make(options)->Prepare(Photo("coffee_1mp.jpg")).has_value());
}

TEST(VipsRendererPrepareTest, TruncatedJpegIsAnError) {
  const std::string jpeg = Photo("coffee_1mp.jpg");
  ExpectInvalid(Make()->Prepare(jpeg.substr(0, jpeg.size() / 2)), "could not be decoded");
}

TEST(VipsRendererPrepareTest, CorruptDataIsAnError) {
  std::string jpeg = Photo("coffee_1mp.jpg");
  ExpectInvalid(Make()->Prepare(jpeg.substr(0, 40)), "could not be decoded");
  ExpectInvalid(Make()->Prepare(std::string("\xFF\xD8\xFF\xE0", 4) + std::string(5000, '\x11')),
                "could not be decoded");
  ExpectInvalid(Make()->Prepare(std::string("\x89PNG\r\n\x1A\n", 8) + std::string(100, '\0')),
                "could not be decoded");
}

TEST(VipsRendererPrepareTest, PreviewIsSmallRgbAndItsJpeg) {
  Result<std::unique_ptr<PreparedPhoto>> photo = Make()->Prepare(Photo("coffee_4mp.jpg"));
  ASSERT_TRUE(photo.has_value()) << photo.error().ToString();
  const Preview& preview = (*photo)->preview();
  EXPECT_EQ(preview.width, 512);
  EXPECT_EQ(preview.height, 341);
  EXPECT_EQ(preview.rgb.size(), 512u * 341 * 3);
  const JpegFacts facts = InspectJpeg(preview.jpeg);
  EXPECT_TRUE(facts.is_jpeg);
  EXPECT_EQ(facts.width, 512);
  EXPECT_EQ(facts.height, 341);
  EXPECT_EQ((*photo)->source_width(), 2400);
  EXPECT_EQ((*photo)->source_height(), 1600);
}

TEST(VipsRendererPrepareTest, ExifOrientationIsApplied) {
  auto renderer = Make();
  Result<std::unique_ptr<PreparedPhoto>> upright = renderer->Prepare(Photo("coffee_1mp.jpg"));
  Result<std::unique_ptr<PreparedPhoto>> turned =
      renderer->Prepare(Photo("coffee_1mp_orient6.jpg"));
  ASSERT_TRUE(upright.has_value() && turned.has_value());
  EXPECT_EQ((*turned)->source_width(), 900);  // as stored
  EXPECT_EQ((*turned)->source_height(), 1200);
  const Preview& a = (*upright)->preview();
  const Preview& b = (*turned)->preview();
  ASSERT_EQ(a.width, b.width);
  ASSERT_EQ(a.height, b.height);
  EXPECT_EQ(a.width, 512);
  // The same picture (both were re-encoded, so not bit for bit).
  EXPECT_LT(MeanAbsDifference(a.rgb, b.rgb), 2.0);
}

TEST(VipsRendererPrepareTest, OtherFormatsDecode) {
  EXPECT_TRUE(InitVips().ok());
  const vips::VImage coffee =
      vips::VImage::new_from_file(render_test::TestImagePath("coffee_1mp.jpg").c_str());
  auto renderer = Make();
  for (const char* suffix : {".png", ".webp", ".tif", ".gif"}) {
    Result<std::unique_ptr<PreparedPhoto>> photo = renderer->Prepare(Encode(coffee, suffix));
    ASSERT_TRUE(photo.has_value()) << suffix << ": " << photo.error().ToString();
    EXPECT_EQ((*photo)->preview().width, 512) << suffix;
  }
}

TEST(VipsRendererPrepareTest, CmykJpegBecomesRgb) {
  RenderOptions options;
  options.canvas = 64;
  options.thumbnail = 16;
  const vips::VImage red = Solid(32, 32, {220, 30, 30});
  Result<std::unique_ptr<PreparedPhoto>> photo =
      Make(options)->Prepare(Encode(red.colourspace(VIPS_INTERPRETATION_CMYK), ".jpg"));
  ASSERT_TRUE(photo.has_value()) << photo.error().ToString();
  const Preview& p = (*photo)->preview();
  EXPECT_GT(p.rgb[0], 150);
  EXPECT_LT(p.rgb[1], 100);
  EXPECT_LT(p.rgb[2], 100);
}

TEST(VipsRendererPrepareTest, SixteenBitGreyAndAlphaBecomeRgbOnTheBackground) {
  RenderOptions options;
  options.canvas = 64;
  options.thumbnail = 16;
  options.background = {0, 128, 255};
  auto renderer = Make(options);

  // Fully transparent red: what shows is the background.
  vips::VImage transparent = Solid(32, 32, {255, 0, 0, 0});
  transparent =
      transparent.copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
  Result<std::unique_ptr<PreparedPhoto>> photo = renderer->Prepare(Encode(transparent, ".png"));
  ASSERT_TRUE(photo.has_value()) << photo.error().ToString();
  const Preview& p = (*photo)->preview();
  EXPECT_EQ(p.rgb[0], 0);
  EXPECT_EQ(p.rgb[1], 128);
  EXPECT_EQ(p.rgb[2], 255);

  // 16-bit grey.
  vips::VImage grey16 =
      (vips::VImage::black(40, 20) + 30000)
          .cast(VIPS_FORMAT_USHORT)
          .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_GREY16));
  photo = renderer->Prepare(Encode(grey16, ".png"));
  ASSERT_TRUE(photo.has_value()) << photo.error().ToString();
  const Preview& g = (*photo)->preview();
  EXPECT_EQ(g.width, 64);
  EXPECT_EQ(g.height, 32);
  EXPECT_NEAR(g.rgb[0], 30000 / 257.0, 1.0);
  EXPECT_EQ(g.rgb[0], g.rgb[1]);
  EXPECT_EQ(g.rgb[1], g.rgb[2]);
}

TEST(VipsRendererPrepareTest, AnimationGivesItsFirstFrame) {
  EXPECT_TRUE(InitVips().ok());
  // Two 16x16 frames stacked: red, then blue.
  vips::VImage frames =
      Solid(16, 16, {255, 0, 0}).join(Solid(16, 16, {0, 0, 255}), VIPS_DIRECTION_VERTICAL);
  frames.set("page-height", 16);
  RenderOptions options;
  options.canvas = 32;
  options.thumbnail = 16;
  Result<std::unique_ptr<PreparedPhoto>> photo = Make(options)->Prepare(Encode(frames, ".gif"));
  ASSERT_TRUE(photo.has_value()) << photo.error().ToString();
  const Preview& p = (*photo)->preview();
  EXPECT_EQ(p.width, 32);
  EXPECT_EQ(p.height, 32);
  EXPECT_GT(p.rgb[0], 200);
  EXPECT_LT(p.rgb[2], 60);
}

TEST(VipsRendererRenderTest, OutputIsACanvasAndAThumbnailWithoutMetadata) {
  auto renderer = Make();
  Result<std::unique_ptr<PreparedPhoto>> photo = renderer->Prepare(Photo("coffee_1mp.jpg"));
  ASSERT_TRUE(photo.has_value());
  Recipe recipe;
  recipe.sharpen = 0.5;
  Result<RenderedImage> out = renderer->Render(**photo, recipe, {});
  ASSERT_TRUE(out.has_value()) << out.error().ToString();
  EXPECT_EQ(out->image.width, 1600);
  EXPECT_EQ(out->image.height, 1600);
  EXPECT_EQ(out->thumbnail.width, 600);
  EXPECT_EQ(out->thumbnail.height, 600);
  for (const EncodedImage* image : {&out->image, &out->thumbnail}) {
    const JpegFacts facts = InspectJpeg(image->jpeg);
    EXPECT_TRUE(facts.is_jpeg);
    EXPECT_TRUE(facts.progressive);
    EXPECT_FALSE(facts.has_exif) << "the source's EXIF must be stripped";
    EXPECT_FALSE(facts.has_icc);
    EXPECT_EQ(facts.width, image->width);
    EXPECT_EQ(facts.height, image->height);
  }
  // coffee_1mp.jpg carries EXIF; make sure the check above can see it.
  EXPECT_TRUE(InspectJpeg(Photo("coffee_1mp.jpg")).has_exif);
}

TEST(VipsRendererRenderTest, OptionsShapeTheOutput) {
  RenderOptions options;
  options.canvas = 500;
  options.thumbnail = 123;
  options.progressive = false;
  options.quality = 60;
  auto renderer = Make(options);
  Result<std::unique_ptr<PreparedPhoto>> photo = renderer->Prepare(Photo("coffee_1mp.jpg"));
  ASSERT_TRUE(photo.has_value());
  Result<RenderedImage> out = renderer->Render(**photo, Recipe{}, {});
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(InspectJpeg(out->image.jpeg).width, 500);
  EXPECT_FALSE(InspectJpeg(out->image.jpeg).progressive);
  EXPECT_EQ(InspectJpeg(out->thumbnail.jpeg).width, 123);
  EXPECT_EQ(InspectJpeg(out->thumbnail.jpeg).height, 123);
}

TEST(VipsRendererRenderTest, PhotoIsFittedAndCentredOnTheBackground) {
  RenderOptions options;
  options.canvas = 400;
  options.thumbnail = 100;
  options.background = {255, 255, 255};
  auto renderer = Make(options);
  // 1200x900 fits as 400x300: 50 rows of padding above and below.
  Result<std::unique_ptr<PreparedPhoto>> photo = renderer->Prepare(Photo("coffee_1mp.jpg"));
  ASSERT_TRUE(photo.has_value());
  Result<RenderedImage> out = renderer->Render(**photo, Recipe{}, {});
  ASSERT_TRUE(out.has_value());
  const RgbImage canvas = render_test::Decode(out->image.jpeg);
  auto luma = [&](int x, int y) {
    const uint8_t* p = canvas.at(x, y);
    return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
  };
  EXPECT_GT(luma(200, 20), 250);
  EXPECT_GT(luma(200, 380), 250);
  EXPECT_LT(luma(10, 200), 200);  // the wooden table, not padding
  EXPECT_LT(luma(200, 60), 250);
}

TEST(VipsRendererRenderTest, SmallPhotosAreEnlargedToTheCanvas) {
  RenderOptions options;
  options.canvas = 300;
  options.thumbnail = 100;
  auto renderer = Make(options);
  Result<std::unique_ptr<PreparedPhoto>> photo =
      renderer->Prepare(Encode(Solid(60, 30, {20, 40, 60}), ".png"));
  ASSERT_TRUE(photo.has_value());
  EXPECT_EQ((*photo)->preview().width, 300);
  EXPECT_EQ((*photo)->preview().height, 150);
}

TEST(VipsRendererRenderTest, RecipesShareOneBaseAcrossThreads) {
  auto renderer = Make();
  Result<std::unique_ptr<PreparedPhoto>> photo = renderer->Prepare(Photo("smarties_1mp.jpg"));
  ASSERT_TRUE(photo.has_value());
  std::vector<Recipe> recipes(4);
  recipes[1].saturation = 1.4;
  recipes[2].gamma = 1.3;
  recipes[2].sharpen = 0.8;
  recipes[3].denoise = 0.5;
  recipes[3].white_balance = {1.1, 1.0, 0.9};
  std::vector<std::string> sequential;
  for (const Recipe& r : recipes) {
    Result<RenderedImage> out = renderer->Render(**photo, r, {});
    ASSERT_TRUE(out.has_value());
    sequential.push_back(out->image.jpeg);
  }
  std::vector<std::string> parallel(recipes.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < recipes.size(); ++i) {
    threads.emplace_back([&, i] {
      Result<RenderedImage> out = renderer->Render(**photo, recipes[i], {});
      if (out) parallel[i] = out->image.jpeg;
    });
  }
  for (std::thread& t : threads) t.join();
  for (size_t i = 0; i < recipes.size(); ++i) {
    EXPECT_EQ(parallel[i], sequential[i]) << "recipe " << i;
  }
  EXPECT_NE(sequential[0], sequential[1]);
}

TEST(VipsRendererRenderTest, UnclampedRecipesDoNotReachLibvips) {
  RenderOptions options;
  options.canvas = 64;
  options.thumbnail = 16;
  auto renderer = Make(options);
  Result<std::unique_ptr<PreparedPhoto>> photo =
      renderer->Prepare(Encode(Solid(40, 30, {90, 120, 150}), ".png"));
  ASSERT_TRUE(photo.has_value());
  Recipe wild;
  wild.sharpen = 5;
  wild.sharpen_radius = 0;
  wild.gamma = std::nan("");
  wild.white_point = -3;
  wild.denoise = 9;
  Result<RenderedImage> out = renderer->Render(**photo, wild, {});
  ASSERT_TRUE(out.has_value()) << out.error().ToString();
  EXPECT_EQ(out->image.width, 64);
}

TEST(VipsRendererRenderTest, PhotoFromAnotherRendererTypeIsRefused) {
  class OtherPhoto final : public PreparedPhoto {
   public:
    const Preview& preview() const override { return preview_; }
    const PhotoStatistics& statistics() const override { return statistics_; }
    int source_width() const override { return 1; }
    int source_height() const override { return 1; }

   private:
    Preview preview_;
    PhotoStatistics statistics_;
  };
  Result<RenderedImage> out = Make()->Render(OtherPhoto(), Recipe{}, {});
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code(), StatusCode::kInvalidArgument);
}

TEST(RenderOptionsTest, ValidationNamesTheField) {
  struct Case {
    void (*change)(RenderOptions&);
    const char* field;
  };
  for (const Case& c : {Case{[](RenderOptions& o) { o.canvas = 8; }, "canvas"},
                        Case{[](RenderOptions& o) { o.thumbnail = 2000; }, "thumbnail"},
                        Case{[](RenderOptions& o) { o.quality = 0; }, "quality"},
                        Case{[](RenderOptions& o) { o.quality = 101; }, "quality"},
                        Case{[](RenderOptions& o) { o.max_pixels = 0; }, "max_pixels"},
                        Case{[](RenderOptions& o) { o.max_bytes = -1; }, "max_bytes"}}) {
    RenderOptions options;
    c.change(options);
    Status status = ValidateRenderOptions(options);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << c.field;
    EXPECT_NE(status.message().find(c.field), std::string::npos) << status.message();
    // A renderer made with them says so on every call.
    Result<std::unique_ptr<PreparedPhoto>> photo = MakeVipsRenderer(options)->Prepare("x");
    ASSERT_FALSE(photo.has_value());
    EXPECT_EQ(photo.error().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(photo.error().message().find(c.field), std::string::npos);
  }
  EXPECT_TRUE(ValidateRenderOptions(RenderOptions{}).ok());
}

}  // namespace
}  // namespace enhancer
