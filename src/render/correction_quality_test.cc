// The quality standard of the local planner's faithful correction, measured end to end.
//
// For real photos, the test damages the photo itself in three realistic ways, lets RulePlanner
// plan on the damaged photo and renders its FIRST recipe (the faithful correction) with
// VipsRenderer at default settings (canvas 800 here, to keep the test quick). The mean CIELAB
// colour difference (CIE76, D65) of that render to the undamaged photo, rendered through the
// same geometry with the identity recipe, is compared with
//   - the damaged photo's own difference (rendered the same way), and
//   - that of Pillow's ImageOps.autocontrast() (default arguments) applied to the damaged photo
//     by Debian's python3-pil (testdata/pillow_autocontrast.py) and rendered the same way.
// The standard: at most half the damage AND lower than Pillow. Only the photo area is compared
// (the padding is identical everywhere), less a 3-pixel margin. Every case prints its numbers.
//
// The undamaged photos are the unmodified originals in testdata/images/originals/ (see its
// README): the top-level test JPEGs already carry a warm cast and lifted blacks, so they cannot
// serve as the truth.
//
// Every case meets the full standard. Pillow stretches each channel from its exact minimum to its
// exact maximum at the photo's own resolution. Four of these originals reach 0 and 255 in every
// channel (fruits comes within 17 levels of white, chelsea within 24 to 66), so for damage that
// is a per-channel scale or an affine map of encoded values that stretch is close to the exact
// inverse, and on the washed-out photos the margins are a few hundredths. The planner gets there
// because the renderer gives it the photo's own full-resolution histograms (Preview::histograms)
// for its black level and white references, which a 512-px preview blurs; it does better where
// the per-channel stretch is the wrong model: exposure and casts act in linear light, and
// chelsea's channels never reach white.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ostream>
#include <string>
#include <vector>

#include "plan/rule_planner.h"
#include "plan/srgb.h"
#include "render/test_support.h"
#include "render/vips_renderer.h"

namespace enhancer {
namespace {

using render_test::RgbImage;

// (a) A tungsten-like cast: the light is redder than the camera's white balance assumed. Gains
// in linear light, as a sensor sees it.
void TungstenCast(RgbImage& image) {
  constexpr double kGain[3] = {1.00, 0.85, 0.65};
  for (size_t i = 0; i < image.rgb.size(); ++i) {
    const double linear = SrgbToLinear(image.rgb[i] / 255.0) * kGain[i % 3];
    image.rgb[i] = static_cast<uint8_t>(std::lround(LinearToSrgb(linear) * 255.0));
  }
}

// (b) One stop under-exposed: half the light, in linear light.
void Underexposed(RgbImage& image) {
  for (uint8_t& v : image.rgb) {
    v = static_cast<uint8_t>(std::lround(LinearToSrgb(SrgbToLinear(v / 255.0) * 0.5) * 255.0));
  }
}

// (c) Washed out: contrast compressed toward grey with a raised black, on encoded values (a
// flat conversion, or video levels taken for full range): black becomes 56, white 214.
void WashedOut(RgbImage& image) {
  for (uint8_t& v : image.rgb) v = static_cast<uint8_t>(std::lround(56.1 + 0.62 * v));
}

struct Damage {
  const char* name;
  void (*apply)(RgbImage&);
};
constexpr Damage kCast{"tungsten_cast", TungstenCast};
constexpr Damage kUnder{"underexposed", Underexposed};
constexpr Damage kWashed{"washed_out", WashedOut};

struct QualityCase {
  const char* photo;  // in testdata/images/originals/
  Damage damage;
};

void PrintTo(const QualityCase& c, std::ostream* os) { *os << c.photo << " " << c.damage.name; }

const QualityCase kCases[] = {
    {"smarties.png", kCast},  {"smarties.png", kUnder},  {"smarties.png", kWashed},
    {"astronaut.png", kCast}, {"astronaut.png", kUnder}, {"astronaut.png", kWashed},
    {"rocket.jpg", kCast},    {"rocket.jpg", kUnder},    {"rocket.jpg", kWashed},
    {"chelsea.png", kCast},   {"chelsea.png", kUnder},   {"chelsea.png", kWashed},
    {"coffee.png", kCast},    {"coffee.png", kUnder},    {"coffee.png", kWashed},
    {"fruits.jpg", kCast},    {"fruits.jpg", kUnder},    {"fruits.jpg", kWashed},
};

constexpr int kCanvas = 800;
constexpr int kMargin = 3;

class CorrectionQualityTest : public ::testing::TestWithParam<QualityCase> {
 protected:
  void SetUp() override {
    RenderOptions options;
    options.canvas = kCanvas;
    options.thumbnail = 200;
    renderer_ = MakeVipsRenderer(options);
  }

  // Renders `png` with `recipe`, or with the planner's first recipe when `recipe` is null (the
  // plan is stored in `plan`), and returns the photo area of the canvas.
  RgbImage RenderPhotoArea(const std::string& png, const Recipe* recipe, Plan* plan = nullptr) {
    Result<std::unique_ptr<PreparedPhoto>> photo = renderer_->Prepare(png);
    EXPECT_TRUE(photo.has_value()) << photo.error().ToString();
    if (!photo) return {};
    Recipe chosen;
    if (recipe) {
      chosen = *recipe;
    } else {
      RulePlanner planner;
      PlanRequest request{&(*photo)->preview(), "", "", 3};
      Result<Plan> made = planner.MakePlan(request, {});
      EXPECT_TRUE(made.has_value()) << made.error().ToString();
      if (!made) return {};
      chosen = made->recipes.front();
      *plan = *std::move(made);
    }
    Result<RenderedImage> rendered = renderer_->Render(**photo, chosen, {});
    EXPECT_TRUE(rendered.has_value()) << rendered.error().ToString();
    if (!rendered) return {};
    const RgbImage canvas = render_test::Decode(rendered->image.jpeg);
    // The fit: the longer side becomes the canvas, the other is scaled alike and rounded.
    const int w = (*photo)->source_width(), h = (*photo)->source_height();
    const double f = static_cast<double>(kCanvas) / std::max(w, h);
    const int fw = static_cast<int>(std::lround(w * f)), fh = static_cast<int>(std::lround(h * f));
    return render_test::Crop(canvas, (kCanvas - fw) / 2 + kMargin, (kCanvas - fh) / 2 + kMargin,
                             fw - 2 * kMargin, fh - 2 * kMargin);
  }

  std::unique_ptr<Renderer> renderer_;
};

std::string PillowAutocontrast(const std::string& png, const std::string& stem) {
  const std::string dir = ::testing::TempDir();
  const std::string in = dir + stem + "_damaged.png", out = dir + stem + "_pillow.png";
  render_test::WriteFile(in, png);
  std::remove(out.c_str());
  const std::string script =
      std::string(ENHANCER_SOURCE_DIR) + "/src/render/testdata/pillow_autocontrast.py";
  const std::string command =
      std::string(ENHANCER_PIL_PYTHON) + " '" + script + "' '" + in + "' '" + out + "'";
  const int rc = std::system(command.c_str());
  EXPECT_EQ(rc, 0) << command << " failed: the reference needs Python 3 with Pillow "
                   << "(Debian python3-pil); configure with -DENHANCER_PIL_PYTHON=...";
  std::string result = render_test::ReadFile(out);
  std::remove(in.c_str());
  std::remove(out.c_str());
  return result;
}

TEST_P(CorrectionQualityTest, FaithfulCorrectionRestoresThePhoto) {
  const QualityCase& c = GetParam();
  const std::string photo = c.photo;
  RgbImage original =
      render_test::Decode(render_test::ReadFile(render_test::TestImagePath("originals/" + photo)));
  ASSERT_GT(original.width, 0);
  RgbImage damaged = original;
  c.damage.apply(damaged);

  const std::string original_png = render_test::EncodePng(original);
  const std::string damaged_png = render_test::EncodePng(damaged);
  const std::string pillow_png =
      PillowAutocontrast(damaged_png, photo.substr(0, photo.find('.')) + "_" + c.damage.name);
  ASSERT_FALSE(pillow_png.empty());

  const Recipe identity;
  const RgbImage truth = RenderPhotoArea(original_png, &identity);
  const RgbImage as_damaged = RenderPhotoArea(damaged_png, &identity);
  const RgbImage by_pillow = RenderPhotoArea(pillow_png, &identity);
  Plan plan;
  const RgbImage by_planner = RenderPhotoArea(damaged_png, nullptr, &plan);
  ASSERT_FALSE(truth.rgb.empty());
  ASSERT_FALSE(plan.recipes.empty());
  const Recipe& faithful = plan.recipes.front();

  const double damaged_de = render_test::MeanDeltaE(as_damaged, truth);
  const double pillow_de = render_test::MeanDeltaE(by_pillow, truth);
  const double planner_de = render_test::MeanDeltaE(by_planner, truth);
  std::printf(
      "QUALITY %-14s %-14s dE76 damaged %6.2f  pillow-autocontrast %6.2f  faithful %6.2f"
      "  (%s)\n  recipe: %s\n",
      c.photo, c.damage.name, damaged_de, pillow_de, planner_de, faithful.prompt.c_str(),
      ToJson(faithful).c_str());
  RecordProperty("damaged_delta_e", std::to_string(damaged_de));
  RecordProperty("pillow_delta_e", std::to_string(pillow_de));
  RecordProperty("faithful_delta_e", std::to_string(planner_de));

  EXPECT_LE(planner_de, damaged_de / 2) << "the faithful correction must halve the damage";
  EXPECT_LT(planner_de, pillow_de) << "the faithful correction must beat Pillow";
}

INSTANTIATE_TEST_SUITE_P(RealPhotos, CorrectionQualityTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<QualityCase>& info) {
                           std::string photo = info.param.photo;
                           return photo.substr(0, photo.find('.')) + "_" + info.param.damage.name;
                         });

}  // namespace
}  // namespace enhancer
